"""Elastic Beanstalk reads a version's source bundle from S3 as the caller, through the bucket policy and KMS.

EB fetches the bundle a version names from the caller's bucket (CreateApplicationVersion: "Unable to download from
S3 location" when it cannot; EB guide, "Using Elastic Beanstalk with Amazon S3",
https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/AWSHowTo.S3.html) acting for the caller: the bucket policy
applies to that request as to the caller's own, over TLS (an AWS service calls S3 over HTTPS), with the caller's
principal and account, and without `aws:SourceVpce` (the request does not come through the caller's VPC
endpoint). The emulator used to read the object straight from its store, so a bucket policy that would refuse EB,
or an encryption EB cannot read, went unnoticed.

Encryption: EB documents only S3's default encryption for its bundles (same guide), and reading application
versions encrypted with a customer KMS key is an open request on EB's public roadmap
(aws/elastic-beanstalk-roadmap#209, "Encrypt application version and KMS support in Elastic Beanstalk", proposed
2021-11-11, open). With no documented support, a bundle stored with SSE-KMS is refused here: the emulator may be
stricter than AWS, never more permissive.
"""

import json
from typing import Any

from .bucket_policy import ACCOUNT_ID, evaluate, principal_of_access_key


def refusal(bucket: Any, key: Any, caller_arn: str) -> str | None:
    """Why EB, reading as `caller_arn`, could not download this object; None when it can."""
    if bucket is None or key is None:
        return "Not Found"
    if bucket.policy:
        policy = json.loads(bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy)
        context = {
            "aws:SecureTransport": "true",
            "s3:TlsVersion": "1.2",
            "aws:PrincipalArn": caller_arn,
            "aws:PrincipalAccount": caller_arn.split(":")[4] or ACCOUNT_ID,
            "aws:ViaAWSService": "true",
        }
        if evaluate(policy, "s3:GetObject", f"arn:aws:s3:::{bucket.name}/{key.name}", context) == "DENIED":
            return "Access Denied (bucket policy)"
    if (key.encryption or "").startswith("aws:kms"):
        return (
            "Access Denied: the source bundle is encrypted with AWS KMS (SSE-KMS), which Elastic Beanstalk does not "
            "document reading (elastic-beanstalk-roadmap#209); store bundles with SSE-S3"
        )
    return None


def install() -> None:
    from moto.elasticbeanstalk import responses
    from moto.s3.models import s3_backends

    from .elasticbeanstalk import InvalidParameterCombination

    response_class = responses.EBResponse
    original = response_class.create_application_version

    def create_application_version(self: Any) -> Any:
        bundle = self._get_param("SourceBundle") or {}
        bucket_name, key_name = bundle.get("S3Bucket"), bundle.get("S3Key")
        backend = s3_backends[self.current_account]["aws"]
        bucket = backend.buckets.get(bucket_name) if bucket_name else None
        try:
            key = backend.get_object(bucket_name, key_name) if bucket is not None and key_name else None
        except Exception:  # noqa: BLE001 - moto raises MissingKey
            key = None
        reason = refusal(bucket, key, principal_of_access_key(self.access_key))
        if reason is not None:
            raise InvalidParameterCombination(
                f"Unable to download from S3 location (Bucket: {bucket_name}  Key: {key_name}). Reason: {reason}"
            )
        return original(self)

    response_class.create_application_version = create_application_version  # type: ignore[method-assign]
