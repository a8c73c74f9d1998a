"""Two clean builds of both platforms (shared download cache, separate outputs), reused by every image test."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

IMAGE_DIR = Path(__file__).resolve().parent.parent
APP_DIR = IMAGE_DIR.parent
CACHE = APP_DIR / "build" / "image-cache"
PLATFORMS = ("linux/amd64", "linux/arm64")
sys.path.insert(0, str(IMAGE_DIR))


def build(out: Path, *extra: str, cache: Path = CACHE) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(IMAGE_DIR / "build.py"), "--out", str(out), "--cache", str(cache), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> list[Path]:
    """[first, second]: each a fresh output directory holding linux-amd64/ and linux-arm64/."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(f"image-{name}")
        started = time.monotonic()
        result = build(out)
        assert result.returncode == 0, result.stderr[-4000:]
        # make image's contract: one `image: <layout> <digest>` line per platform, arm64 (the deployed one) last.
        lines = result.stdout.strip().splitlines()
        assert lines[-1] == f"image: {out / 'linux-arm64'} {(out / 'linux-arm64' / 'digest').read_text().strip()}"
        print(f"\nimage build {name}: {time.monotonic() - started:.0f} s\n{result.stdout}", end="")
        outs.append(out)
    return outs


@pytest.fixture(scope="session")
def images(builds):
    import layout

    return {p: layout.Image(builds[0] / p.replace("/", "-")) for p in PLATFORMS}
