"""Proving an upload is a real raster image, and making its thumbnail."""

import io
import re
import struct
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

# Markup that makes a file dangerous if any client ever renders it as HTML/SVG (polyglots). A short tag name must be
# followed by what ends a tag name in HTML (whitespace, "/" or ">"): that is what a parser needs, and it keeps random
# compressed bytes from spelling e.g. "<svg" by chance (about 2 % of 10 MB JPEGs would, against ~0.05 % now).
_MARKUP_RE = re.compile(rb"<(?:script|html|svg|iframe|body|object|embed)[\s/>]|<!doctype|<\?php")
_MARKUP_OVERLAP = 16
# A ZIP (JAR, DOCX, ...) reader finds the archive by its end-of-central-directory record in the file's last 64 KiB
# + 22 bytes: refusing that signature there means no stored image opens as an archive (GIFAR-style polyglots).
_ZIP_END_SIGNATURE = b"PK\x05\x06"
_ZIP_TAIL_BYTES = 65_535 + 22
# In JPEG entropy-coded data, 0xFF is followed by 0x00 (stuffing) or a restart marker; anything else is a marker.
_JPEG_MARKER_RE = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
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
    # Bytes to store: the image itself, without anything appended after its end.
    length: int
    thumbnail: bytes


def _sniff_format(head: bytes) -> tuple[str, str, str]:
    for magic, fmt in _SIGNATURES:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("WEBP", "webp", "image/webp")
    raise RejectedImage("Only JPEG, PNG, GIF and WebP images are accepted.")


def _reject_markup(fp: BinaryIO) -> None:
    tail = b""
    fp.seek(0)
    while chunk := fp.read(_SCAN_CHUNK):
        window = tail + chunk.lower()
        if _MARKUP_RE.search(window):
            raise RejectedImage("The file contains HTML or script markup and was refused.")
        tail = window[-_MARKUP_OVERLAP:]


def _truncated() -> RejectedImage:
    return RejectedImage("The file could not be decoded as an image.")


def _read_exact(fp: BinaryIO, count: int) -> bytes:
    data = fp.read(count)
    if len(data) != count:
        raise _truncated()
    return data


def _skip_gif_sub_blocks(fp: BinaryIO) -> None:
    while size := _read_exact(fp, 1)[0]:
        fp.seek(size, 1)


def _gif_end(fp: BinaryIO) -> int:
    fp.seek(10)
    flags = _read_exact(fp, 3)[0]
    if flags & 0x80:
        fp.seek(3 << ((flags & 7) + 1), 1)  # global colour table
    while True:
        block = _read_exact(fp, 1)
        if block == b"\x3b":  # trailer
            return fp.tell()
        if block == b"\x21":  # extension: label, then data sub-blocks
            fp.seek(1, 1)
        elif block == b"\x2c":  # image descriptor, optional local colour table, LZW code size, data sub-blocks
            flags = _read_exact(fp, 9)[8]
            fp.seek((3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1, 1)
        else:
            raise _truncated()
        _skip_gif_sub_blocks(fp)


def _png_end(fp: BinaryIO) -> int:
    fp.seek(8)
    while True:
        length, chunk_type = struct.unpack(">I4s", _read_exact(fp, 8))
        fp.seek(length + 4, 1)  # data and CRC
        if chunk_type == b"IEND":
            return fp.tell()


def _jpeg_end(fp: BinaryIO) -> int:
    fp.seek(2)
    while True:
        if _read_exact(fp, 1) != b"\xff":
            raise _truncated()
        marker = _read_exact(fp, 1)[0]
        while marker == 0xFF:  # fill bytes
            marker = _read_exact(fp, 1)[0]
        if marker == 0xD9:  # end of image
            return fp.tell()
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # standalone markers
            continue
        (length,) = struct.unpack(">H", _read_exact(fp, 2))
        if length < 2:
            raise _truncated()
        fp.seek(length - 2, 1)
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker
            fp.seek(_next_jpeg_marker(fp))


def _next_jpeg_marker(fp: BinaryIO) -> int:
    start = fp.tell()
    tail = b""
    while chunk := fp.read(_SCAN_CHUNK):
        window = tail + chunk
        if match := _JPEG_MARKER_RE.search(window):
            return start - len(tail) + match.start()
        start += len(chunk)
        tail = window[-1:]
    raise _truncated()


def _webp_end(fp: BinaryIO) -> int:
    fp.seek(4)
    (riff_size,) = struct.unpack("<I", _read_exact(fp, 4))
    return 8 + riff_size


_IMAGE_END = {"GIF": _gif_end, "PNG": _png_end, "JPEG": _jpeg_end, "WEBP": _webp_end}


def _image_length(fp: BinaryIO, fmt: str, file_size: int) -> int:
    """Bytes from the start of the file to the end of the image's own structure (trailer, IEND, EOI, RIFF size).

    Anything after that (a ZIP/JAR, HTML, a phone's motion-photo video) is not part of the image and is never
    stored: an appended payload is how GIFAR-style polyglots are made.
    """
    end = _IMAGE_END[fmt](fp)
    if end > file_size:
        raise _truncated()
    fp.seek(max(0, end - _ZIP_TAIL_BYTES))
    if _ZIP_END_SIGNATURE in fp.read(end - fp.tell()):
        raise RejectedImage("The file is also an archive (ZIP/JAR) and was refused.")
    return end


def check_image(fp: BinaryIO, max_pixels: int) -> CheckedImage:
    """Validate by magic bytes, a markup scan, the format's structure and a full decode; return format facts, the
    image's length and a WebP thumbnail.

    ``fp`` must be seekable. Decoded pixel memory is bounded by ``max_pixels`` (JPEGs decode at reduced scale) and,
    for formats that decode at full size, by ``FULL_DECODE_MAX_PIXELS``.
    """
    file_size = fp.seek(0, 2)
    fp.seek(0)
    fmt, ext, content_type = _sniff_format(fp.read(16))
    _reject_markup(fp)
    length = _image_length(fp, fmt, file_size)
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
    return CheckedImage(ext, content_type, width, height, length, thumbnail)


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
