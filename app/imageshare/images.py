"""Proving an upload is a real raster image, and making its thumbnail."""

import io
import unicodedata
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps

# Leading bytes of each accepted format -> (Pillow format name, extension, Content-Type).
_SIGNATURES = (
    (b"\xff\xd8\xff", ("JPEG", "jpg", "image/jpeg")),
    (b"\x89PNG\r\n\x1a\n", ("PNG", "png", "image/png")),
    (b"GIF87a", ("GIF", "gif", "image/gif")),
    (b"GIF89a", ("GIF", "gif", "image/gif")),
)
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}

# Markup that makes a file dangerous if any client ever renders it as HTML/SVG (polyglots).
_MARKUP_MARKERS = (b"<script", b"<html", b"<svg", b"<iframe", b"<body", b"<!doctype", b"<?php", b"<object", b"<embed")
_SCAN_CHUNK = 1024 * 1024
_MAX_FRAMES = 1000

THUMB_SIZE = (256, 256)
# 24 thumbnails per gallery page stay under 300 KB however detailed the images are: a thumbnail over the budget is
# re-encoded at lower quality, then smaller; the last step (96 px) fits even for pure noise.
THUMB_MAX_BYTES = 12 * 1024
_THUMB_STEPS = ((256, 70), (256, 50), (256, 35), (192, 35), (128, 35), (96, 35))
# Only JPEG decodes at reduced scale (libjpeg draft mode). PNG, GIF and WebP decode at full size, about 4 bytes per
# pixel, so they get a lower limit that keeps one upload's decoded pixels under ~48 MB.
FULL_DECODE_MAX_PIXELS = 12_000_000
_MAX_NAME_CHARS = 120


class RejectedImage(ValueError):
    """The upload is not an acceptable image; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 415):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CheckedImage:
    ext: str
    content_type: str
    width: int
    height: int
    thumbnail: bytes


def _sniff_format(head: bytes) -> tuple[str, str, str]:
    for magic, fmt in _SIGNATURES:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("WEBP", "webp", "image/webp")
    raise RejectedImage("Only JPEG, PNG, GIF and WebP images are accepted.")


def _reject_markup(fp: BinaryIO) -> None:
    overlap = max(len(m) for m in _MARKUP_MARKERS)
    tail = b""
    fp.seek(0)
    while chunk := fp.read(_SCAN_CHUNK):
        window = (tail + chunk).lower()
        if any(marker in window for marker in _MARKUP_MARKERS):
            raise RejectedImage("The file contains HTML or script markup and was refused.")
        tail = window[-overlap:]


def check_image(fp: BinaryIO, max_pixels: int) -> CheckedImage:
    """Validate by magic bytes, a markup scan and a full decode; return format facts and a WebP thumbnail.

    ``fp`` must be seekable. Decoded pixel memory is bounded by ``max_pixels`` (JPEGs decode at reduced scale) and,
    for formats that decode at full size, by ``FULL_DECODE_MAX_PIXELS``.
    """
    fp.seek(0)
    fmt, ext, content_type = _sniff_format(fp.read(16))
    _reject_markup(fp)
    fp.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: treat every bomb as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fp, formats=[fmt]) as img:
                width, height = img.size
                if width * height > (max_pixels if fmt == "JPEG" else min(max_pixels, FULL_DECODE_MAX_PIXELS)):
                    raise RejectedImage(f"The image is too large ({width}x{height} pixels).", status=413)
                if getattr(img, "n_frames", 1) > _MAX_FRAMES:
                    raise RejectedImage("The animation has too many frames.")
                img.draft("RGB", (THUMB_SIZE[0] * 2, THUMB_SIZE[1] * 2))
                img.load()
                thumbnail = make_thumbnail(img)
    except RejectedImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RejectedImage("The image is too large to decode safely.", status=413) from exc
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError) as exc:
        raise RejectedImage("The file could not be decoded as an image.") from exc
    return CheckedImage(ext, content_type, width, height, thumbnail)


def make_thumbnail(img: Image.Image) -> bytes:
    """WebP of at most THUMB_SIZE and THUMB_MAX_BYTES. Shrinks ``img`` in place first, so a full-size decode is
    never copied (exif_transpose copies its input)."""
    img.thumbnail(THUMB_SIZE)
    thumb = ImageOps.exif_transpose(img)
    thumb = thumb.convert("RGBA" if "A" in thumb.getbands() or "transparency" in thumb.info else "RGB")
    for edge, quality in _THUMB_STEPS:
        candidate = thumb
        if max(thumb.size) > edge:
            candidate = thumb.copy()
            candidate.thumbnail((edge, edge))
        out = io.BytesIO()
        candidate.save(out, "WEBP", quality=quality, method=4)
        if out.tell() <= THUMB_MAX_BYTES:
            break
    return out.getvalue()


def sanitize_filename(name: str | None) -> str:
    """Keep a displayable label only: last path component, no control characters, bounded length."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:_MAX_NAME_CHARS] or "unnamed"
