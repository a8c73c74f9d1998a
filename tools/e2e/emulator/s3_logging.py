"""PutBucketLogging with a target bucket whose policy has a `"Principal": "*"` statement.

moto checks that the target bucket's policy grants `logging.s3.amazonaws.com` PutObject (the grant the S3 guide
asks for, https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html), but reads every
statement's Principal as an object: a TLS-only Deny with `"Principal": "*"` (valid policy grammar, IAM "AWS JSON
policy elements: Principal") makes it crash with HTTP 500 and the provider retry until it times out. The check
itself stays; statements whose Principal is not an object are skipped, as they cannot name the logging service.
"""

import json
from typing import Any


def install() -> None:
    from moto.s3.models import FakeBucket

    original = FakeBucket._log_permissions_enabled_policy

    def check(target_bucket: Any, target_prefix: str | None) -> bool:
        if not target_bucket.policy:
            return False
        policy = json.loads(target_bucket.policy.decode())
        statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
        objects_only = [s for s in statements if isinstance(s.get("Principal"), dict)]
        if len(objects_only) == len(statements):
            return original(target_bucket, target_prefix)
        saved = target_bucket.policy
        try:
            target_bucket.policy = json.dumps({**policy, "Statement": objects_only}).encode()
            return original(target_bucket, target_prefix)
        finally:
            target_bucket.policy = saved

    FakeBucket._log_permissions_enabled_policy = staticmethod(check)  # type: ignore[method-assign]
