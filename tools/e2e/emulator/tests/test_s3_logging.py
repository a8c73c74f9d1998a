import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws


def _buckets():
    s3 = boto3.client("s3", region_name="eu-west-1")
    for name in ("source", "log-target"):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return s3


TLS_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::log-target/*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
GRANT = {
    "Effect": "Allow",
    "Principal": {"Service": "logging.s3.amazonaws.com"},
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::log-target/s3/source/*",
}
LOGGING = {"LoggingEnabled": {"TargetBucket": "log-target", "TargetPrefix": "s3/source/"}}


@mock_aws
def test_a_star_principal_statement_beside_the_grant_is_accepted():
    s3 = _buckets()
    s3.put_bucket_policy(
        Bucket="log-target", Policy=json.dumps({"Version": "2012-10-17", "Statement": [TLS_DENY, GRANT]})
    )
    s3.put_bucket_logging(Bucket="source", BucketLoggingStatus=LOGGING)
    assert s3.get_bucket_logging(Bucket="source")["LoggingEnabled"]["TargetPrefix"] == "s3/source/"


@mock_aws
def test_without_the_grant_logging_is_still_refused():
    s3 = _buckets()
    s3.put_bucket_policy(Bucket="log-target", Policy=json.dumps({"Version": "2012-10-17", "Statement": [TLS_DENY]}))
    with pytest.raises(ClientError) as refused:
        s3.put_bucket_logging(Bucket="source", BucketLoggingStatus=LOGGING)
    assert refused.value.response["Error"]["Code"] == "InvalidTargetBucketForLogging"
