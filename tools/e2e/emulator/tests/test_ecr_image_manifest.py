import hashlib
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "eu-west-1"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
# A manifest as a layout stores it: compact JSON whose bytes the digest covers.
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + "c" * 64,
            "size": 700,
        },
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + "a" * 64, "size": 1000},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + "b" * 64, "size": 234},
        ],
    },
    separators=(",", ":"),
)
DIGEST = "sha256:" + hashlib.sha256(MANIFEST.encode()).hexdigest()


def _repository():
    ecr = boto3.client("ecr", region_name=REGION)
    ecr.create_repository(repositoryName="app", imageTagMutability="IMMUTABLE")
    return ecr


@mock_aws
def test_the_image_digest_is_the_manifest_digest_and_its_size_the_layers():
    ecr = _repository()
    image = ecr.put_image(repositoryName="app", imageManifest=MANIFEST, imageTag="v1")["image"]
    assert image["imageId"]["imageDigest"] == DIGEST
    [detail] = ecr.describe_images(repositoryName="app", imageIds=[{"imageDigest": DIGEST}])["imageDetails"]
    assert detail["imageSizeInBytes"] == 1234
    assert detail["imageManifestMediaType"] == OCI_MANIFEST
    got = ecr.batch_get_image(repositoryName="app", imageIds=[{"imageDigest": DIGEST}])["images"][0]
    assert got["imageManifest"] == MANIFEST


@mock_aws
def test_a_digest_that_is_not_the_manifests_is_refused():
    ecr = _repository()
    with pytest.raises(ClientError) as error:
        ecr.put_image(repositoryName="app", imageManifest=MANIFEST, imageTag="v1", imageDigest="sha256:" + "0" * 64)
    assert error.value.response["Error"]["Code"] == "ImageDigestDoesNotMatchException"
    ecr.put_image(repositoryName="app", imageManifest=MANIFEST, imageTag="v1", imageDigest=DIGEST)
