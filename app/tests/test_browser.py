"""End to end: the demo script (moto server + gunicorn) driven by Debian's Chromium through Playwright."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import image_bytes
from playwright.sync_api import sync_playwright

APP_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_url():
    demo_port, emulator_port = _free_port(), _free_port()
    env = {**os.environ, "DEMO_PORT": str(demo_port), "EMULATOR_PORT": str(emulator_port)}
    process = subprocess.Popen(
        [sys.executable, "scripts/demo.py"], cwd=APP_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{demo_port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", demo_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("demo did not start: " + process.stdout.read().decode())
    yield url
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    for port in (demo_port, emulator_port):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))  # both ports are free again: a second demo can start


def test_upload_through_browser_shows_thumbnail(demo_url, tmp_path, artifacts_dir):
    # Never a skip: a missing browser must fail `make test` (whose `browser` target installs it), not pass quietly.
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: run `make -C app browser` (apt-get install chromium)"
    picture = tmp_path / "sunset <b>.png"
    picture.write_bytes(image_bytes("PNG", (640, 480), (250, 120, 30)))
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = context.new_page()
        console_errors = []
        page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
        page.goto(demo_url + "/")
        page.set_input_files("input[name=file]", str(picture))
        page.click("button[type=submit]")
        page.wait_for_url("**/pics?uploaded=*")
        assert "Uploaded “sunset <b>.png”" in page.inner_text(".notice")
        thumb = page.locator(".gallery img").first
        thumb.wait_for()
        page.wait_for_function("() => document.querySelector('.gallery img').complete")
        assert thumb.evaluate("img => img.naturalWidth") > 0
        page.screenshot(path=os.path.join(artifacts_dir, "gallery-after-upload.png"), full_page=True)
        assert console_errors == []  # e.g. a CSP violation would show here
        context.close()
