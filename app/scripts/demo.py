"""Run the app locally against the embedded S3+KMS emulator: `make -C app demo-serve`.

Starts moto on EMULATOR_PORT (default 4566), provisions a bucket like production's, then runs gunicorn on
DEMO_PORT (default 8080). Ctrl-C (or SIGTERM) stops both; nothing is left behind (no pid files).
"""

import ctypes
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(APP_DIR))

import logging  # noqa: E402

import local_aws  # noqa: E402

HOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    # If this script is killed outright, the kernel stops gunicorn too, so no stale server keeps the port.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn with the production gunicorn.conf.py, bound to loopback; also used by bench/run.py."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"{HOST}:{port}",
            "application:application",
        ],
        cwd=APP_DIR,
        env=env,
        preexec_fn=_die_with_parent,
    )


def main() -> int:
    demo_port = int(os.environ.get("DEMO_PORT", "8080"))
    emulator_port = int(os.environ.get("EMULATOR_PORT", "4566"))
    for name, port in (("EMULATOR_PORT", emulator_port), ("DEMO_PORT", demo_port)):
        if not _port_free(port):
            print(f"demo: port {port} ({name}) is already in use; set {name} to another port", file=sys.stderr)
            return 2

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulator's per-request lines drown the app's
    emulator = local_aws.start_emulator(emulator_port, HOST)
    endpoint = f"http://{HOST}:{emulator_port}"
    key_arn = local_aws.provision(endpoint)
    env = {**os.environ, **local_aws.app_environment(endpoint, key_arn), "GUNICORN_WORKERS": "2"}
    server = start_gunicorn(demo_port, env)

    def stop(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    print(f"demo: emulator at {endpoint}, bucket {local_aws.BUCKET}", flush=True)
    print(f"demo: serving on http://{HOST}:{demo_port}  (Ctrl-C to stop)", flush=True)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=25)
            except subprocess.TimeoutExpired:
                server.kill()
        emulator.stop()
        print("demo: stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
