import io
import random
import struct
import zipfile
import zlib

import pytest
from conftest import csrf_token, image_bytes, stored_keys, upload
from PIL import Image

from imageshare import images, keys

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _only_id(s3):
    (key,) = stored_keys(s3, "uploads/")
    return key.split("/")[1].split(".")[0], key


def test_round_trip_stores_sse_kms_image_and_thumbnail(client, s3, key_arn):
    response = upload(client, image_bytes("PNG", (1200, 900)), "holiday.png")
    assert response.status_code == 303
    image_id, key = _only_id(s3)
    assert keys.is_image_id(image_id) and key.endswith(".png")
    assert response.headers["Location"] == f"/pics?uploaded={image_id}"
    head = s3.head_object(Bucket="imageshare-local", Key=key)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key_arn
    assert head["ContentType"] == "image/png"
    thumb = s3.get_object(Bucket="imageshare-local", Key=keys.thumb_key(image_id))
    assert thumb["ServerSideEncryption"] == "aws:kms" and thumb["SSEKMSKeyId"] == key_arn
    assert thumb["ContentType"] == "image/webp"
    data = thumb["Body"].read()
    assert len(data) < 300_000 // 24
    assert max(Image.open(io.BytesIO(data)).size) == 256


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_other_formats_get_their_real_type(client, s3, fmt, ext):
    assert upload(client, image_bytes(fmt), "no-extension").status_code == 303
    _, key = _only_id(s3)
    assert key.endswith("." + ext)


def test_client_filename_never_becomes_the_key_and_is_shown_escaped(client, s3):
    response = upload(client, image_bytes(), "../../etc/<script>alert(1)<\\script>.png")
    assert response.status_code == 303
    _, key = _only_id(s3)
    assert ".." not in key and "script" not in key
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;" in page
    assert "<script>" not in page


@pytest.mark.parametrize(
    "data,filename,status",
    [
        (b"this is plain text, not an image", "fake.png", 415),
        (SVG, "drawing.svg", 415),
        (b"GIF89a/*" + b"\x00" * 20 + b"*/=1;<script>alert(1)</script>", "polyglot.gif", 415),
        (image_bytes() + b"<html><script>alert(1)</script></html>", "appended.png", 415),
        (image_bytes()[:40], "truncated.png", 415),
        (b"", "empty.png", 400),
    ],
    ids=["text-named-png", "svg-script", "gif-js-polyglot", "png-with-html", "truncated", "empty"],
)
def test_rejected_uploads_store_nothing(client, s3, data, filename, status):
    response = upload(client, data, filename)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)
    assert stored_keys(s3) == []


def test_decompression_bomb_refused(client, s3, app):
    # 2 MiB upload limit, 40 MP default pixel limit: a tiny PNG claiming 9000x9000 pixels.
    bomb = io.BytesIO()
    Image.new("1", (9000, 9000)).save(bomb, "PNG")
    response = upload(client, bomb.getvalue(), "bomb.png")
    assert response.status_code == 413
    assert stored_keys(s3) == []


def test_full_size_decoders_get_the_lower_pixel_limit_and_jpeg_does_not(client, s3):
    # 4000x3100 = 12.4 MP: over FULL_DECODE_MAX_PIXELS, under the 40 MP limit that JPEG's reduced-scale decode gets.
    size = (4000, 3100)
    assert size[0] * size[1] > images.FULL_DECODE_MAX_PIXELS
    png = io.BytesIO()
    Image.new("1", size).save(png, "PNG")
    assert upload(client, png.getvalue(), "big.png").status_code == 413
    assert stored_keys(s3) == []
    assert upload(client, image_bytes("JPEG", size), "big.jpg").status_code == 303


def test_thumbnail_of_incompressible_image_stays_within_budget(client, s3):
    # Also a file (~480 KB) far over the multipart parser's 64 KiB read: such uploads were once refused with 413.
    noise = Image.frombytes("RGBA", (400, 300), random.Random(7).randbytes(400 * 300 * 4))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert upload(client, out.getvalue(), "noise.png").status_code == 303
    image_id, _ = _only_id(s3)
    data = s3.get_object(Bucket="imageshare-local", Key=keys.thumb_key(image_id))["Body"].read()
    assert len(data) <= images.THUMB_MAX_BYTES
    assert Image.open(io.BytesIO(data)).format == "WEBP"


