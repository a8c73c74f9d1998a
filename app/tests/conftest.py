import io
import os

import pytest
from moto import mock_aws
from PIL import Image

import local_aws
from imageshare import create_app
from imageshare.config import Settings


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch):
    for name, value in local_aws.FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", local_aws.REGION)


@pytest.fixture
def key_arn():
    with mock_aws():
        yield local_aws.provision()


@pytest.fixture
def settings(key_arn):
    return Settings(bucket=local_aws.BUCKET, kms_key_arn=key_arn, region=local_aws.REGION, max_upload_mb=2)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def s3(key_arn):
    import boto3

    return boto3.client("s3", region_name=local_aws.REGION)


def image_bytes(fmt="PNG", size=(64, 48), color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def csrf_token(client) -> str:
    client.get("/")
    return client.get_cookie("csrf").value


def upload(client, data: bytes, filename="photo.png", token=None, headers=None):
    token = csrf_token(client) if token is None else token
    form = {"file": (io.BytesIO(data), filename)}
    if token:
        form["csrf_token"] = token
    return client.post("/upload", data=form, content_type="multipart/form-data", headers=headers or {})


def stored_keys(s3, prefix=""):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=local_aws.BUCKET, Prefix=prefix)
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]


@pytest.fixture
def artifacts_dir():
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path
