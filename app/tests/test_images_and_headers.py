import logging
import re

import pytest
from conftest import image_bytes, upload
from s3_standin import access_denied, answer_as_s3_answers_the_app_role

import local_aws
from imageshare import create_app, keys
from imageshare.storage import make_s3_client

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture
def stored_id(client):
    response = upload(client, image_bytes("PNG", (400, 300)), 'evil"; name.png')
    return response.headers["Location"].rsplit("=", 1)[1]


def test_image_streams_with_real_type_and_safe_headers(client, stored_id):
    response = client.get(f"/images/uploads/{stored_id}.png")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'inline; filename="{stored_id}.png"'
    assert "immutable" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data == image_bytes("PNG", (400, 300))
    assert int(response.headers["Content-Length"]) == len(response.data)


def test_thumbnail_streams_as_webp(client, stored_id):
    response = client.get(f"/images/thumbs/{stored_id}.webp")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/webp"


def test_etag_revalidation_returns_304(client, stored_id):
    first = client.get(f"/images/thumbs/{stored_id}.webp")
    again = client.get(f"/images/thumbs/{stored_id}.webp", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "uploads/../secret.png",
        "..%2F..%2Fetc%2Fpasswd",
        "other/x.png",
        "uploads/abc.png",
        "uploads/" + "A" * 26 + ".svg",
        "uploads/" + keys.new_image_id() + ".png",
    ],
)
def test_only_existing_app_keys_are_served(client, path):
    response = client.get(f"/images/{path}")
    assert response.status_code == 404
    assert "nothing at this address" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/pics", "/healthz", "/readyz", "/nowhere", "/static/style.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_behind_https_proxy(client):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_proxy_fix_trusts_exactly_the_alb_hop(app):
    seen = {}

    @app.get("/_client")
    def client_addr():
        from flask import request

        seen["addr"] = request.remote_addr
        return ""

    # A spoofed first entry, the client address the ALB appended, then the ALB's address appended by nginx.
    app.test_client().get("/_client", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.20.1.15"})
    assert seen["addr"] == "203.0.113.9"


def test_pages_carry_no_inline_script_or_style(client):
    for path in ["/", "/pics", "/nowhere"]:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script|\sstyle=|<style|\son\w+=", html)


def test_debug_mode_off(app):
    assert app.debug is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is not True


@pytest.fixture
def role_client(settings):
    """The app on an S3 that answers as real S3 answers the app role: 403 AccessDenied for a missing key."""
    s3 = make_s3_client(settings)
    answer_as_s3_answers_the_app_role(s3, local_aws.REGION)
    return create_app(settings, s3_client=s3).test_client(), s3


def test_the_stand_in_answers_403_for_a_missing_key_as_s3_does(role_client, settings):
    _, s3 = role_client
    missing = keys.upload_key(keys.new_image_id(), "png")
    with pytest.raises(Exception) as get:
        s3.get_object(Bucket=settings.bucket, Key=missing)
    with pytest.raises(Exception) as head:
        s3.head_object(Bucket=settings.bucket, Key=missing)
    assert get.value.response["Error"]["Code"] == "AccessDenied"
    assert head.value.response["Error"]["Code"] == "403"


def test_missing_image_is_404_even_when_s3_answers_403(role_client, caplog):
    client, _ = role_client
    stored = upload(client, image_bytes()).headers["Location"].rsplit("=", 1)[1]
    assert client.get(f"/images/uploads/{stored}.png").status_code == 200
    caplog.clear()
    for path in [f"uploads/{keys.new_image_id()}.png", f"thumbs/{keys.new_image_id()}.webp", f"uploads/{stored}.jpg"]:
        response = client.get(f"/images/{path}")
        assert response.status_code == 404, path
        assert "nothing at this address" in response.get_data(as_text=True)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_denied_read_of_an_existing_image_stays_503(role_client, caplog):
    # The key exists (the listing shows it) but S3 still refuses it: a real denial (policy, KMS), not a missing image.
    client, s3 = role_client
    stored = upload(client, image_bytes()).headers["Location"].rsplit("=", 1)[1]
    s3.meta.events.register_first("before-call.s3.GetObject", lambda **_: access_denied(status_body=True))
    response = client.get(f"/images/uploads/{stored}.png")
    assert response.status_code == 503
    assert "Image storage is unavailable" in response.get_data(as_text=True)
    assert any(getattr(r, "aws_error_code", None) == "AccessDenied" for r in caplog.records)