def test_oversize_upload_is_413_and_stores_nothing(client, s3):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024), "big.png")
    assert response.status_code == 413
    assert "2 MB limit" in response.get_data(as_text=True)
    assert stored_keys(s3) == []


def test_file_just_over_limit_within_form_overhead_is_413(client, s3):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024), "big.png")
    assert response.status_code == 413


def test_missing_file_field_is_400(client):
    client.get("/")
    token = client.get_cookie("csrf").value
    assert client.post("/upload", data={"csrf_token": token}).status_code == 400


def test_upload_body_spools_to_anonymous_file(app):
    with app.test_request_context("/upload", method="POST"):
        from flask import request

        stream = request._get_file_stream(10, "image/png", "x.png")
        assert not isinstance(stream, io.BytesIO)
        assert isinstance(stream.name, int)  # an fd, not a path: the file was never linked into the filesystem
        stream.close()


def _zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    return out.getvalue()


def _png_with_chunk(chunk_type: bytes, data: bytes) -> bytes:
    png = image_bytes("PNG")
    chunk = struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))
    return png[:-12] + chunk + png[-12:]  # before IEND


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "JPEG", "WEBP"])
def test_appended_archive_is_never_stored(client, s3, fmt):
    # GIFAR-style polyglot: an image that a ZIP/JAR reader also opens. Only the image's own bytes are stored.
    picture = image_bytes(fmt)
    polyglot = picture + _zip_archive()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    assert upload(client, polyglot, "photo." + fmt.lower()).status_code == 303
    _, key = _only_id(s3)
    stored = s3.get_object(Bucket="imageshare-local", Key=key)["Body"].read()
    assert stored == picture
    assert not zipfile.is_zipfile(io.BytesIO(stored))


def test_archive_inside_the_image_is_refused(client, s3):
    polyglot = _png_with_chunk(b"prVt", _zip_archive())
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    assert upload(client, polyglot, "inside.png").status_code == 415
    assert stored_keys(s3) == []


def test_markup_hidden_in_image_metadata_is_refused_but_lookalike_bytes_pass(client, s3):
    assert upload(client, _png_with_chunk(b"tEXt", b"c\0<svg onload=alert(1)>"), "meta.png").status_code == 415
    assert stored_keys(s3) == []
    # Compressed data spells "<svg" by chance in ~1 of 50 10 MB JPEGs; without a tag-name end it is not markup.
    assert upload(client, _png_with_chunk(b"tEXt", b"c\0<svgQ<scriptx"), "lookalike.png").status_code == 303


def _variants() -> list[tuple[str, bytes]]:
    exif = Image.Exif()
    exif[0x010F] = "camera"
    frames = [Image.new("P", (32, 32), i) for i in range(3)]
    noise = Image.frombytes("RGB", (64, 48), random.Random(3).randbytes(64 * 48 * 3))
    made = []
    for name, fmt, options in [
        ("progressive-jpeg", "JPEG", {"progressive": True, "quality": 95}),
        ("jpeg-restart-markers", "JPEG", {"restart_marker_blocks": 1}),
        ("jpeg-exif", "JPEG", {"exif": exif}),
        ("animated-gif", "GIF", {"save_all": True, "append_images": frames[1:], "comment": b"hi"}),
        ("lossless-webp", "WEBP", {"lossless": True}),
        ("animated-webp", "WEBP", {"save_all": True, "append_images": [noise.transpose(0)]}),
        ("interlaced-png", "PNG", {"optimize": True}),
    ]:
        out = io.BytesIO()
        (frames[0] if fmt == "GIF" else noise).save(out, fmt, **options)
        made.append((name, out.getvalue()))
    return made


VARIANTS = _variants()


@pytest.mark.parametrize("data", [data for _, data in VARIANTS], ids=[name for name, _ in VARIANTS])
def test_image_length_is_the_whole_file_for_real_encodings(data):
    assert images.check_image(io.BytesIO(data), 40_000_000).length == len(data)
    assert images.check_image(io.BytesIO(data + b"trailing motion-photo data"), 40_000_000).length == len(data)


def _post_chunked(client, data: bytes):
    """A multipart upload with no Content-Length, as a chunked request reaches the app through gunicorn."""
    token = csrf_token(client)
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/upload",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_chunked_upload_without_content_length_is_limited_too(client, s3):
    assert _post_chunked(client, image_bytes()).status_code == 303
    (stored,) = stored_keys(s3, "uploads/")
    assert _post_chunked(client, b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024)).status_code == 413
    assert stored_keys(s3, "uploads/") == [stored]
