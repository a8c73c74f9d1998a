"""Case 4: the app under a bounded load of uploads and gallery views while S3 fails for a window.

The app runs as on an instance (gunicorn, tools/e2e's emulator as its S3) against the images bucket and data key
that Terraform created. The outage opens right after S3 stores an upload (the moment that can leave an upload half
written) and lasts OUTAGE_SECONDS. Expected: 503 pages during it (never a 500, never a traceback), liveness 200
throughout, every request succeeding after it without a restart, every acknowledged upload stored with its thumbnail
and no listed image without one.
"""

import http.cookiejar
import io
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from .harness import ROOT, Run, check, record, say

STACK = "app-dev"
CLIENTS = 4
OUTAGE_SECONDS = float(os.environ.get("E2E_FAULTS_OUTAGE_SECONDS", "6"))
WARMUP_SECONDS, AFTER_SECONDS = 3.0, 5.0
ALLOWED = {200, 302, 303, 304, 503}


@dataclass
class Answer:
    kind: str
    status: int
    started: float
    ended: float
    body: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def png(seed: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (seed * 37 % 256, seed * 91 % 256, 120)).save(buffer, "PNG")
    return buffer.getvalue()


class Load:
    """CLIENTS users, each: the upload form, an upload, the gallery, one thumbnail from it; plus a liveness probe."""

    def __init__(self, base: str):
        self.base = base
        self.answers: list[Answer] = []
        self.liveness: list[int] = []
        self.acknowledged: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def request(self, opener, kind: str, path: str, data: bytes | None = None, headers: dict | None = None):
        started = time.monotonic()
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with opener.open(req, timeout=30) as answer:
                status, body, location = answer.status, answer.read(), answer.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, body, location = error.code, error.read(), error.headers.get("Location", "")
        text = body.decode(errors="replace") if kind != "thumbnail" else ""
        with self.lock:
            self.answers.append(Answer(kind, status, started, time.monotonic(), text))
        return status, text, location

    def user(self, number: int) -> None:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        count = 0
        while not self.stopping.is_set():
            count += 1
            status, page, _ = self.request(opener, "form", "/")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            if status == 200 and token:
                self.upload(opener, token.group(1), png(number * 1000 + count))
            status, gallery, _ = self.request(opener, "gallery", "/pics")
            thumb = re.search(r'src="(/images/thumbs/[^"]+)"', gallery) if status == 200 else None
            if thumb:
                self.request(opener, "thumbnail", thumb.group(1))

    def upload(self, opener, token: str, image: bytes) -> None:
        boundary = "faultsboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="load.png"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + image
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        status, _, location = self.request(opener, "upload", "/upload", body, headers)
        uploaded = re.search(r"uploaded=([0-9A-Z]{26})", location)
        if status == 303 and uploaded:
            with self.lock:
                self.acknowledged.append(uploaded.group(1))

    def probe(self) -> None:
        while not self.stopping.is_set():
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as answer:
                    self.liveness.append(answer.status)
            except (urllib.error.URLError, OSError) as error:
                self.liveness.append(getattr(error, "code", 0))
            time.sleep(0.2)


