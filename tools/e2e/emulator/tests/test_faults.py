import json
import socket
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from emulator.faults import CONTROL_PATH


@pytest.fixture(scope="module")
def endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def control(endpoint: str, config: dict | None = None) -> dict:
    data = None if config is None else json.dumps(config).encode()
    with urllib.request.urlopen(f"{endpoint}{CONTROL_PATH}", data=data) as answer:
        return json.loads(answer.read())


def client(endpoint: str, service: str, attempts: int = 1):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="eu-west-1",
        config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": attempts}),
    )


@pytest.fixture(autouse=True)
def no_faults(endpoint):
    control(endpoint, {})
    yield
    control(endpoint, {})


def error_of(call) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize(
    ("service", "call", "expected"),
    [
        ("s3", lambda c: c.list_buckets(), ("SlowDown", 503)),
        ("ec2", lambda c: c.describe_vpcs(), ("RequestLimitExceeded", 503)),
        ("dynamodb", lambda c: c.list_tables(), ("ThrottlingException", 400)),
        ("kms", lambda c: c.list_keys(), ("ThrottlingException", 400)),
        ("iam", lambda c: c.list_roles(), ("ThrottlingException", 400)),
    ],
)
def test_every_request_throttled_reads_as_the_service_throttling_error(endpoint, service, call, expected):
    control(endpoint, {"throttle": {"fraction": 1.0, "seed": 1}})
    assert error_of(lambda: call(client(endpoint, service))) == expected
    assert control(endpoint)["refused"] == {expected[0]: 1}


def test_an_s3_head_is_refused_without_a_body(endpoint):
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket="heads", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    control(endpoint, {"throttle": {"fraction": 1.0, "seed": 1}})
    code, status = error_of(lambda: s3.head_bucket(Bucket="heads"))
    assert status == 503 and code == "503"  # botocore names a bodiless error by its status


def test_sdk_retries_see_throttling_and_converge(endpoint):
    # botocore's standard retry mode retries these codes as throttling (as the Go SDK under Terraform does).
    control(endpoint, {"throttle": {"fraction": 0.5, "seed": 7}})
    ec2 = client(endpoint, "ec2", attempts=10)
    for _ in range(6):
        ec2.describe_vpcs()
    snapshot = control(endpoint)
    assert snapshot["refused"].get("RequestLimitExceeded", 0) > 0
    assert snapshot["by_service"] == {"ec2": snapshot["refused"]["RequestLimitExceeded"]}


def test_the_same_seed_refuses_the_same_requests(endpoint):
    def run() -> list[bool]:
        control(endpoint, {"throttle": {"fraction": 0.3, "seed": 24}})
        kms, refused = client(endpoint, "kms"), []
        for _ in range(20):
            try:
                kms.list_keys()
                refused.append(False)
            except ClientError:
                refused.append(True)
        return refused

    first = run()
    assert any(first) and not all(first)
    assert run() == first


def test_a_refused_request_is_not_processed(endpoint):
    control(endpoint, {"throttle": {"fraction": 1.0, "seed": 1}})
    error_of(lambda: client(endpoint, "ec2").create_vpc(CidrBlock="10.9.0.0/16"))
    control(endpoint, {})
    vpcs = client(endpoint, "ec2").describe_vpcs()["Vpcs"]
    assert all(v["CidrBlock"] != "10.9.0.0/16" for v in vpcs)


def test_an_outage_fails_one_bucket_for_its_window_then_ends(endpoint):
    s3 = client(endpoint, "s3")
    for name in ("down-bucket", "up-bucket"):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    control(endpoint, {"outage": {"seconds": 1.0, "bucket": "down-bucket"}})
    assert error_of(lambda: s3.put_object(Bucket="down-bucket", Key="k", Body=b"x")) == ("ServiceUnavailable", 503)
    s3.put_object(Bucket="up-bucket", Key="k", Body=b"x")
    assert control(endpoint)["outage_active"] is True
    time.sleep(1.1)
    s3.put_object(Bucket="down-bucket", Key="k", Body=b"x")
    snapshot = control(endpoint)
    assert snapshot["outage_active"] is False and snapshot["refused"] == {"ServiceUnavailable": 1}


def test_an_outage_after_a_write_opens_once_that_write_is_stored(endpoint):
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket="after-write", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    control(endpoint, {"outage": {"seconds": 30, "bucket": "after-write", "after_write": "uploads/"}})
    s3.put_object(Bucket="after-write", Key="thumbs/a", Body=b"x")
    assert control(endpoint)["outage_opened"] is False
    s3.put_object(Bucket="after-write", Key="uploads/a", Body=b"x")
    assert error_of(lambda: s3.put_object(Bucket="after-write", Key="thumbs/b", Body=b"x")) == (
        "ServiceUnavailable",
        503,
    )
    assert control(endpoint)["outage_active"] is True


def test_only_the_named_user_agent_is_throttled(endpoint):
    control(endpoint, {"throttle": {"fraction": 1.0, "seed": 1, "user_agent": "Terraform/"}})
    client(endpoint, "kms").list_keys()
    assert control(endpoint)["refused"] == {}


def test_nothing_is_injected_unless_asked(endpoint):
    client(endpoint, "s3").list_buckets()
    assert control(endpoint)["refused"] == {}
