"""`make image`: the app as an OCI image layout per platform, from pinned Debian packages and locked wheels.

    build.py [--platform linux/arm64 ...] [--out app/build/image] [--cache app/build/image-cache] [--offline]

Per platform, in <out>/<os>-<arch>/: an OCI image layout (index.json names the manifest `imageshare`), `digest`
(the manifest digest, `sha256:...`, what the task definition pins), `sbom.spdx.json` and `sizes.json`. Three layers:
  1. debian: the packages of debian.lock.json, unpacked by this script (no dpkg, no maintainer scripts run), minus
     docs/man pages and the stdlib modules whose libraries are left out (debian.EXCLUDED); no shell, no dpkg or apt;
     the standard library compiled to .pyc (checked-hash, so a changed source is still recompiled).
  2. python: the wheels of requirements.lock for the platform, installed by pip from the local cache only
     (--no-index --require-hashes: a wheel whose bytes differ from the lock fails the build) into
     /usr/local/lib/python3.11/dist-packages; no pip, no console scripts.
  3. app: /app (the app's code and healthcheck.py), /etc/passwd and /etc/group with the app user, and /tmp owned by
     it: the only place the app writes (its upload spool; the task mounts a volume there, declared as VOLUME so
     that ECS copies its owner and mode into the volume).
Reproducible: SOURCE_DATE_EPOCH (default: the newest Date of the locked suites) for every mtime and for the
config's `created`; numeric owners; sorted entries; gzip without name or time.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))

import debian  # noqa: E402
import oci  # noqa: E402
import sbom  # noqa: E402

IMAGE_DIR = Path(__file__).resolve().parent
APP_DIR = IMAGE_DIR.parent
REF = "imageshare"
APP_UID = APP_GID = 10001
PORT = 8000
SITE = "usr/local/lib/python3.11/dist-packages"
STDLIB = "usr/lib/python3.11"
APP_FILES = ("application.py", "gunicorn.conf.py")
PRUNE_PREFIXES = (
    "usr/share/doc/",
    "usr/share/man/",
    "usr/share/lintian/",
    "usr/share/info/",
    "usr/share/bug/",
    "usr/share/binfmts/",
)
WHEEL_ARCH = {"linux/arm64": "aarch64", "linux/amd64": "x86_64"}
# bookworm's glibc is 2.36; pip does not widen a --platform tag to older glibc versions, so list each one.
WHEEL_TAGS = ("manylinux2014_{arch}", *(f"manylinux_2_{minor}_{{arch}}" for minor in range(17, 37)))
ENTRYPOINT = ["/usr/bin/python3.11", "-m", "gunicorn", "--config", "/app/gunicorn.conf.py"]
CMD = ["--bind", f"0.0.0.0:{PORT}", "application:application"]
HEALTHCHECK = ["/usr/bin/python3.11", "/app/healthcheck.py"]


def log(message: str) -> None:
    print(f"image: {message}", file=sys.stderr, flush=True)


def source_date_epoch(lock: dict) -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    return max(int(parsedate_to_datetime(d).timestamp()) for d in lock["suites"].values())


# --- Debian packages --------------------------------------------------------------------------------------------


def fetch_deb(package: dict, cache: Path, offline: bool) -> Path:
    path = cache / "debs" / PurePosixPath(package["filename"]).name
    if not path.exists():
        if offline:
            raise SystemExit(f"image: {path.name} is not in the cache and --offline was given")
        base = debian.mirrors()[debian.SUITES[package["suite"]]]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with urllib.request.urlopen(f"{base}/{package['filename']}", timeout=120) as response:  # noqa: S310
                data = response.read()
        except OSError as exc:
            raise SystemExit(
                f"image: cannot download {package['filename']} ({exc}); the mirror may have replaced this version:"
                " run `make image-lock` and review the new pins"
            ) from exc
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.rename(path)
    if hashlib.sha256(path.read_bytes()).hexdigest() != package["sha256"]:
        raise SystemExit(f"image: {path} does not match the SHA-256 pinned in debian.lock.json; refusing it")
    return path


def deb_data(path: Path) -> tarfile.TarFile:
    """data.tar.* of a .deb (an ar archive: 8-byte magic, then 60-byte member headers)."""
    raw = path.read_bytes()
    if raw[:8] != b"!<arch>\n":
        raise SystemExit(f"image: {path} is not a Debian package")
    pos = 8
    while pos < len(raw):
        name, size = raw[pos : pos + 16].decode().strip().rstrip("/"), int(raw[pos + 48 : pos + 58])
        if name.startswith("data.tar"):
            return tarfile.open(fileobj=io.BytesIO(raw[pos + 60 : pos + 60 + size]), mode="r:*")
        pos += 60 + size + size % 2
    raise SystemExit(f"image: {path} has no data.tar")


def pruned(path: str) -> bool:
    if path.startswith(PRUNE_PREFIXES):
        return True
    name = PurePosixPath(path).name
    return path.startswith(f"{STDLIB}/lib-dynload/") and name.split(".")[0] in debian.EXCLUDED_MODULES


def deb_entries(path: Path) -> list[oci.Entry]:
    entries = []
    with deb_data(path) as tar:
        for member in tar.getmembers():
            name = os.path.normpath(member.name).lstrip("/")  # "./usr/bin/x" -> "usr/bin/x", "./" -> "."
            if name == "." or pruned(name + ("/" if member.isdir() else "")):
                continue
            mode = member.mode & 0o7777
            if member.isdir():
                entries.append(oci.Entry(name, "dir", mode, uid=member.uid, gid=member.gid))
            elif member.issym():
                entries.append(oci.Entry(name, "symlink", 0o777, target=member.linkname))
            elif member.isfile() or member.islnk():
                data = tar.extractfile(member).read()
                entries.append(oci.Entry(name, "file", mode, data=data, uid=member.uid, gid=member.gid))
            else:
                raise SystemExit(f"image: {path.name}: unexpected member type for {member.name}")
    return entries


# --- staging directories (for pip and compileall) -> entries ------------------------------------------------------


def tree_entries(root: Path, prefix: str, uid: int = 0, gid: int = 0) -> list[oci.Entry]:
    """Files under root as entries under prefix; modes normalized (0755 dirs and executables, else 0644)."""
    entries = []
    for path in sorted(root.rglob("*")):
        name = f"{prefix}/{path.relative_to(root).as_posix()}"
        if path.is_symlink():
            entries.append(oci.Entry(name, "symlink", 0o777, target=os.readlink(path)))
        elif path.is_dir():
            entries.append(oci.Entry(name, "dir", 0o755, uid=uid, gid=gid))
        else:
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            entries.append(oci.Entry(name, "file", mode, data=path.read_bytes(), uid=uid, gid=gid))
    return entries


def with_parents(entries: list[oci.Entry]) -> list[oci.Entry]:
    """Every parent directory present as an entry (root-owned 0755 unless the layer has its own)."""
    seen = {e.path for e in entries}
    extra = []
    for entry in entries:
        for parent in PurePosixPath(entry.path).parents:
            p = parent.as_posix()
            if p != "." and p not in seen:
                seen.add(p)
                extra.append(oci.Entry(p, "dir", 0o755))
    return entries + extra


def compile_tree(stage: Path, subdir: str, epoch: int) -> None:
    """.pyc next to the sources, as the image's interpreter would write them, with paths as seen in the image."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "compileall", "-q", "-f", "--invalidation-mode", "checked-hash"]
    cmd += ["-s", str(stage), "-p", "/", "-x", r"/(test|tests|idlelib|lib2to3/tests)/", str(stage / subdir)]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


