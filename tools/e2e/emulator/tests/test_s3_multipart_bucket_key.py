import boto3
from moto import mock_aws

PART = b"x" * (5 * 1024 * 1024)


@mock_aws
def test_an_object_uploaded_in_parts_keeps_its_bucket_key():
    kms = boto3.client("kms", region_name="eu-west-1")
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="bundles", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    upload = s3.create_multipart_upload(
        Bucket="bundles", Key="k", ServerSideEncryption="aws:kms", SSEKMSKeyId=key_arn, BucketKeyEnabled=True
    )["UploadId"]
    etag = s3.upload_part(Bucket="bundles", Key="k", UploadId=upload, PartNumber=1, Body=PART)["ETag"]
    s3.complete_multipart_upload(
        Bucket="bundles", Key="k", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    head = s3.head_object(Bucket="bundles", Key="k")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["BucketKeyEnabled"] is True


@mock_aws
def test_without_the_header_no_bucket_key_is_reported():
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="bundles", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    upload = s3.create_multipart_upload(Bucket="bundles", Key="k")["UploadId"]
    etag = s3.upload_part(Bucket="bundles", Key="k", UploadId=upload, PartNumber=1, Body=PART)["ETag"]
    s3.complete_multipart_upload(
        Bucket="bundles", Key="k", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    assert "BucketKeyEnabled" not in s3.head_object(Bucket="bundles", Key="k")
