"""EB reads the source bundle as the caller: the bucket policy applies, and an SSE-KMS bundle is refused."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "eu-west-1"


@pytest.fixture
def clients():
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": REGION})
        eb = boto3.client("elasticbeanstalk", region_name=REGION)
        eb.create_application(ApplicationName="app")
        yield s3, eb


def version(eb, key: str, label: str = "v1"):
    return eb.create_application_version(
        ApplicationName="app", VersionLabel=label, SourceBundle={"S3Bucket": "artifacts", "S3Key": key}
    )


def test_an_sse_s3_bundle_behind_a_tls_only_policy_is_read(clients):
    s3, eb = clients
    s3.put_object(Bucket="artifacts", Key="b.zip", Body=b"zip", ServerSideEncryption="AES256")
    tls_only = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::artifacts", "arn:aws:s3:::artifacts/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    s3.put_bucket_policy(Bucket="artifacts", Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only]}))
    assert version(eb, "b.zip")["ApplicationVersion"]["VersionLabel"] == "v1"


def test_a_bucket_policy_that_refuses_the_caller_refuses_eb(clients):
    s3, eb = clients
    s3.put_object(Bucket="artifacts", Key="b.zip", Body=b"zip")
    deny_this_account = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::artifacts/*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
    }
    s3.put_bucket_policy(
        Bucket="artifacts", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_this_account]})
    )
    with pytest.raises(ClientError, match="Unable to download from S3 location.*bucket policy"):
        version(eb, "b.zip")


def test_an_sse_kms_bundle_is_refused(clients):
    s3, eb = clients
    key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
    s3.put_object(Bucket="artifacts", Key="k.zip", Body=b"zip", ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    with pytest.raises(ClientError, match="SSE-KMS"):
        version(eb, "k.zip")
    assert eb.describe_application_versions(ApplicationName="app")["ApplicationVersions"] == []


def test_a_missing_bundle_is_not_found(clients):
    _, eb = clients
    with pytest.raises(ClientError, match="Reason: Not Found"):
        version(eb, "missing.zip")