def debian_layer(packages: list[dict], cache: Path, work: Path, epoch: int, offline: bool) -> list[oci.Entry]:
    by_path: dict[str, oci.Entry] = {}
    for package in packages:
        for entry in deb_entries(fetch_deb(package, cache, offline)):
            previous = by_path.get(entry.path)
            if previous is not None and previous.kind != "dir" and previous != entry:
                raise SystemExit(f"image: {entry.path} is shipped differently by two packages")
            by_path[entry.path] = entry
    stdlib = work / "stdlib"
    shutil.rmtree(stdlib, ignore_errors=True)
    for entry in by_path.values():
        if entry.path.startswith(STDLIB + "/") and entry.kind == "file" and entry.path.endswith(".py"):
            target = stdlib / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.data)
    compile_tree(stdlib, STDLIB, epoch)
    for pyc in sorted((stdlib / STDLIB).rglob("*.pyc")):
        name = pyc.relative_to(stdlib).as_posix()
        by_path[name] = oci.Entry(name, "file", 0o644, data=pyc.read_bytes())
    for name in ("dev", "proc", "sys", "etc", "run"):
        by_path.setdefault(name, oci.Entry(name, "dir", 0o755))
    return with_parents(list(by_path.values()))


# --- wheels -----------------------------------------------------------------------------------------------------


