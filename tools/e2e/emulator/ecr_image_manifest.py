"""ECR PutImage: the image digest is the digest of the manifest as sent; the size is that of its layers.

An image in ECR is identified by `sha256:` of its manifest's bytes (the registry's content address: OCI
image-spec, "Descriptors"/"Digests"; ECR API reference, ImageIdentifier.imageDigest), so a client that pushes a
layout can name the image by the digest it computed itself. PutImage with an `imageDigest` that is not the digest
of the manifest fails with ImageDigestDoesNotMatchException
(https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html). DescribeImages reports
`imageSizeInBytes` as the size of the image's (compressed) layers
(https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html). moto 5.2 hashes the joined layer
digests instead (a digest no registry would answer), keeps whatever `imageDigest` it is sent, and reports the config
blob's size. With this patch the e2e registers the built image the way `make push` would and the task definition's
`repository@sha256:...` names the image ECR holds.
"""

import hashlib
import json
from typing import Any

from moto.core.exceptions import JsonRESTError


class ImageDigestDoesNotMatchException(JsonRESTError):
    def __init__(self, given: str, computed: str) -> None:
        super().__init__(
            "ImageDigestDoesNotMatchException",
            f"The image digest {given} does not match the digest {computed} Amazon ECR calculated for the manifest.",
        )


def manifest_digest(manifest: str) -> str:
    """`sha256:` of the manifest's bytes as sent (UTF-8: PutImage carries the manifest as a JSON string)."""
    return "sha256:" + hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def layers_size(manifest: str) -> int | None:
    layers = json.loads(manifest).get("layers")
    return None if layers is None else sum(int(layer.get("size", 0)) for layer in layers)


def install() -> None:
    from moto.ecr.models import ECRBackend, Image

    original_put = ECRBackend.put_image

    def put_image(
        self: Any,
        repository_name: str,
        image_manifest: str,
        image_tag: str,
        image_manifest_mediatype: str | None = None,
        digest: str | None = None,
    ) -> Any:
        computed = manifest_digest(image_manifest)
        if digest is not None and digest != computed:
            raise ImageDigestDoesNotMatchException(digest, computed)
        return original_put(self, repository_name, image_manifest, image_tag, image_manifest_mediatype, computed)

    def get_image_size_in_bytes(self: Any) -> int | None:
        return layers_size(self.image_manifest)

    ECRBackend.put_image = put_image  # type: ignore[method-assign]
    Image.get_image_size_in_bytes = get_image_size_in_bytes  # type: ignore[method-assign]
