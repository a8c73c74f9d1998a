"""Bucket-policy evaluation: the operators our policies use, missing keys, and Deny/Allow precedence."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from emulator.bucket_policy import condition_holds, context_of, evaluate

BUCKET = "arn:aws:s3:::images"
ROLE = "arn:aws:iam::123456789012:role/app"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/data"
ROOT = {"aws:PrincipalArn": "arn:aws:iam::123456789012:root", "aws:PrincipalAccount": "123456789012"}
TLS = {**ROOT, "aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}

# The statements of constructs/policies/s3.ts and encrypted-bucket.ts, as synthesized.
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [BUCKET, f"{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "DenyOutdatedTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [BUCKET, f"{BUCKET}/*"],
            "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
        },
        {
            "Sid": "DenyNonKmsEncryptionHeader",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"{BUCKET}/*",
            "Condition": {
                "Null": {"s3:x-amz-server-side-encryption": "false"},
                "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
            },
        },
        {
            "Sid": "DenyOtherKmsKey",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"{BUCKET}/*",
            "Condition": {
                "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "false"},
                "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": KEY},
            },
        },
        {
            "Sid": "DenyAppRoleOutsideVpcEndpoint",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [BUCKET, f"{BUCKET}/*"],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}, "ArnEquals": {"aws:PrincipalArn": ROLE}},
        },
        {
            "Sid": "AllowLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{BUCKET}/logs/*",
        },
    ],
}


def test_plain_put_over_tls_passes_every_conditional_deny():
    assert evaluate(POLICY, "s3:PutObject", f"{BUCKET}/uploads/a", TLS) == "NEUTRAL"


def test_plain_http_is_denied():
    context = {**ROOT, "aws:SecureTransport": "false"}
    assert evaluate(POLICY, "s3:GetObject", f"{BUCKET}/uploads/a", context) == "DENIED"


def test_tls_below_1_2_is_denied():
    assert evaluate(POLICY, "s3:GetObject", f"{BUCKET}/a", {**TLS, "s3:TlsVersion": "1.1"}) == "DENIED"


def test_sse_s3_header_is_denied_and_kms_header_with_our_key_is_not():
    sse_s3 = {**TLS, "s3:x-amz-server-side-encryption": "AES256"}
    ours = {**TLS, "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY}
    other = {**ours, "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY + "-other"}
    assert evaluate(POLICY, "s3:PutObject", f"{BUCKET}/a", sse_s3) == "DENIED"
    assert evaluate(POLICY, "s3:PutObject", f"{BUCKET}/a", ours) == "NEUTRAL"
    assert evaluate(POLICY, "s3:PutObject", f"{BUCKET}/a", other) == "DENIED"


def test_app_role_outside_the_endpoint_is_denied_but_not_other_principals():
    as_role = {**TLS, "aws:PrincipalArn": ROLE}
    assert evaluate(POLICY, "s3:GetObject", f"{BUCKET}/a", as_role) == "DENIED"
    assert evaluate(POLICY, "s3:GetObject", f"{BUCKET}/a", {**as_role, "aws:SourceVpce": "vpce-1"}) == "NEUTRAL"
    assert evaluate(POLICY, "s3:GetObject", f"{BUCKET}/a", TLS) == "NEUTRAL"


def test_service_principal_statements_do_not_apply_to_callers_with_keys():
    assert evaluate(POLICY, "s3:PutObject", f"{BUCKET}/logs/x", TLS) == "NEUTRAL"


def test_allow_for_the_caller_permits():
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ROOT["aws:PrincipalArn"]},
                "Action": "s3:Get*",
                "Resource": f"{BUCKET}/*",
            }
        ]
    }
    assert evaluate(policy, "s3:GetObject", f"{BUCKET}/a", TLS) == "PERMITTED"
    assert evaluate(policy, "s3:PutObject", f"{BUCKET}/a", TLS) == "NEUTRAL"


@pytest.mark.parametrize(
    "operator,expected,context,holds",
    [
        ("StringEquals", "a", {"k": "a"}, True),
        ("StringEquals", "a", {}, False),
        ("StringNotEquals", "a", {}, True),
        ("StringNotEquals", ["a", "b"], {"k": "b"}, False),
        ("StringLike", "uploads/*", {"k": "uploads/x"}, True),
        ("StringLike", "uploads/*", {"k": "thumbs/x"}, False),
        ("StringEqualsIfExists", "a", {}, True),
        ("ArnLike", "arn:aws:ec2:eu-west-1:*:vpc-flow-log/*", {"k": "arn:aws:ec2:eu-west-1:1:vpc-flow-log/f"}, True),
        ("ArnEquals", ROLE, {"k": ROLE + "x"}, False),
        ("NumericLessThan", "1.2", {"k": "1.3"}, False),
        ("Bool", "false", {"k": "true"}, False),
        ("Null", "true", {}, True),
        ("Null", "false", {}, False),
        ("IpAddress", "127.0.0.0/8", {"k": "127.0.0.1"}, True),
    ],
)
def test_operators(operator, expected, context, holds):
    assert condition_holds(operator, "k", expected, context) is holds


def test_unknown_operator_fails_closed():
    deny = {
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
            }
        ]
    }
    assert evaluate(deny, "s3:GetObject", f"{BUCKET}/a", TLS) == "DENIED"


class FakeSocket:
    def version(self):
        return "TLSv1.3"


class FakeRequest:
    def __init__(self, headers, scheme="https"):
        self.headers = headers
        self.environ = {"wsgi.url_scheme": scheme, "werkzeug.socket": FakeSocket(), "REMOTE_ADDR": "127.0.0.1"}
        self.url = "https://127.0.0.1/images/a"
        self.method = "PUT"
        self.args = {}


@mock_aws
def test_context_from_a_tls_request_signed_by_an_assumed_role():
    iam = boto3.client("iam", region_name="eu-west-1")
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({"Statement": []}))["Role"]["Arn"]
    key = boto3.client("sts", region_name="eu-west-1").assume_role(RoleArn=role, RoleSessionName="session")[
        "Credentials"
    ]["AccessKeyId"]
    request = FakeRequest(
        {
            "Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260101/eu-west-1/s3/aws4_request",
            "x-amz-server-side-encryption": "aws:kms",
        }
    )
    context = context_of(request)
    assert context["aws:SecureTransport"] == "true"
    assert context["s3:TlsVersion"] == "1.3"
    assert context["aws:PrincipalArn"] == role
    assert context["s3:x-amz-server-side-encryption"] == "aws:kms"
    assert "aws:SourceVpce" not in context
    assert context_of(FakeRequest({}, scheme="http"))["aws:SecureTransport"] == "false"


@mock_aws
def test_moto_object_requests_go_through_the_evaluator():
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="images", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    policy = {"Version": "2012-10-17", "Statement": POLICY["Statement"][2:3]}
    s3.put_bucket_policy(Bucket="images", Policy=json.dumps(policy).replace(BUCKET, "arn:aws:s3:::images"))
    s3.put_object(Bucket="images", Key="uploads/a", Body=b"x")
    assert s3.get_object(Bucket="images", Key="uploads/a")["Body"].read() == b"x"
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket="images", Key="uploads/b", Body=b"x", ServerSideEncryption="AES256")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