def pip_env() -> dict[str, str]:
    """PyPI only, as locked: this machine's pip.conf and PIP_* mirrors would hide what a clean machine downloads."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def wheel_args(platform: str) -> list[str]:
    args = ["--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311"]
    for tag in WHEEL_TAGS:
        args += ["--platform", tag.format(arch=WHEEL_ARCH[platform])]
    return args


def python_layer(platform: str, cache: Path, work: Path, epoch: int, offline: bool) -> tuple[list, list[dict]]:
    wheels = cache / "wheels" / WHEEL_ARCH[platform]
    wheels.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    lock = ["--require-hashes", "--no-deps", "-r", str(APP_DIR / "requirements.lock")]
    if not offline:
        subprocess.run(
            [*pip, "download", "--quiet", "-d", str(wheels), "--find-links", str(wheels), *wheel_args(platform), *lock],
            check=True,
            env=pip_env(),
        )
    stage = work / "site"
    shutil.rmtree(stage, ignore_errors=True)
    report = work / "pip-report.json"
    # --no-index: only the cache; --require-hashes: every file is checked against requirements.lock.
    install = [
        *pip,
        "install",
        "--quiet",
        "--no-index",
        "--find-links",
        str(wheels),
        "--no-compile",
        "--target",
        str(stage / SITE),
        "--report",
        str(report),
        *wheel_args(platform),
        *lock,
    ]
    result = subprocess.run(install, check=False, capture_output=True, text=True, env=pip_env())
    if result.returncode != 0:
        raise SystemExit(f"image: installing the locked wheels failed:\n{result.stdout}{result.stderr}")
    # Console scripts (outside the package directory) name the build's interpreter in their first line: not in the
    # image, and not in the RECORD files either (their hashes would carry the build's path into the image).
    shutil.rmtree(stage / SITE / "bin", ignore_errors=True)
    for record in sorted((stage / SITE).glob("*.dist-info/RECORD")):
        lines = record.read_text().splitlines(keepends=True)
        record.write_text("".join(line for line in lines if not line.startswith("../")))
    compile_tree(stage, SITE, epoch)
    installed = [
        {
            "name": item["metadata"]["name"],
            "version": item["metadata"]["version"],
            "file": PurePosixPath(item["download_info"]["url"]).name,
            "sha256": item["download_info"]["archive_info"]["hashes"]["sha256"],
        }
        for item in json.loads(report.read_text())["install"]
    ]
    return with_parents(tree_entries(stage / SITE, SITE)), sorted(installed, key=lambda d: d["name"].lower())


# --- the app ----------------------------------------------------------------------------------------------------


def app_layer(work: Path, epoch: int) -> list[oci.Entry]:
    stage = work / "app"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(APP_DIR / "imageshare", stage / "app" / "imageshare", ignore=shutil.ignore_patterns("__pycache__"))
    for name in APP_FILES:
        shutil.copy2(APP_DIR / name, stage / "app" / name)
    shutil.copy2(IMAGE_DIR / "healthcheck.py", stage / "app" / "healthcheck.py")
    compile_tree(stage, "app", epoch)
    entries = tree_entries(stage / "app", "app")
    entries.append(oci.Entry("app", "dir", 0o755))
    passwd = f"root:x:0:0:root:/root:/nonexistent\napp:x:{APP_UID}:{APP_GID}:imageshare:/nonexistent:/nonexistent\n"
    entries.append(oci.Entry("etc/passwd", "file", 0o644, data=passwd.encode()))
    entries.append(oci.Entry("etc/group", "file", 0o644, data=f"root:x:0:\napp:x:{APP_GID}:\n".encode()))
    entries.append(oci.Entry("tmp", "dir", 0o700, uid=APP_UID, gid=APP_GID))
    return with_parents(entries)


def image_config(platform: str, epoch: int) -> dict:
    os_name, arch = platform.split("/")
    return {
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)),
        "architecture": arch,
        **({"variant": "v8"} if arch == "arm64" else {}),
        "os": os_name,
        "config": {
            "User": f"{APP_UID}:{APP_GID}",
            "Env": [
                "PATH=/usr/local/bin:/usr/bin",
                "LANG=C.UTF-8",
                "PYTHONDONTWRITEBYTECODE=1",
                "PYTHONUNBUFFERED=1",
                "TMPDIR=/tmp",
            ],
            "Entrypoint": ENTRYPOINT,
            "Cmd": CMD,
            "WorkingDir": "/app",
            "ExposedPorts": {f"{PORT}/tcp": {}},
            "Volumes": {"/tmp": {}},  # noqa: S108 (the spool volume, owned by the app user)
            "Labels": {"org.opencontainers.image.title": REF, "healthcheck": json.dumps(HEALTHCHECK)},
        },
    }


# --- one platform -----------------------------------------------------------------------------------------------


def build_platform(platform: str, lock: dict, out: Path, cache: Path, offline: bool) -> tuple[Path, str]:
    started = time.monotonic()
    epoch = source_date_epoch(lock)
    name = platform.replace("/", "-")
    layout_dir = out / name
    shutil.rmtree(layout_dir, ignore_errors=True)
    packages = lock["packages"][platform]
    # A private staging directory per build (its path never reaches the image: compileall strips it).
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"work-{name}-", dir=cache))
    try:
        base = debian_layer(packages, cache, work, epoch, offline)
        site, distributions = python_layer(platform, cache, work, epoch, offline)
        app = app_layer(work, epoch)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tars = [oci.layer_tar(entries, epoch) for entries in (base, site, app)]
    layout = oci.Layout(layout_dir)
    os_name, arch = platform.split("/")
    platform_spec = {"architecture": arch, "os": os_name, **({"variant": "v8"} if arch == "arm64" else {})}
    created = image_config(platform, epoch)["created"]
    manifest, content = layout.image(
        tars, image_config(platform, epoch), platform_spec, REF, {"org.opencontainers.image.created": created}
    )
    (layout_dir / "digest").write_text(manifest["digest"] + "\n")
    document = sbom.spdx(platform, manifest["digest"], created, packages, distributions)
    (layout_dir / "sbom.spdx.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    blobs = sorted((layout_dir / "blobs" / "sha256").iterdir())
    sizes = {
        "compressed_bytes": sum(p.stat().st_size for p in blobs),
        "uncompressed_bytes": sum(len(t) for t in tars),
        "layers": [
            {"uncompressed": len(t), "compressed": d["size"]} for t, d in zip(tars, content["layers"], strict=True)
        ],
    }
    (layout_dir / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n")
    mib = 1024 * 1024
    log(
        f"{platform}: {sizes['compressed_bytes'] / mib:.1f} MiB compressed, "
        f"{sizes['uncompressed_bytes'] / mib:.1f} MiB uncompressed, {time.monotonic() - started:.0f} s"
    )
    return layout_dir, manifest["digest"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--platform", action="append", choices=sorted(debian.ARCHES))
    parser.add_argument("--out", type=Path, default=APP_DIR / "build" / "image")
    parser.add_argument("--cache", type=Path, default=APP_DIR / "build" / "image-cache")
    parser.add_argument("--offline", action="store_true", help="use only the cache (no download)")
    args = parser.parse_args()
    lock = json.loads(debian.LOCK_FILE.read_text())
    # amd64 first: the last line printed is the arm64 image, the one Fargate on Graviton runs.
    platforms = args.platform or ["linux/amd64", "linux/arm64"]
    results = [build_platform(p, lock, args.out.resolve(), args.cache.resolve(), args.offline) for p in platforms]
    # images.json: every platform built into this directory so far -> its layout (relative) and manifest digest.
    listing = args.out / "images.json"
    images = json.loads(listing.read_text()) if listing.exists() else {}
    images.update({p: {"layout": d.name, "digest": dig} for p, (d, dig) in zip(platforms, results, strict=True)})
    listing.write_text(json.dumps(images, indent=2, sort_keys=True) + "\n")
    for layout_dir, manifest_digest in results:
        shown = layout_dir.relative_to(Path.cwd()) if layout_dir.is_relative_to(Path.cwd()) else layout_dir
        print(f"image: {shown} {manifest_digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
