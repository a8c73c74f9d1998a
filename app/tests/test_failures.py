import dataclasses
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.stub import Stubber
from conftest import image_bytes, stored_keys, upload
from PIL import Image

import local_aws
from imageshare import create_app, keys
from imageshare.config import ConfigError, Settings
from imageshare.logs import JsonFormatter
from imageshare.storage import ImageStore, make_s3_client

APP_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def down_client():
    # Nothing listens on port 9: every S3 call fails with EndpointConnectionError.
    settings = Settings(
        bucket="b",
        kms_key_arn="arn:aws:kms:us-east-1:0:key/x",
        region="us-east-1",
        s3_endpoint_url="http://127.0.0.1:9",
    )
    return create_app(settings).test_client()


def _json_logs(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(record)) for record in caplog.records]


def test_storage_down_gallery_is_503_page_and_healthz_stays_up(down_client, caplog):
    response = down_client.get("/pics")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Image storage is unavailable" in html and "Traceback" not in html
    assert down_client.get("/healthz").status_code == 200
    assert down_client.get("/readyz").status_code == 503
    assert any(entry.get("aws_error_code") == "EndpointConnectionError" for entry in _json_logs(caplog))


def test_storage_down_upload_is_503(down_client):
    assert upload(down_client, image_bytes()).status_code == 503


def test_storage_down_image_read_is_503(down_client):
    # The read fails, and so does the listing that would tell a missing image from a denied one.
    response = down_client.get(f"/images/uploads/{keys.new_image_id()}.png")
    assert response.status_code == 503 and "Traceback" not in response.get_data(as_text=True)


def test_kms_denial_is_503_logged_with_aws_code(settings, caplog):
    client = make_s3_client(settings)
    stubber = Stubber(client)
    stubber.add_client_error("put_object", service_error_code="KMS.DisabledException", http_status_code=400)
    stubber.activate()
    response = upload(create_app(settings, s3_client=client).test_client(), image_bytes())
    assert response.status_code == 503
    assert any(entry.get("aws_error_code") == "KMS.DisabledException" for entry in _json_logs(caplog))


def test_thumbnail_failure_removes_original(app, s3, monkeypatch):
    store = app.extensions["image_store"]

    def fail(*args, **kwargs):
        from imageshare.storage import StorageUnavailable

        raise StorageUnavailable("put_object", "AccessDenied")

    monkeypatch.setattr(store, "put_thumbnail", fail)
    assert upload(app.test_client(), image_bytes()).status_code == 503
    assert stored_keys(s3) == []


def test_multipart_upload_streams_parts_and_aborts_on_failure(settings, s3, tmp_path):
    store = ImageStore(make_s3_client(settings), settings.bucket, settings.kms_key_arn, part_size=5 * 1024 * 1024)
    body = tmp_path / "big.bin"
    body.write_bytes(os.urandom(11 * 1024 * 1024))
    with body.open("rb") as fp:
        store.put_image("uploads/big.png", fp, body.stat().st_size, "image/png", "big.png")
    head = s3.head_object(Bucket=settings.bucket, Key="uploads/big.png")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == settings.kms_key_arn
    assert head["ContentLength"] == 11 * 1024 * 1024 and head["ETag"].endswith('-3"')

    client = make_s3_client(settings)
    real_upload_part = client.upload_part
    calls = []

    def flaky_upload_part(**kwargs):
        calls.append(kwargs["PartNumber"])
        if kwargs["PartNumber"] == 2:
            raise ConnectionResetError("network gone")
        return real_upload_part(**kwargs)

    client.upload_part = flaky_upload_part
    flaky = ImageStore(client, settings.bucket, settings.kms_key_arn, part_size=5 * 1024 * 1024)
    with body.open("rb") as fp, pytest.raises(ConnectionResetError):
        flaky.put_image("uploads/broken.png", fp, body.stat().st_size, "image/png", "b.png")
    assert calls == [1, 2]
    assert s3.list_multipart_uploads(Bucket=settings.bucket).get("Uploads", []) == []
    assert "uploads/broken.png" not in stored_keys(s3)


def test_error_pages_for_405_and_500(app):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    not_allowed = client.get("/upload")
    assert not_allowed.status_code == 405 and "Method not allowed" in not_allowed.get_data(as_text=True)
    crash = client.get("/_boom")
    html = crash.get_data(as_text=True)
    assert crash.status_code == 500 and "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


