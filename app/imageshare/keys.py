"""Object keys: generated, never derived from client input, and listed newest first.

S3 lists keys in ascending byte order, so the id starts with an *inverted* millisecond timestamp: newer uploads
get smaller prefixes and ListObjectsV2 returns them first, which lets the gallery paginate with StartAfter.
Id = 10 Crockford base32 chars of (2**50 - 1 - epoch ms) + 16 chars (80 bits) of randomness.
"""

import re
import secrets
import time

from .contract import THUMB_PREFIX, UPLOAD_PREFIX

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TIME_CHARS = 10
_RANDOM_CHARS = 16
_MAX_TIME = 2 ** (5 * _TIME_CHARS) - 1

ID_PATTERN = f"[{_ALPHABET}]{{{_TIME_CHARS + _RANDOM_CHARS}}}"
_ID_RE = re.compile(ID_PATTERN)

THUMB_EXT = "webp"
IMAGE_EXTENSIONS = ("jpg", "png", "gif", "webp")

_KEY_RE = re.compile(
    rf"(?:{UPLOAD_PREFIX}(?P<id>{ID_PATTERN})\.(?:{'|'.join(IMAGE_EXTENSIONS)})"
    rf"|{THUMB_PREFIX}(?P<thumb_id>{ID_PATTERN})\.{THUMB_EXT})"
)


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_image_id(now_ms: int | None = None) -> str:
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_CHARS))
    return _encode(_MAX_TIME - now_ms, _TIME_CHARS) + random_part


def is_image_id(value: str) -> bool:
    return bool(_ID_RE.fullmatch(value))


def upload_key(image_id: str, ext: str) -> str:
    return f"{UPLOAD_PREFIX}{image_id}.{ext}"


def thumb_key(image_id: str) -> str:
    return f"{THUMB_PREFIX}{image_id}.{THUMB_EXT}"


def id_from_upload_key(key: str) -> str | None:
    match = _KEY_RE.fullmatch(key)
    return match["id"] if match and match["id"] else None


def is_servable_key(key: str) -> bool:
    """Only keys of the shapes this app writes may be streamed: no traversal, no other prefixes."""
    return bool(_KEY_RE.fullmatch(key))
