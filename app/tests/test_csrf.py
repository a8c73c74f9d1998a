import pytest
from conftest import csrf_token, image_bytes, stored_keys, upload


def test_missing_token_is_403(client, s3):
    client.get("/")
    response = upload(client, image_bytes(), token="")
    assert response.status_code == 403
    assert "security token" in response.get_data(as_text=True)
    assert stored_keys(s3) == []


def test_token_must_match_cookie(client, s3):
    csrf_token(client)
    assert upload(client, image_bytes(), token="x" * 43).status_code == 403


def test_token_without_cookie_is_403(client):
    token = csrf_token(client)
    client.delete_cookie("csrf")
    assert upload(client, image_bytes(), token=token).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}],
)
def test_cross_site_submission_is_403_even_with_valid_token(client, s3, headers):
    assert upload(client, image_bytes(), headers=headers).status_code == 403
    assert stored_keys(s3) == []


def test_same_origin_browser_submission_is_accepted(client):
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert upload(client, image_bytes(), headers=headers).status_code == 303


def test_cookie_is_strict_httponly_and_host_prefixed_over_https(client):
    plain = client.get("/").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Strict" in plain
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"}).headers["Set-Cookie"]
    assert secure.startswith("__Host-csrf=") and "Secure" in secure and "Path=/" in secure


def test_token_is_reused_across_tabs(client):
    first = csrf_token(client)
    page = client.get("/").get_data(as_text=True)
    assert f'value="{first}"' in page
