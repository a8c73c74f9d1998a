"""The amd64 image runs as an ECS container definition says (run_task.py) and serves the app against the emulator."""

import http.cookiejar
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import IMAGE_DIR
from PIL import Image as PILImage

import local_aws

RUNNER = IMAGE_DIR / "run_task.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def task_definition(environment: dict[str, str], **container) -> dict:
    """A hand-written task definition in the shape ECS takes (RegisterTaskDefinition)."""
    return {
        "family": "imageshare",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "volumes": [{"name": "spool"}],
        "containerDefinitions": [
            {
                "name": "app",
                "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/imageshare@sha256:0",
                "essential": True,
                "user": "10001:10001",
                "readonlyRootFilesystem": True,
                "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
                "mountPoints": [{"sourceVolume": "spool", "containerPath": "/tmp", "readOnly": False}],
                "environment": [{"name": k, "value": v} for k, v in sorted(environment.items())],
                **container,
            }
        ],
    }


def start_runner(layout: Path, definition: dict, tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, dict]:
    path = tmp_path / "taskdef.json"
    path.write_text(json.dumps(definition))
    cmd = [sys.executable, str(RUNNER), "--layout", str(layout), "--definition", str(path), "--work", str(tmp_path)]
    stderr = (tmp_path / "runner.log").open("w")
    proc = subprocess.Popen([*cmd, *extra], stdout=subprocess.PIPE, stderr=stderr, text=True)
    stderr.close()
    line = proc.stdout.readline()
    assert line, f"run_task.py exited with {proc.wait()}: {(tmp_path / 'runner.log').read_text()[-3000:]}"
    return proc, json.loads(line)


def stop_runner(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def container_pid(runner_info: dict) -> int:
    unshare = runner_info["pid"]
    for _ in range(100):
        children = Path(f"/proc/{unshare}/task/{unshare}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("no container process")


@pytest.fixture
def emulator():
    port = free_port()
    server = local_aws.start_emulator(port)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        yield port, local_aws.app_environment(endpoint, local_aws.provision(endpoint))
    finally:
        server.stop()


def sample_png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 40, 90)).save(out, format="PNG")
    return out.getvalue()


def upload_and_see_in_gallery(base: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = re.search(r'name="csrf_token" value="([^"]+)"', opener.open(f"{base}/").read().decode()).group(1)
    png, boundary = sample_png(), "imagetestboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cat.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": base}
    gallery = opener.open(urllib.request.Request(f"{base}/upload", data=body, headers=headers))
    html = gallery.read().decode()
    assert gallery.status == 200 and "cat.png" in html
    view = re.search(r'href="(/view/[^"]+)"', html).group(1)
    served = opener.open(f"{base}{view}")
    assert served.read() == png and served.headers["Content-Type"].startswith("image/png")
    assert re.search(r'href="/view/', opener.open(f"{base}/pics").read().decode())


def test_the_image_serves_health_an_upload_and_the_gallery_against_the_emulator(builds, emulator, tmp_path):
    emulator_port, environment = emulator
    # The image's own entry point and command; the health check ECS would run (no shell: CMD, not CMD-SHELL).
    health = {"command": ["CMD", "/usr/bin/python3.11", "/app/healthcheck.py"], "interval": 2, "startPeriod": 1}
    definition = task_definition(environment, healthCheck=health)
    proc, info = start_runner(builds[0] / "linux-amd64", definition, tmp_path, "--connect", str(emulator_port))
    try:
        base = f"http://127.0.0.1:{info['ports']['8000']}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except OSError:
                assert proc.poll() is None, "the container stopped"
                assert time.monotonic() < deadline, "/healthz never answered"
                time.sleep(0.5)
        status = Path(f"/proc/{container_pid(info)}/status").read_text()
        assert re.search(r"^Uid:\s+10001\s", status, re.M) and re.search(r"^Gid:\s+10001\s", status, re.M)
        upload_and_see_in_gallery(base)
        log = tmp_path / "runner.log"
        while "run-task: health check: healthy" not in log.read_text():
            assert time.monotonic() < deadline + 30, "the definition's health check never passed"
            time.sleep(0.5)
    finally:
        assert stop_runner(proc) == 0
    assert not (tmp_path / "rootfs").exists() and not list(tmp_path.glob("run-task-*"))


def test_the_root_is_read_only_and_only_the_volume_is_writable(builds, tmp_path):
    probe = (
        "import json, os\n"
        "def write(path):\n"
        "    try:\n"
        "        open(path, 'w').close(); return 'written'\n"
        "    except OSError as exc:\n"
        "        return exc.strerror\n"
        "print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'groups': os.getgroups(), 'cwd': os.getcwd(),\n"
        "    'root': write('/app/x'), 'etc': write('/etc/x'), 'tmp': write('/tmp/x'),\n"
        "    'sh': os.path.exists('/bin/sh'),\n"
        "    'env': os.environ.get('GREETING'), 'pid': os.getpid()}))\n"
    )
    definition = task_definition({"GREETING": "hello"}, entryPoint=["python3.11", "-c", probe], workingDirectory="/usr")
    path = tmp_path / "taskdef.json"
    path.write_text(json.dumps(definition))
    cmd = [sys.executable, str(RUNNER), "--layout", str(builds[0] / "linux-amd64"), "--definition", str(path)]
    result = subprocess.run([*cmd, "--work", str(tmp_path)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen == {
        "uid": 10001,
        "gid": 10001,
        "groups": [],
        "cwd": "/usr",
        "root": "Read-only file system",
        "etc": "Read-only file system",
        "tmp": "written",
        "sh": False,
        "env": "hello",
        "pid": 1,
    }


def test_the_definition_is_read_from_a_task_definition_a_synthesized_stack_or_describe_task_definition(tmp_path):
    import run_task

    container = {"name": "app", "user": "10001:10001", "portMappings": [{"containerPort": 8000}]}
    shapes = {
        "register": {"containerDefinitions": [container], "volumes": [{"name": "spool"}]},
        "describe": {"taskDefinition": {"containerDefinitions": [container], "volumes": [{"name": "spool"}]}},
        "terraform": {
            "resource": {
                "aws_ecs_task_definition": {
                    "task": {"container_definitions": json.dumps([container]), "volume": [{"name": "spool"}]}
                }
            }
        },
    }
    for name, document in shapes.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document))
        assert run_task.container_definition(path) == (container, [{"name": "spool"}]), name
    (tmp_path / "one.json").write_text(json.dumps(container))
    assert run_task.container_definition(tmp_path / "one.json") == (container, [])


def test_a_mount_point_never_leaves_the_root(tmp_path):
    import run_task

    root = tmp_path / "rootfs"
    (root / "usr").mkdir(parents=True)
    (root / "lib64").symlink_to("/usr")  # absolute: on this machine it would be the host's /usr
    assert run_task.mount_point(root, "/var/spool") == root / "var" / "spool"
    assert (root / "var" / "spool").is_dir()
    for bad in ("/lib64/x", "/../etc", "relative", "/"):
        with pytest.raises(SystemExit):
            run_task.mount_point(root, bad)
