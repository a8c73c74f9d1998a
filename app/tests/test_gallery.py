import re

from conftest import image_bytes, upload

from imageshare import keys

LOCAL_BUCKET = "imageshare-local"


def _page_ids(html: str) -> list[str]:
    return re.findall(r'href="/view/([0-9A-Z]{26})"', html)


def _next_link(html: str) -> str | None:
    match = re.search(r'rel="next" href="([^"]+)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_empty_state(client):
    page = client.get("/pics").get_data(as_text=True)
    assert "No images yet" in page


def test_walks_more_than_1000_images_newest_first_without_gaps(client, s3):
    start_ms = 1_780_000_000_000
    ids = [keys.new_image_id(start_ms + i) for i in range(1030)]
    for image_id in ids:
        s3.put_object(Bucket=LOCAL_BUCKET, Key=keys.upload_key(image_id, "png"), Body=b"x")
    s3.put_object(Bucket=LOCAL_BUCKET, Key="uploads/not-ours.txt", Body=b"x")
    seen, url, pages = [], "/pics", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        page_ids = _page_ids(html)
        assert len(page_ids) <= 24
        seen += page_ids
        url = _next_link(html)
        pages += 1
    assert seen == list(reversed(ids))
    assert pages == -(-1030 // 24)


def test_thumbnails_link_to_full_image(client, s3):
    response = upload(client, image_bytes("JPEG"), "a.jpg")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    (image_id,) = _page_ids(page)
    assert f'src="/images/thumbs/{image_id}.webp"' in page
    full = client.get(f"/view/{image_id}")
    assert full.status_code == 302 and full.headers["Location"] == f"/images/uploads/{image_id}.jpg"
    assert client.get(full.headers["Location"]).status_code == 200


def test_untrusted_cursor_is_rejected(client):
    for cursor in ["../../x", "A" * 27, "uploads/", "<script>", "a" * 26]:
        response = client.get("/pics", query_string={"after": cursor})
        assert response.status_code == 400
        assert "<script>" not in response.get_data(as_text=True)


def test_unknown_view_id_is_404(client):
    assert client.get("/view/" + keys.new_image_id()).status_code == 404
    assert client.get("/view/nope").status_code == 404
