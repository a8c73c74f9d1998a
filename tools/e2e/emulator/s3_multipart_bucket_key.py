"""S3 Bucket Keys on objects uploaded in parts.

CreateMultipartUpload takes `x-amz-server-side-encryption-bucket-key-enabled`, and the completed object keeps it:
HeadObject and GetObject answer with the same header (S3 API reference, CreateMultipartUpload, "BucketKeyEnabled",
https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html). moto honours the header on
PutObject only, so an object the provider uploads in parts (aws_s3_object of more than one part, such as the EB
bundle) reads back without it and every plan shows `bucket_key_enabled = false -> true`.
"""

import threading
from typing import Any

_request = threading.local()


def install() -> None:
    from moto.s3.models import S3Backend
    from moto.s3.responses import S3Response

    original_post = S3Response._key_response_post
    original_create = S3Backend.create_multipart_upload
    original_complete = S3Backend.complete_multipart_upload

    def key_response_post(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("x-amz-server-side-encryption-bucket-key-enabled")
        _request.bucket_key_enabled = None if header is None else str(header).lower() == "true"
        try:
            return original_post(self, request, *args, **kwargs)
        finally:
            _request.bucket_key_enabled = None

    def create_multipart_upload(self: Any, *args: Any, **kwargs: Any) -> Any:
        multipart = original_create(self, *args, **kwargs)
        multipart.bucket_key_enabled = getattr(_request, "bucket_key_enabled", None)
        return multipart

    def complete_multipart_upload(self: Any, bucket_name: str, multipart_id: str, body: Any) -> Any:
        multipart = self.get_bucket(bucket_name).multiparts.get(multipart_id)
        key = original_complete(self, bucket_name, multipart_id, body)
        enabled = getattr(multipart, "bucket_key_enabled", None)
        if key is not None and enabled is not None:
            key.bucket_key_enabled = enabled
        return key

    S3Response._key_response_post = key_response_post  # type: ignore[method-assign]
    S3Backend.create_multipart_upload = create_multipart_upload  # type: ignore[method-assign]
    S3Backend.complete_multipart_upload = complete_multipart_upload  # type: ignore[method-assign]