@pytest.mark.parametrize("missing", ["IMAGES_BUCKET", "KMS_KEY_ARN", "AWS_REGION"])
def test_missing_config_names_the_variable(missing):
    env = {"IMAGES_BUCKET": "b", "KMS_KEY_ARN": "k", "AWS_REGION": "eu-west-1"}
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        Settings.from_env(env)


def test_invalid_upload_limit_is_refused():
    with pytest.raises(ConfigError, match="MAX_UPLOAD_MB"):
        Settings.from_env({"IMAGES_BUCKET": "b", "KMS_KEY_ARN": "k", "AWS_REGION": "r", "MAX_UPLOAD_MB": "-1"})


def test_wsgi_entry_point_stops_with_clear_message_when_unconfigured():
    env = {k: v for k, v in os.environ.items() if k not in {"IMAGES_BUCKET", "KMS_KEY_ARN"}}
    env.update(local_aws.FAKE_CREDENTIALS, AWS_REGION="us-east-1")
    result = subprocess.run(
        [sys.executable, "-c", "import application"], cwd=APP_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Missing required environment variable IMAGES_BUCKET" in result.stderr
    assert "Traceback" not in result.stderr


def test_request_log_is_json_with_request_fields(client, caplog):
    client.get("/healthz", headers={"X-Amzn-Trace-Id": "Root=1-abc-def"})
    (entry,) = [e for e in _json_logs(caplog) if e.get("route") == "/healthz"]
    assert entry["request_id"] == "Root=1-abc-def" and entry["status"] == 200 and "latency_ms" in entry


def test_readiness_check_stays_inside_the_granted_prefix(settings):
    # The app role may list only its own prefixes (s3:prefix condition): HeadBucket or an unprefixed list is denied.
    client = make_s3_client(settings)
    calls = []
    client.meta.events.register(
        "provide-client-params.s3", lambda params, model, **_: calls.append((model.name, params))
    )
    ImageStore(client, settings.bucket, settings.kms_key_arn).check_bucket()
    assert [name for name, _ in calls] == ["ListObjectsV2"]
    assert calls[0][1]["Prefix"] == "uploads/"


def test_every_write_names_sse_kms_and_our_key(settings, s3):
    # The emulated bucket encrypts by default with the same key, so only the request parameters prove that the app
    # asks for SSE-KMS itself (production's bucket policy denies writes that do not).
    client = make_s3_client(settings)
    writes = []
    client.meta.events.register(
        "provide-client-params.s3", lambda params, model, **_: writes.append((model.name, dict(params)))
    )
    app = create_app(dataclasses.replace(settings, max_upload_mb=8), s3_client=client)
    app.extensions["image_store"]._part_size = 5 * 1024 * 1024
    big = io.BytesIO()
    Image.frombytes("RGB", (1800, 1200), random.Random(5).randbytes(1800 * 1200 * 3)).save(big, "PNG")
    assert len(big.getvalue()) > 5 * 1024 * 1024  # multipart
    for data in (image_bytes(), big.getvalue()):
        assert upload(app.test_client(), data).status_code == 303
    created = [(name, params) for name, params in writes if name in {"PutObject", "CreateMultipartUpload"}]
    assert sorted(name for name, _ in created) == ["CreateMultipartUpload", "PutObject", "PutObject", "PutObject"]
    for _, params in created:
        assert params["ServerSideEncryption"] == "aws:kms" and params["SSEKMSKeyId"] == settings.kms_key_arn


def test_upload_request_lines_carry_what_the_upload_alarm_filters_on(down_client, client, caplog):
    # constructs/operations/app-alarms.ts UPLOAD_LOG_PATTERNS counts request lines of POST /upload by status class
    # (their shape: contract.json requestLog): a failure (storage down) must log 5xx, a refusal (not an image) 4xx,
    # both with message "request" and route "/upload".
    assert upload(down_client, image_bytes()).status_code == 503
    assert upload(client, b"not an image at all").status_code in (400, 415)
    lines = [e for e in _json_logs(caplog) if e.get("message") == "request" and e.get("route") == "/upload"]
    assert sorted(e["status"] // 100 for e in lines) == [4, 5]
    assert all(isinstance(e["status"], int) for e in lines)
