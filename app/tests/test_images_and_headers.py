import re

import pytest
from conftest import image_bytes, upload

from imageshare import keys

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
