"""The image's promises: same inputs same digest, non-root, no shell or package manager, SBOM, hash-checked inputs."""

import hashlib
import json
import re
import shutil
import tarfile
from pathlib import Path, PurePosixPath

import pytest
from conftest import APP_DIR, CACHE, PLATFORMS, build

import build as builder

LOCK = json.loads((APP_DIR / "image" / "debian.lock.json").read_text())


def files(tree: Path) -> dict[str, str]:
    return {
        p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in tree.rglob("*")
        if p.is_file()
    }


def test_two_clean_builds_give_the_same_bytes(builds):
    first, second = builds
    for platform in PLATFORMS:
        name = platform.replace("/", "-")
        digest = (first / name / "digest").read_text().strip()
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)
        assert (second / name / "digest").read_text().strip() == digest
        assert files(first / name) == files(second / name)  # every blob, the SBOM, sizes.json


def test_the_digest_file_names_the_manifest_in_the_layout(images, builds):
    for platform, image in images.items():
        assert (builds[0] / platform.replace("/", "-") / "digest").read_text() == image.digest + "\n"
        os_name, arch = platform.split("/")
        assert (image.config["os"], image.config["architecture"]) == (os_name, arch)
        assert image.descriptor["platform"]["architecture"] == arch


def test_runs_as_a_numeric_non_root_user(images):
    for image in images.values():
        uid, gid = image.config["config"]["User"].split(":")
        assert uid.isdigit() and gid.isdigit() and int(uid) != 0 and int(gid) != 0


def test_no_shell_no_package_manager_only_the_interpreter_as_a_program(images):
    for image in images.values():
        members = image.members()
        names = {PurePosixPath(n).name for n in members}
        assert not {"sh", "bash", "dash", "busybox", "su", "sudo"} & names
        assert not [n for n in members if re.search(r"(^|/)(dpkg|apt|pip\d*(\.\d+)?)(/|$)", n)]
        assert not [n for n in members if n.startswith(("var/lib/dpkg", "var/lib/apt", "etc/apt", "etc/dpkg"))]
        assert not [n for n in members if n.startswith(("bin/", "sbin/", "usr/sbin/"))]
        programs = [n for n, m in members.items() if n.startswith("usr/bin/") and not m.isdir()]
        assert programs == ["usr/bin/python3.11"]


def test_only_the_spool_is_writable_by_the_app_user(images):
    for image in images.values():
        uid = int(image.config["config"]["User"].split(":")[0])
        writable = sorted(n for n, m in image.members().items() if m.uid == uid or m.mode & 0o002 and not m.issym())
        assert writable == ["tmp"]
        assert image.config["config"]["Volumes"] == {"/tmp": {}}
        assert "TMPDIR=/tmp" in image.config["config"]["Env"]


def test_no_set_id_programs(images):
    for image in images.values():
        assert not [n for n, m in image.members().items() if m.mode & 0o6000]


def test_sbom_lists_every_debian_package_and_python_distribution(images, builds):
    pins = dict(re.findall(r"^([a-z0-9._-]+)==(\S+)", (APP_DIR / "requirements.lock").read_text(), re.M))
    for platform, image in images.items():
        sbom = json.loads((builds[0] / platform.replace("/", "-") / "sbom.spdx.json").read_text())
        assert sbom["spdxVersion"] == "SPDX-2.3"
        listed = {p["externalRefs"][0]["referenceLocator"].split("/")[0]: [] for p in sbom["packages"][1:]}
        for package in sbom["packages"][1:]:
            listed[package["externalRefs"][0]["referenceLocator"].split("/")[0]].append(package)
        debs = {p["name"]: p["versionInfo"] for p in listed["pkg:deb"]}
        assert debs == {p["name"]: p["version"] for p in LOCK["packages"][platform]}
        # Python distributions: what the image holds (dist-info METADATA) = the SBOM = requirements.lock.
        pattern = r"usr/local/lib/python3\.11/dist-packages/[^/]+\.dist-info/METADATA"
        metadata = image.read({n for n in image.members() if re.fullmatch(pattern, n)})
        in_image = {}
        for meta in (m.decode() for m in metadata.values()):
            dist = re.search(r"^Name: (.*)$", meta, re.M).group(1)
            in_image[dist.lower().replace("_", "-")] = re.search(r"^Version: (.*)$", meta, re.M).group(1)
        assert {p["name"].lower().replace("_", "-"): p["versionInfo"] for p in listed["pkg:pypi"]} == in_image
        assert in_image == pins


def test_every_system_file_comes_from_a_package_in_the_sbom(images, builds):
    """Outside the app, site-packages and generated .pyc, each file of the image is in a .deb the SBOM lists."""
    for platform, image in images.items():
        sbom = json.loads((builds[0] / platform.replace("/", "-") / "sbom.spdx.json").read_text())
        shipped = set()
        for package in sbom["packages"][1:]:
            if package["externalRefs"][0]["referenceLocator"].startswith("pkg:deb/"):
                for entry in builder.deb_entries(CACHE / "debs" / package["packageFileName"]):
                    shipped.add(entry.path)
        ours = ("app/", "usr/local/lib/python3.11/dist-packages/", "etc/passwd", "etc/group")
        unexplained = [
            n
            for n, m in image.members().items()
            if not m.isdir() and n not in shipped and not n.startswith(ours) and not n.endswith(".pyc")
        ]
        assert unexplained == []


def _cache_copy(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    shutil.copytree(CACHE / "debs", cache / "debs")
    shutil.copytree(CACHE / "wheels", cache / "wheels")
    return cache


def test_a_tampered_wheel_fails_the_build(tmp_path, builds):
    cache = _cache_copy(tmp_path)
    wheel = sorted((cache / "wheels" / "x86_64").glob("six-*.whl"))[0]
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    result = build(tmp_path / "out", "--offline", "--platform", "linux/amd64", cache=cache)
    assert result.returncode != 0
    assert "do not match the hashes" in result.stderr.lower() or "hash" in result.stderr.lower()
    assert not (tmp_path / "out" / "linux-amd64" / "digest").exists()


def test_a_tampered_debian_package_fails_the_build(tmp_path, builds):
    cache = _cache_copy(tmp_path)
    deb = cache / "debs" / PurePosixPath(LOCK["packages"]["linux/amd64"][0]["filename"]).name
    deb.write_bytes(deb.read_bytes()[:-1] + b"\1")
    result = build(tmp_path / "out", "--offline", "--platform", "linux/amd64", cache=cache)
    assert result.returncode != 0
    assert "does not match the SHA-256 pinned in debian.lock.json" in result.stderr


@pytest.mark.parametrize("platform", PLATFORMS)
def test_layers_are_tars_with_fixed_owners_and_times(images, platform):
    image = images[platform]
    for tar in image.layer_tars():
        with tarfile.open(fileobj=__import__("io").BytesIO(tar)) as archive:
            members = archive.getmembers()
        assert [m.name for m in members] == sorted(m.name for m in members)
        assert {m.mtime for m in members} == {members[0].mtime}
        assert {(m.uname, m.gname) for m in members} == {("", "")}
        assert not [m for m in members if m.islnk() or m.ischr() or m.isblk()]


def test_no_file_of_the_image_names_the_build_machines_paths(images):
    """Paths of this checkout, the cache or the interpreter in a file would make the digest depend on where it ran."""
    import sys

    needles = {str(APP_DIR).encode(), str(CACHE).encode(), sys.executable.encode(), sys.prefix.encode()}
    for image in images.values():
        for tar in image.layer_tars():
            assert not [n for n in needles if n in tar]
