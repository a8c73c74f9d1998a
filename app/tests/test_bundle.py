"""The EB source bundle installs offline exactly as Elastic Beanstalk's pip will run it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent.parent
# Only PyPI as locked: this machine's pip config adds local mirrors that EB instances do not have.
PIP_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}


def _build(arch: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "scripts/build_bundle.py", "--arch", arch, "--out", str(out)],
        cwd=APP_DIR,
        env=PIP_ENV | {"MAX_UPLOAD_MB": "25"},
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def x86_bundle(tmp_path_factory):
    return _build("x86_64", tmp_path_factory.mktemp("bundle-x86_64") / "bundle")


def test_bundle_layout(x86_bundle):
    requirements = (x86_bundle / "requirements.txt").read_text().splitlines()
    assert requirements[:2] == ["--no-index", "--find-links wheels"]
    assert (x86_bundle / "Procfile").read_text().startswith("web: gunicorn --config gunicorn.conf.py application:")
    nginx = (x86_bundle / ".platform/nginx/conf.d/upload-size.conf").read_text()
    assert "client_max_body_size 25664k;" in nginx and "proxy_request_buffering off;" in nginx
    # The app reads its contract with the infrastructure at runtime: it ships byte for byte.
    assert (x86_bundle / "imageshare/contract.json").read_bytes() == (APP_DIR / "imageshare/contract.json").read_bytes()
    assert not list(x86_bundle.rglob("__pycache__"))
    assert not (x86_bundle / "tests").exists() and not (x86_bundle / "local_aws.py").exists()


def test_bundle_installs_offline_in_fresh_venv_like_eb(x86_bundle, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin/pip"), "install", "--quiet", "-r", "requirements.txt"], cwd=x86_bundle, env=PIP_ENV, check=True
    )
    env = PIP_ENV | {"IMAGES_BUCKET": "b", "KMS_KEY_ARN": "arn:aws:kms:us-east-1:0:key/x", "AWS_REGION": "us-east-1"}
    check = "import application, gunicorn; assert application.application.name == 'imageshare.web'"
    subprocess.run([str(venv / "bin/python"), "-c", check], cwd=x86_bundle, env=env, check=True)


def test_aarch64_wheels_resolve_for_target_platform(tmp_path):
    bundle = _build("aarch64", tmp_path / "bundle")
    wheels = {w.name for w in (bundle / "wheels").iterdir()}
    assert any(name.startswith("pillow-") and "aarch64" in name for name in wheels)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--dry-run",
            "--ignore-installed",
            "--only-binary=:all:",
            "--platform",
            "manylinux_2_28_aarch64",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--abi",
            "cp311",
            "--target",
            str(tmp_path / "target"),
            "-r",
            "requirements.txt",
        ],
        cwd=bundle,
        env=PIP_ENV,
        check=True,
    )
