"""All S3 access: one client per process, SSE-KMS on every write, nothing half-stored on failure."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote, unquote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from . import keys
from .config import Settings

log = logging.getLogger(__name__)

# S3 requires every multipart part but the last to be at least 5 MiB; 8 MiB keeps one part in memory at a time.
PART_SIZE = 8 * 1024 * 1024
STREAM_CHUNK = 64 * 1024
_NOT_FOUND_CODES = {"NoSuchKey", "404", "NotFound"}
# S3 answers a read of a missing key with 403, not 404, unless the caller may list the bucket without conditions
# (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions"; HeadObject the same); the
# role's ListBucket is limited by s3:prefix, so it gets
# AccessDenied (GetObject) or a bare 403 (HeadObject, no body).
_ACCESS_DENIED_CODES = {"AccessDenied", "403"}


class StorageUnavailable(RuntimeError):
    """S3 or KMS failed; ``code`` is the AWS error code (or the botocore exception name) for the logs."""

    def __init__(self, operation: str, code: str):
        super().__init__(f"{operation} failed: {code}")
        self.operation = operation
        self.code = code


class ObjectNotFound(LookupError):
    pass


@dataclass(frozen=True)
class StoredObject:
    body: Iterator[bytes]
    content_length: int
    etag: str


@dataclass(frozen=True)
class Page:
    image_ids: list[str]
    next_after: str | None


def make_s3_client(settings: Settings):
    config = Config(
        region_name=settings.region,
        connect_timeout=3,
        read_timeout=20,
        retries={"mode": "standard", "max_attempts": 3},
        max_pool_connections=32,
        signature_version="s3v4",
        s3={"addressing_style": "path" if settings.s3_endpoint_url else "virtual"},
    )
    return boto3.session.Session().client("s3", endpoint_url=settings.s3_endpoint_url, config=config)


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    return type(exc).__name__


class ImageStore:
    def __init__(self, client, bucket: str, kms_key_arn: str, part_size: int = PART_SIZE):
        self._s3 = client
        self._bucket = bucket
        self._part_size = part_size
        self._sse = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_arn, "BucketKeyEnabled": True}

    def _call(self, operation: str, **kwargs):
        try:
            return getattr(self._s3, operation)(Bucket=self._bucket, **kwargs)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND_CODES:
                raise ObjectNotFound(kwargs.get("Key")) from exc
            raise StorageUnavailable(operation, _error_code(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(operation, _error_code(exc)) from exc

    def check_bucket(self) -> None:
        # Not HeadBucket: it needs s3:ListBucket with no prefix, and the app role may only list its own prefixes.
        self._call("list_objects_v2", Prefix=keys.UPLOAD_PREFIX, MaxKeys=1)

    def put_image(self, key: str, fp: BinaryIO, size: int, content_type: str, original_name: str) -> None:
        """Write the first ``size`` bytes of a seekable file: one PUT when small, else a multipart upload aborted on
        any failure. Either way at most one part (PART_SIZE) is in memory."""
        extra = {"ContentType": content_type, "Metadata": {"original-name": quote(original_name)}, **self._sse}
        fp.seek(0)
        if size <= self._part_size:
            self._call("put_object", Key=key, Body=fp.read(size), **extra)
            return
        upload_id = self._call("create_multipart_upload", Key=key, **extra)["UploadId"]
        try:
            parts = []
            remaining = size
            while remaining and (chunk := fp.read(min(self._part_size, remaining))):
                remaining -= len(chunk)
                number = len(parts) + 1
                etag = self._call("upload_part", Key=key, UploadId=upload_id, PartNumber=number, Body=chunk)["ETag"]
                parts.append({"PartNumber": number, "ETag": etag})
            self._call("complete_multipart_upload", Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})
        except BaseException:
            self._abort(key, upload_id)
            raise

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self._call("abort_multipart_upload", Key=key, UploadId=upload_id)
        except (StorageUnavailable, ObjectNotFound):
            log.error("multipart abort failed", extra={"object_key": key})

    def put_thumbnail(self, key: str, data: bytes) -> None:
        self._call("put_object", Key=key, Body=data, ContentType="image/webp", **self._sse)

    def delete(self, key: str) -> None:
        self._call("delete_object", Key=key)

    def original_name(self, key: str) -> str:
        head = self._read("head_object", key)
        return unquote(head.get("Metadata", {}).get("original-name", ""))

    def list_page(self, page_size: int, after_id: str | None) -> Page:
        kwargs = {"Prefix": keys.UPLOAD_PREFIX, "MaxKeys": page_size}
        if after_id:
            # The id sorts before every extension, so StartAfter on the bare id skips exactly that upload.
            kwargs["StartAfter"] = keys.UPLOAD_PREFIX + after_id + "~"
        result = self._call("list_objects_v2", **kwargs)
        ids = [i for i in (keys.id_from_upload_key(o["Key"]) for o in result.get("Contents", [])) if i]
        return Page(ids, ids[-1] if result.get("IsTruncated") and ids else None)

    def find_upload_key(self, image_id: str) -> str | None:
        result = self._call("list_objects_v2", Prefix=keys.UPLOAD_PREFIX + image_id + ".", MaxKeys=1)
        contents = result.get("Contents", [])
        return contents[0]["Key"] if contents else None

    def open(self, key: str, if_none_match: str | None = None) -> StoredObject | None:
        """Stream an object; None means the client's cached copy (ETag) is current."""
        kwargs = {"IfNoneMatch": if_none_match} if if_none_match else {}
        try:
            obj = self._read("get_object", key, **kwargs)
        except StorageUnavailable as exc:
            if exc.code == "304":
                return None
            raise
        return StoredObject(
            body=self._iterate(obj["Body"], key),
            content_length=obj["ContentLength"],
            etag=obj.get("ETag", ""),
        )

    def _read(self, operation: str, key: str, **kwargs):
        """Read an object; a 403 for a key that a prefix listing does not show means it is missing (ObjectNotFound).
        A 403 for a key that exists, or a failing listing, stays StorageUnavailable: a real denial or outage."""
        try:
            return self._call(operation, Key=key, **kwargs)
        except StorageUnavailable as exc:
            if exc.code not in _ACCESS_DENIED_CODES or self._exists(key):
                raise
            raise ObjectNotFound(key) from exc

    def _exists(self, key: str) -> bool:
        # Allowed by the role's s3:prefix condition: every servable key starts with one of its prefixes. The key
        # itself sorts first among the keys it prefixes, so one result decides.
        result = self._call("list_objects_v2", Prefix=key, MaxKeys=1)
        return any(obj["Key"] == key for obj in result.get("Contents", []))

    @staticmethod
    def _iterate(body, key: str) -> Iterator[bytes]:
        try:
            yield from body.iter_chunks(STREAM_CHUNK)
        except (BotoCoreError, OSError):
            # Headers are already sent: all we can do is log and cut the response short.
            log.error("stream interrupted", extra={"object_key": key})
        finally:
            body.close()
