"""make push's path: skopeo copies the layout to Debian's docker-registry on 127.0.0.1, the digest read back matches."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import push
import pytest
from conftest import IMAGE_DIR, PLATFORMS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def registry(tmp_path):
    """docker-registry serving tmp_path/storage on a random loopback port, stopped by its pid (failures too)."""
    binary = shutil.which("docker-registry") or "/usr/bin/docker-registry"
    port = free_port()
    config = tmp_path / "registry.yml"
    config.write_text(
        json.dumps(
            {
                "version": 0.1,
                "log": {"level": "error"},
                "storage": {"filesystem": {"rootdirectory": str(tmp_path / "storage")}},
                "http": {"addr": f"127.0.0.1:{port}"},
            }
        )
    )
    log = (tmp_path / "registry.log").open("w")
    proc = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "registry.log").read_text()
                assert time.monotonic() < deadline, "registry did not answer /v2/"
                time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_push_to_a_registry_and_read_the_digest_back(registry, builds):
    for platform in PLATFORMS:
        layout_dir = builds[0] / platform.replace("/", "-")
        expected = (layout_dir / "digest").read_text().strip()
        cmd = [sys.executable, str(IMAGE_DIR / "push.py"), str(layout_dir), f"{registry}/imageshare"]
        result = subprocess.run([*cmd, "--insecure-loopback"], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"pushed: {registry}/imageshare@{expected}"
        tag = f"{platform.split('/')[1]}-{expected[7:19]}"
        inspect = ["skopeo", "inspect", "--tls-verify=false", f"docker://{registry}/imageshare:{tag}"]
        read_back = json.loads(subprocess.run(inspect, capture_output=True, text=True, check=True).stdout)
        assert read_back["Digest"] == expected
        assert read_back["Architecture"] == platform.split("/")[1]
        # The registry serves the manifest bytes of the layout unchanged (by digest, as the task definition pins it).
        url = f"http://127.0.0.1:{registry.split(':')[1]}/v2/imageshare/manifests/{expected}"
        request = urllib.request.Request(url, headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            blob = Path(layout_dir / "blobs" / "sha256" / expected[7:]).read_bytes()
            assert response.read() == blob


def test_ecr_credentials_come_from_get_login_password_for_the_hosts_region(monkeypatch):
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, stdout="TOKEN\n")

    monkeypatch.delenv("REGISTRY_PASSWORD", raising=False)
    monkeypatch.setattr(push.subprocess, "run", fake_run)
    assert push.registry_password("123456789012.dkr.ecr.eu-west-1.amazonaws.com") == ("AWS", "TOKEN")
    assert calls == [["aws", "ecr", "get-login-password", "--region", "eu-west-1"]]
    assert push.registry_password("127.0.0.1:5000") is None


def test_credentials_never_reach_skopeos_command_line(monkeypatch, builds, tmp_path):
    seen = []

    def fake_skopeo(*args):
        seen.append(args)
        authfile = Path(args[args.index("--dest-authfile") + 1]) if "--dest-authfile" in args else None
        if authfile is not None:
            assert authfile.stat().st_mode & 0o077 == 0
        if args[0] == "inspect" and "--raw" in args:
            return json.dumps({"config": {"digest": "sha256:other"}})
        return "sha256:other\n"

    monkeypatch.setenv("REGISTRY_PASSWORD", "s3cret")
    monkeypatch.setattr(push, "skopeo", fake_skopeo)
    with pytest.raises(SystemExit, match="the registry has sha256:other"):
        push.push(builds[0] / "linux-arm64", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", None, False)
    assert seen and not [a for a in seen if any("s3cret" in part for part in a)]
