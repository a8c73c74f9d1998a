"""Embedded S3 + KMS emulator (moto server) provisioned like production; for the demo and tests only."""

import boto3
from moto.server import ThreadedMotoServer

from imageshare.contract import ENV, LOCAL_ENV

REGION = "us-east-1"
BUCKET = "imageshare-local"
# Credentials that only the emulator accepts; set for local runs so no real AWS profile is ever used.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def provision(endpoint_url: str | None = None, bucket: str = BUCKET) -> str:
    """Create the KMS key and a bucket with production's settings; return the key ARN."""
    session = boto3.session.Session(
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )
    kms = session.client("kms", endpoint_url=endpoint_url)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    key_arn = kms.create_key(Description="imageshare local key")["KeyMetadata"]["Arn"]
    s3.create_bucket(Bucket=bucket)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    return key_arn


def start_emulator(port: int, host: str = "127.0.0.1") -> ThreadedMotoServer:
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    return server


def app_environment(endpoint_url: str, key_arn: str, bucket: str = BUCKET) -> dict[str, str]:
    """Environment for the app process pointed at the emulator."""
    return {
        **FAKE_CREDENTIALS,
        ENV["region"]: REGION,
        ENV["imagesBucket"]: bucket,
        ENV["kmsKeyArn"]: key_arn,
        LOCAL_ENV["s3EndpointUrl"]: endpoint_url,
    }