def start_app(run: Run, bucket: str, key_arn: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "PATH": os.environ["PATH"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_CA_BUNDLE": str(run.ca),
        "IMAGES_BUCKET": bucket,
        "KMS_KEY_ARN": key_arn,
        "S3_ENDPOINT_URL": run.endpoint,
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
    }
    app = run.start(
        [str(ROOT / "app/.venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "application:application"],
        run.work / "app.log",
        cwd=ROOT / "app",
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1)
            return app, base
        except OSError:
            check(app.poll() is None, f"the app exited; see {run.work / 'app.log'}")
            time.sleep(0.2)
    raise AssertionError("unreachable")


def workers(app: subprocess.Popen) -> set[str]:
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(app.pid)], capture_output=True, text=True, check=False)
    return set(children.stdout.split())


def images_target(run: Run) -> tuple[str, str]:
    resources = run.state_resources(STACK)
    bucket = next(r for r in resources if r["type"] == "aws_s3_bucket" and "images-bucket" in r["name"])
    key = next(r for r in resources if r["type"] == "aws_kms_key" and "data-key" in r["name"])
    return bucket["values"]["bucket"], key["values"]["arn"]


def drive(run: Run, load: Load, bucket: str) -> tuple[float, float]:
    """Warm up, open the outage at the next stored upload, keep going after it; returns the window (monotonic)."""
    threads = [threading.Thread(target=load.user, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=load.probe))
    for thread in threads:
        thread.start()
    try:
        time.sleep(WARMUP_SECONDS)
        run.faults({"outage": {"seconds": OUTAGE_SECONDS, "bucket": bucket, "after_write": "uploads/"}})
        armed = time.monotonic()
        while not run.faults()["outage_opened"]:
            check(time.monotonic() - armed < 30, "no upload reached S3 to open the outage")
            time.sleep(0.05)
        opened = time.monotonic()
        while run.faults()["outage_active"]:
            time.sleep(0.1)
        closed = time.monotonic()
        time.sleep(AFTER_SECONDS)
    finally:
        load.stopping.set()
        for thread in threads:
            thread.join(timeout=60)
    return opened, closed


def check_answers(load: Load, opened: float, closed: float) -> tuple[int, int]:
    bad = [a for a in load.answers if a.status not in ALLOWED or "Traceback" in a.body]
    check(not bad, f"answers other than 200/30x/503, or a traceback: {[(a.kind, a.status) for a in bad][:10]}")
    during = [a for a in load.answers if a.started < closed and a.ended > opened]
    unavailable = [a for a in during if a.status == 503]
    check(unavailable, "no 503 page during the outage")
    check(
        all("Image storage is unavailable" in a.body for a in unavailable if a.kind != "thumbnail"),
        "a 503 that is not the app's storage-unavailable page",
    )
    check(load.liveness and set(load.liveness) == {200}, f"liveness answers: {sorted(set(load.liveness))}")
    after = [a for a in load.answers if a.started > closed + 0.5]
    failed = [(a.kind, a.status) for a in after if a.status not in (200, 302, 303, 304)]
    check(after and not failed, f"{len(failed)} of {len(after)} requests failed after the outage: {failed[:10]}")
    return len(unavailable), len(after)


def check_objects(run: Run, load: Load, bucket: str) -> tuple[int, int]:
    s3 = run.client("s3")
    listed: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        listed |= {o["Key"] for o in page.get("Contents", [])}
    originals = {k.split("/")[1].split(".")[0] for k in listed if k.startswith("uploads/")}
    thumbs = {k.split("/")[1].split(".")[0] for k in listed if k.startswith("thumbs/")}
    check(originals <= thumbs, f"listed images without their thumbnail: {sorted(originals - thumbs)}")
    lost = [i for i in load.acknowledged if i not in originals or i not in thumbs]
    check(not lost, f"acknowledged uploads missing from S3: {lost}")
    return len(originals), len(thumbs - originals)


def case(run: Run) -> None:
    started = time.time()
    bucket, key_arn = images_target(run)
    app, base = start_app(run, bucket, key_arn)
    try:
        before = workers(app)
        load = Load(base)
        opened, closed = drive(run, load, bucket)
        refused = run.faults()["refused"].get("ServiceUnavailable", 0)
        for number, line in enumerate(run.runbook("storage-outage")):
            result = run.documented(line, {"app URL": base}, run.work / f"storage-outage-step{number}.log")
            check(result.stdout.strip() == "200", f"after the outage, {line} answered {result.stdout.strip()}")
        unavailable, after = check_answers(load, opened, closed)
        check(app.poll() is None and workers(app) == before, "the app restarted (its process or its workers changed)")
    finally:
        run.stop(app)
    stored, orphans = check_objects(run, load, bucket)
    say(f"-- case 4: {len(load.answers)} requests, {unavailable} 503 pages during the outage, {after} after it")
    record(
        "4 storage outage under load",
        f"S3 answered 503 ServiceUnavailable to {refused} calls on the images bucket for {OUTAGE_SECONDS:.0f}s,"
        f" opened right after a stored upload, under {CLIENTS} users (uploads, gallery, thumbnails)",
        f"{len(load.answers)} requests: {unavailable} 503 pages during, no 500, no traceback; liveness 200"
        f" {len(load.liveness)}/{len(load.liveness)}; all {after} requests after it succeeded, same processes;"
        f" {len(load.acknowledged)} acknowledged uploads all stored with thumbnails; {stored} listed, none without"
        f" thumbnail ({orphans} unlisted thumbnails of refused uploads)",
        time.time() - started,
    )
