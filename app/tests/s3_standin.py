"""How real S3 answers the app role where the emulator (moto) does not: a test-only stand-in.

moto evaluates no IAM, so it answers 404 NoSuchKey for a missing object to everyone. Real S3 does so only for a caller
allowed s3:ListBucket on the bucket; anyone else gets 403 (GetObject and HeadObject API reference, "Permissions": "If
you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied error":
https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, API_HeadObject.html; aws/aws-cli#2041). The app
role's ListBucket carries an s3:prefix condition (constructs/policies/encrypted-bucket.ts), which a GetObject request
never satisfies, so the role is in the second case. A listing is answered only inside the granted prefixes.

Each patch below reproduces one of those behaviours on one boto3 client, by answering before the request is sent.
"""

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

# The prefixes the role may list (stacks/app-stack.ts APP_IMAGE_PREFIXES; app/imageshare/keys.py).
GRANTED_LIST_PREFIXES = ("uploads/", "thumbs/")


def access_denied(status_body: bool) -> tuple[AWSResponse, dict]:
    """403 as S3 sends it: GetObject/ListObjectsV2 carry an AccessDenied XML body, HeadObject has no body."""
    code = "AccessDenied" if status_body else "403"
    parsed = {
        "Error": {"Code": code, "Message": "Access Denied" if status_body else "Forbidden"},
        "ResponseMetadata": {"HTTPStatusCode": 403},
    }
    return AWSResponse("https://s3.amazonaws.com/", 403, {}, None), parsed


def answer_as_s3_answers_the_app_role(client, region: str) -> None:
    """Patch `client`: missing keys -> 403 on GetObject/HeadObject; listings outside the granted prefixes -> 403."""
    oracle = boto3.client("s3", region_name=region)

    def keep_params(params, context, **_):
        context["standin_params"] = dict(params)

    def exists(bucket: str, key: str) -> bool:
        try:
            oracle.head_object(Bucket=bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] in {"404", "NoSuchKey"}:
                return False
            raise

    def read(model, context, **_):
        params = context["standin_params"]
        if not exists(params["Bucket"], params["Key"]):
            return access_denied(status_body=model.name == "GetObject")
        return None

    def listing(context, **_):
        if not context["standin_params"].get("Prefix", "").startswith(GRANTED_LIST_PREFIXES):
            return access_denied(status_body=True)
        return None

    client.meta.events.register("before-parameter-build.s3", keep_params)
    client.meta.events.register("before-call.s3.GetObject", read)
    client.meta.events.register("before-call.s3.HeadObject", read)
    client.meta.events.register("before-call.s3.ListObjectsV2", listing)
