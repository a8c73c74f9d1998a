"""`make bench`: how fast one instance of the app is, and whether it stays flat as the bucket and the files grow.

Runs the app under gunicorn with the production gunicorn.conf.py (loopback only) against the local S3+KMS emulator
(app/local_aws.py, as `make demo` does), seeds the emulator directly with boto3 in the app's key scheme, measures,
prints a table with pass/fail against the targets and writes the figures to bench/latest.json (git-ignored: a run
changes no tracked file; `make bench-record` copies them into bench/results.json and docs/limitations.md). Run with
the app's venv python. Not a test: the figures depend on the machine, which is recorded with them.
"""

import argparse
import datetime
import gc
import http.client
import io
import json
import os
import platform
import random
import re
import runpy
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
APP_DIR = BENCH_DIR.parent / "app"
sys.path[:0] = [str(APP_DIR), str(APP_DIR / "scripts")]

import logging  # noqa: E402

import boto3  # noqa: E402
import demo  # noqa: E402
import local_aws  # noqa: E402
from imageshare import keys  # noqa: E402
from imageshare.contract import ENV, READINESS_PATH, UPLOAD_PATH  # noqa: E402
from imageshare.images import check_image, make_thumbnail  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.s3.models import s3_backends  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

HOST = demo.HOST
MB = 1024 * 1024
UPLOAD_SIZES_MB = (1, 10, 100)
# The app's default is 10 MB; the bench raises it so the 100 MB upload is accepted.
BENCH_MAX_UPLOAD_MB = 128
# The gunicorn.conf.py defaults (kept) and the candidate tried against them: two workers per core. On a 2-core
# machine sharing its CPU with the emulator the candidate served no more and cost more app CPU per request, plus
# ~90 MB RSS per extra worker, so the defaults stayed (TUNING_DECISION, recorded in results.json).
BEFORE_TUNING = {"GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "8"}
AFTER_TUNING = {"GUNICORN_WORKERS": str(2 * (os.cpu_count() or 1)), "GUNICORN_THREADS": "8"}
TUNING_DECISION = (
    "Kept 2 workers x 8 gthreads, 64 KiB stream chunks, 32 pooled S3 connections: 2 x cores workers gave no more "
    "requests per second, more app CPU per request and ~90 MB RSS per extra worker. One process per core already "
    "uses both cores; the threads cover the S3 waits. Thumbnails (<= 12 KiB) fit one 64 KiB chunk."
)
TARGETS = {
    "upload_peak_rss_mb_100": 64,
    "gallery_p95_growth": 1.5,
    "gallery_thumbnail_bytes": 300_000,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def machine() -> dict:
    cpu_model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# --- processes -----------------------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM of a process in kB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


class AppServer:
    """gunicorn (production config) on a free loopback port, pointed at the emulator."""

    def __init__(self, app_env: dict[str, str], overrides: dict[str, str] | None = None):
        self.port = free_port()
        self.overrides = overrides or {}
        env = {**os.environ, **app_env, ENV["logLevel"]: "WARNING", **self.overrides}
        self.process = demo.start_gunicorn(self.port, env)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = request("GET", self.port, READINESS_PATH)
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited during startup")
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready")

    def settings(self) -> dict[str, int]:
        """workers and threads as gunicorn.conf.py resolves them under this server's overrides."""
        saved = dict(os.environ)
        os.environ.update(self.overrides)
        try:
            conf = runpy.run_path(str(APP_DIR / "gunicorn.conf.py"))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return {"workers": conf["workers"], "threads": conf["threads"]}

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(method: str, port: int, path: str, body=None, headers=None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120, blocksize=MB)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# --- fixtures ------------------------------------------------------------------------------------------------


def photo_like(rng: random.Random, size=(1024, 768)) -> Image.Image:
    """Synthetic images from smooth to worst case (noise), so thumbnail sizes span what photos produce."""
    kind = rng.randrange(4)
    if kind == 0:
        channels = [Image.effect_mandelbrot(size, (-2 + 0.1 * i, -1.2, 1, 1.2), 100 + 50 * i) for i in range(3)]
        return Image.merge("RGB", channels)
    noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    if kind == 3:
        return noise  # incompressible: the largest thumbnail the app can be made to produce
    return noise.filter(ImageFilter.GaussianBlur(0.8 * kind))


def high_entropy_jpeg(target_bytes: int, seed: int) -> bytes:
    """A valid JPEG of about target_bytes: random pixels at quality 100, 4:4:4 (about 4 bytes per pixel)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible pixels, not secrets
    bytes_per_pixel = 4.1
    for _ in range(3):
        pixels = target_bytes / bytes_per_pixel
        width = int((pixels * 4 / 3) ** 0.5)
        height = int(pixels / width)
        img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=100, subsampling=0)
        data = out.getvalue()
        if abs(len(data) - target_bytes) <= 0.02 * target_bytes:
            return data
        bytes_per_pixel = len(data) / (width * height)
    return data


def valid_upload(target_bytes: int, max_pixels: int) -> tuple[bytes, float]:
    """A JPEG the app accepts (random data can spell `<svg` by chance: try another seed), and its check time."""
    for seed in range(10):
        data = high_entropy_jpeg(target_bytes, seed)
        started = time.perf_counter()
        try:
            check_image(io.BytesIO(data), max_pixels)
        except ValueError:
            continue
        return data, time.perf_counter() - started
    raise RuntimeError("could not generate an accepted upload")


# --- emulator ------------------------------------------------------------------------------------------------


class Emulator:
    """moto server in this process (as `make demo` runs it); the bench itself only waits while the app is measured."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://{HOST}:{self.port}"
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per emulator request otherwise
        self.server = local_aws.start_emulator(self.port, HOST)
        self.key_arn = local_aws.provision(self.endpoint)
        credentials = local_aws.FAKE_CREDENTIALS
        self.s3 = boto3.session.Session(
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
            region_name=local_aws.REGION,
        ).client("s3", endpoint_url=self.endpoint)
        self.ids: list[str] = []
        self.list_seconds: list[float] = []
        self._time_listings()

    def _time_listings(self) -> None:
        """Record how long the emulator itself spends on each ListObjectsV2 (its WSGI app, server side)."""
        server = self.server._server
        inner = server.app

        def timed(environ, start_response):
            started = time.perf_counter()
            try:
                return inner(environ, start_response)
            finally:
                if "list-type=2" in environ.get("QUERY_STRING", ""):
                    self.list_seconds.append(time.perf_counter() - started)

        server.app = timed

    def app_env(self) -> dict[str, str]:
        return {
            **local_aws.app_environment(self.endpoint, self.key_arn),
            ENV["uploadLimitMb"]: str(BENCH_MAX_UPLOAD_MB),
        }

    def seed(self, count: int, thumbnails: list[bytes], original: bytes) -> float:
        """Store `count` more images (original + thumbnail, the app's keys, SSE-KMS) older than any so far.

        Straight into the emulator's store, which its HTTP server serves: moto answers ~110 PUT/s over HTTP on
        this kind of machine, which would make 20,000 objects take three minutes.
        """
        backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
        start_ms = 1_700_000_000_000 - len(self.ids) * 1000
        new_ids = [keys.new_image_id(start_ms - i * 1000) for i in range(count)]
        started = time.perf_counter()
        for index, image_id in enumerate(new_ids, start=len(self.ids)):
            for key, body, content_type in (
                (keys.upload_key(image_id, "jpg"), original, "image/jpeg"),
                (keys.thumb_key(image_id), thumbnails[index % len(thumbnails)], "image/webp"),
            ):
                stored = backend.put_object(
                    local_aws.BUCKET, key, body, encryption="aws:kms", kms_key_id=self.key_arn, bucket_key_enabled=True
                )
                stored.set_metadata({"Content-Type": content_type})
        self.ids.extend(new_ids)
        seconds = time.perf_counter() - started
        # The emulator shares this process: without this, Python's full collections walk every stored object, and
        # their pauses, which grow with the bucket and fall outside the timed listing, would count as the app's.
        gc.collect()
        gc.freeze()
        head = self.s3.head_object(Bucket=local_aws.BUCKET, Key=keys.thumb_key(new_ids[-1]))
        assert head["ServerSideEncryption"] == "aws:kms" and head["ContentType"] == "image/webp", head
        return seconds


# --- measurements --------------------------------------------------------------------------------------------


def time_request(port: int, path: str) -> float:
    started = time.perf_counter()
    status, _, _ = request("GET", port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return time.perf_counter() - started


def gallery_page_bytes(port: int) -> dict:
    status, _, html = request("GET", port, "/pics")
    assert status == 200
    thumbs = re.findall(r'<img src="([^"]+)"', html.decode())
    thumb_bytes = sum(len(request("GET", port, path)[2]) for path in thumbs)
    return {
        "html_bytes": len(html),
        "thumbnails": len(thumbs),
        "thumbnail_bytes": thumb_bytes,
        "total_bytes": len(html) + thumb_bytes,
    }


def measure_gallery(emulator: Emulator, port: int, runs: int) -> dict:
    """Sequential GET /pics; the app's share of each is its latency minus the emulator's time on its listing."""
    for _ in range(10):  # warm the connection pools and templates
        time_request(port, "/pics")
    gallery, listing, share = [], [], []
    for _ in range(runs):
        before = len(emulator.list_seconds)
        page = time_request(port, "/pics")
        listed = sum(emulator.list_seconds[before:])
        gallery.append(page * 1000)
        listing.append(listed * 1000)
        share.append(max(0.0, page - listed) * 1000)
    result = {"images": len(emulator.ids)}
    for name, samples in (("gallery", gallery), ("emulator_list", listing), ("app_share", share)):
        result[f"{name}_p50_ms"] = round(percentile(samples, 50), 2)
        result[f"{name}_p95_ms"] = round(percentile(samples, 95), 2)
    return result


def csrf(port: int) -> tuple[str, str]:
    _, headers, html = request("GET", port, "/")
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()
    return cookie, token


def post_upload(port: int, path: Path, cookie: str, token: str) -> tuple[int, float]:
    """POST the upload path streamed from disk like a browser would send it; returns status and seconds."""
    boundary = "benchboundary7MA4YWxkTrZu0gW"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with path.open("rb") as fp:
            while chunk := fp.read(MB):
                yield chunk
        yield tail

    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
        "Cookie": cookie,
    }
    started = time.perf_counter()
    status, _, _ = request("POST", port, UPLOAD_PATH, body=body(), headers=headers)
    return status, time.perf_counter() - started


def measure_uploads(emulator: Emulator, workdir: Path, max_pixels: int) -> dict:
    """One worker (same config file), so the upload's memory is attributable; peak RSS is VmHWM, reset per upload."""
    files, thumb_seconds = {}, {}
    for size_mb in UPLOAD_SIZES_MB:
        data, seconds = valid_upload(size_mb * MB - 4096, max_pixels)
        files[size_mb] = workdir / f"upload-{size_mb}mb.jpg"
        files[size_mb].write_bytes(data)
        thumb_seconds[size_mb] = seconds
    server = AppServer(emulator.app_env(), {"GUNICORN_WORKERS": "1"})
    try:
        (worker,) = server.workers()
        cookie, token = csrf(server.port)
        assert post_upload(server.port, files[1], cookie, token)[0] == 303  # warm-up: imports, codecs, pools
        results = {}
        for size_mb, path in files.items():
            peaks, speeds = [], []
            for _ in range(3):
                idle_kb = proc_status(worker)["VmRSS"]
                Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM := current RSS
                status, seconds = post_upload(server.port, path, cookie, token)
                if status != 303:
                    raise RuntimeError(f"{size_mb} MB upload answered {status}")
                peaks.append((proc_status(worker)["VmHWM"] - idle_kb) / 1024)
                speeds.append(path.stat().st_size / MB / seconds)
            results[f"{size_mb}mb"] = {
                "file_bytes": path.stat().st_size,
                "upload_peak_rss_mb": round(max(peaks), 1),
                "throughput_mb_s": round(statistics.median(speeds), 1),
                "check_and_thumbnail_ms": round(thumb_seconds[size_mb] * 1000, 1),
            }
        results["idle_rss_mb"] = round(proc_status(worker)["VmRSS"] / 1024, 1)
        return results
    finally:
        server.stop()


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(port: int, paths_file: Path, clients: int, seconds: int, workers: list[int]) -> dict:
    command = [
        "wrk",
        f"-t{min(clients, os.cpu_count() or 1)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / "wrk_report.lua"),
        f"http://{HOST}:{port}/",
        "--",
        str(paths_file),
    ]
    cpu_before = cpu_seconds(workers)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    app_cpu = cpu_seconds(workers) - cpu_before
    report = json.loads(output.split("BENCH_JSON ", 1)[1].splitlines()[0])
    errors = sum(report["errors"].values())
    return {
        "rps": round(report["requests"] / (report["duration_us"] / 1e6), 1),
        "p50_ms": round(report["p50_us"] / 1000, 1),
        "p95_ms": round(report["p95_us"] / 1000, 1),
        "p99_ms": round(report["p99_us"] / 1000, 1),
        "requests": report["requests"],
        "errors": errors,
        # The app's own CPU per request (gunicorn workers only): with S3 off the box, what bounds one instance.
        "app_cpu_ms_per_request": round(app_cpu * 1000 / max(report["requests"], 1), 2),
    }


def measure_load(emulator: Emulator, workdir: Path, overrides: dict[str, str], seconds: int) -> dict:
    gallery_paths = workdir / "gallery-paths.txt"
    gallery_paths.write_text("/pics\n")
    image_paths = workdir / "image-paths.txt"
    image_paths.write_text("".join(f"/images/{keys.thumb_key(i)}\n" for i in emulator.ids[:500]))
    server = AppServer(emulator.app_env(), overrides)
    try:
        results = server.settings()
        for name, paths in (("gallery", gallery_paths), ("image", image_paths)):
            for clients in (8, 32):
                results[f"{name}_c{clients}"] = run_wrk(server.port, paths, clients, seconds, server.workers())
        return results
    finally:
        server.stop()


# --- report --------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict) -> list[tuple[str, bool]]:
    g1, g10 = results["gallery"]["1000"], results["gallery"]["10000"]
    page = results["gallery"]["page"]
    up = results["uploads"]
    after = results["tuning"]["after"]
    load_errors = sum(after[k]["errors"] for k in after if k.endswith("_c32"))
    checks = [
        (
            f"100 MB upload peak RSS {up['100mb']['upload_peak_rss_mb']} MB <= 64 MB over idle",
            up["100mb"]["upload_peak_rss_mb"] <= TARGETS["upload_peak_rss_mb_100"],
        ),
        (
            f"gallery app-share p95 at 10k {g10['app_share_p95_ms']} ms <= 1.5 x {g1['app_share_p95_ms']} ms at 1k",
            g10["app_share_p95_ms"] <= TARGETS["gallery_p95_growth"] * max(g1["app_share_p95_ms"], 1.0),
        ),
        (
            f"gallery page thumbnails {page['thumbnail_bytes']} B < 300 KB",
            page["thumbnail_bytes"] < TARGETS["gallery_thumbnail_bytes"],
        ),
        (f"errors under 32-client load: {load_errors}", load_errors == 0),
    ]
    m = results["machine"]
    print(f"\nMachine: {m['cores']} cores, {m['cpu_model']}, {m['memory_gb']} GB, Python {m['python']}, {m['date']}")
    print(f"Seeding: {results['seed_seconds']['10000']} s for 10,000 images (20,000 objects)\n")
    print(f"{'gallery (sequential)':<24}{'p50 ms':>9}{'p95 ms':>9}{'emulator list p95':>19}{'app share p95':>15}")
    for label, g in (("1,000 images", g1), ("10,000 images", g10)):
        print(
            f"{label:<24}{g['gallery_p50_ms']:>9}{g['gallery_p95_ms']:>9}{g['emulator_list_p95_ms']:>19}"
            f"{g['app_share_p95_ms']:>15}"
        )
    print(f"one page: {page['html_bytes']} B HTML + {page['thumbnails']} thumbnails {page['thumbnail_bytes']} B\n")
    print(f"{'upload':<10}{'file MB':>9}{'peak RSS MB':>13}{'MB/s':>8}{'check+thumb ms':>16}")
    for size in UPLOAD_SIZES_MB:
        u = up[f"{size}mb"]
        print(
            f"{size:>4} MB   {u['file_bytes'] / MB:>9.1f}{u['upload_peak_rss_mb']:>13}{u['throughput_mb_s']:>8}"
            f"{u['check_and_thumbnail_ms']:>16}"
        )
    print(f"idle worker RSS {up['idle_rss_mb']} MB\n")
    print(
        f"{'load (wrk, ' + str(results['load_seconds']) + ' s)':<22}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
        f"{'app CPU ms/req':>16}"
    )
    for stage in ("before", "after"):
        t = results["tuning"][stage]
        print(f"{stage}: {t['workers']} workers x {t['threads']} threads")
        for key in ("gallery_c8", "gallery_c32", "image_c8", "image_c32"):
            r = t[key]
            print(
                f"  {key:<20}{r['rps']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['errors']:>8}"
                f"{r['app_cpu_ms_per_request']:>16}"
            )
    print()
    for label, ok in checks:
        print(f"[{verdict(ok)}] {label}")
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "latest.json")
    args = parser.parse_args()
    max_pixels = 40_000_000
    emulator = Emulator()
    results = {"machine": machine(), "load_seconds": args.load_seconds, "seed_seconds": {}}
    try:
        with tempfile.TemporaryDirectory(prefix="imageshare-bench-") as tmp:
            workdir = Path(tmp)
            print("bench: generating uploads and measuring 1/10/100 MB uploads ...", flush=True)
            results["uploads"] = measure_uploads(emulator, workdir, max_pixels)
            rng = random.Random(1)  # noqa: S311 - reproducible pixels, not secrets
            thumbnails = [make_thumbnail(photo_like(rng)) for _ in range(48)]
            original = high_entropy_jpeg(2048, 0)
            results["gallery"] = {}
            server = AppServer(emulator.app_env())
            try:
                for total in (1000, 10000):
                    print(f"bench: seeding to {total} images ...", flush=True)
                    results["seed_seconds"][str(total)] = round(
                        emulator.seed(total - len(emulator.ids), thumbnails, original), 1
                    )
                    results["gallery"][str(total)] = measure_gallery(emulator, server.port, 200)
                results["gallery"]["page"] = gallery_page_bytes(server.port)
            finally:
                server.stop()
            results["tuning"] = {}
            for stage, overrides in (("before", BEFORE_TUNING), ("after", AFTER_TUNING)):
                print(f"bench: load with {stage}-tuning settings ...", flush=True)
                results["tuning"][stage] = measure_load(emulator, workdir, overrides, args.load_seconds)
    finally:
        emulator.server.stop()
    checks = report(results)
    results["tuning"]["decision"] = TUNING_DECISION
    results["targets"] = {label: verdict(ok) for label, ok in checks}
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nbench: wrote {args.out}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
