"""The e2e checks that need AWS calls or process control (steps 3, 5, 6 and 8 of issue 12).

    checks.py state   --out DIR --stack S --endpoint URL --ca PEM   state list/show, the state object and its lock
    checks.py lock    ...                                            a plan fails while an apply holds the lock
    checks.py app     ... --outputs FILE                             the app against what Terraform created
    checks.py destroy ... --lock-flag FLAGS                          destroy: refusals as documented, the rest gone

Every AWS call goes to the emulator with its fake credentials and its certificate. Processes started here are stopped
by their own pid in `finally`.
"""

import argparse
import io
import json
import os
import re
import select
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from compute import address_of, compute_of

ROOT = Path(__file__).resolve().parents[2]
# What the app and the stacks agree on (environment variable names, key prefixes, paths): read, never spelled here.
CONTRACT = json.loads((ROOT / "app/imageshare/contract.json").read_text(encoding="utf-8"))
ENV = CONTRACT["environmentVariables"]
UPLOADS = CONTRACT["keyPrefixes"]["uploads"]


def fail(message: str) -> None:
    sys.exit(f"e2e check failed: {message}")


def client(args: argparse.Namespace, service: str, **credentials: str):
    return boto3.client(
        service,
        endpoint_url=args.endpoint,
        verify=args.ca,
        region_name="eu-west-1",
        aws_access_key_id=credentials.get("key", "testing"),
        aws_secret_access_key=credentials.get("secret", "testing"),
        aws_session_token=credentials.get("token"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def stack_json(args: argparse.Namespace, stack: str | None = None) -> dict:
    return json.loads((Path(args.out) / "stacks" / (stack or args.stack) / "cdk.tf.json").read_text())


def terraform(args: argparse.Namespace, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["terraform", *command, "-no-color"] if command[0] not in ("state",) else ["terraform", *command],
        cwd=Path(args.out) / "stacks" / args.stack,
        capture_output=True,
        text=True,
        check=check,
    )


def declared_addresses(stack: dict) -> set[str]:
    addresses = {f"{t}.{n}" for t, resources in stack.get("resource", {}).items() for n in resources}
    addresses |= {f"data.{t}.{n}" for t, data in stack.get("data", {}).items() for n in data}
    return addresses


def state_addresses(args: argparse.Namespace) -> set[str]:
    return set(terraform(args, "state", "list").stdout.split())


def resource_named(stack: dict, resource_type: str, fragment: str) -> str:
    names = [n for n in stack["resource"].get(resource_type, {}) if fragment in n]
    if len(names) != 1:
        fail(f"expected one {resource_type} named *{fragment}*, found {names}")
    return f"{resource_type}.{names[0]}"


# --- step 3 and 5 ---------------------------------------------------------------------------------------------------
def check_state(args: argparse.Namespace) -> None:
    stack = stack_json(args)
    declared, listed = declared_addresses(stack), state_addresses(args)
    if declared != listed:
        fail(
            f"state list differs from the stack: missing {sorted(declared - listed)}, extra {sorted(listed - declared)}"
        )
    print(f"terraform state list: all {len(declared)} declared resources and data sources of {args.stack}")

    # Since provider 4 a bucket's encryption is its own resource; the aws_s3_bucket's read-only copy is only
    # refreshed by a later plan, which does not write state.
    bucket = resource_named(stack, "aws_s3_bucket", "images-bucket")
    encryption = resource_named(stack, "aws_s3_bucket_server_side_encryption_configuration", "images-bucket")
    data_key = terraform(args, "state", "show", "-no-color", resource_named(stack, "aws_kms_key", "data-key")).stdout
    key_arn = re.search(r'\barn\s+=\s+"([^"]+)"', data_key).group(1)
    shown = terraform(args, "state", "show", "-no-color", encryption).stdout
    if not re.search(r'sse_algorithm\s+=\s+"aws:kms"', shown) or f'"{key_arn}"' not in shown:
        fail(f"terraform state show {encryption} does not show SSE-KMS with the data key:\n{shown}")
    print(f"terraform state show {encryption} (of {bucket}): sse_algorithm = aws:kms, key {key_arn}")

    backend = stack["terraform"]["backend"]["s3"]
    s3, kms, dynamodb = client(args, "s3"), client(args, "kms"), client(args, "dynamodb")
    head = s3.head_object(Bucket=backend["bucket"], Key=backend["key"])
    state_key = kms.describe_key(KeyId=backend["kms_key_id"])["KeyMetadata"]["Arn"]
    stored_key = head.get("SSEKMSKeyId", "")
    resolved = kms.describe_key(KeyId=stored_key)["KeyMetadata"]["Arn"] if stored_key else ""
    if head.get("ServerSideEncryption") != "aws:kms" or resolved != state_key:
        fail(f"state object {backend['key']} is not encrypted with the state key: {head}")
    print(f"s3://{backend['bucket']}/{backend['key']}: SSE-KMS with the state key {state_key}")
    digest = dynamodb.get_item(
        TableName=backend["dynamodb_table"], Key={"LockID": {"S": f"{backend['bucket']}/{backend['key']}-md5"}}
    )
    if "Item" not in digest:
        fail("the DynamoDB lock table holds no state digest: the backend did not use it")
    print(f"DynamoDB {backend['dynamodb_table']}: state digest recorded (the table locks and checks this state)")


def check_lock(args: argparse.Namespace) -> None:
    """An apply waiting for approval holds the lock; a plan started meanwhile must fail on it."""
    stack = stack_json(args)
    backend = stack["terraform"]["backend"]["s3"]
    stack_dir = Path(args.out) / "stacks" / args.stack
    # An apply only waits for approval (holding the lock) when it has changes: ask it to replace one resource and
    # never approve.
    held = resource_named(stack, "aws_s3_bucket_ownership_controls", "images-bucket")
    apply = subprocess.Popen(
        ["terraform", "apply", "-no-color", "-input=true", f"-replace={held}"],
        cwd=stack_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output = ""
        deadline = time.time() + 120
        assert apply.stdout is not None
        fd = apply.stdout.fileno()
        while "Enter a value" not in output and time.time() < deadline and apply.poll() is None:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                output += os.read(fd, 65536).decode(errors="replace")
        s3 = client(args, "s3")
        lockfile = s3.list_objects_v2(Bucket=backend["bucket"], Prefix=f"{backend['key']}.tflock").get("KeyCount", 0)
        lock_item = client(args, "dynamodb").get_item(
            TableName=backend["dynamodb_table"], Key={"LockID": {"S": f"{backend['bucket']}/{backend['key']}"}}
        )
        if apply.poll() is not None:
            fail(f"the holding apply ended early:\n{output}")
        plan = subprocess.run(
            ["terraform", "plan", "-no-color", "-lock-timeout=0s", "-input=false"],
            cwd=stack_dir,
            capture_output=True,
            text=True,
        )
        if plan.returncode == 0 or "Error acquiring the state lock" not in plan.stdout + plan.stderr:
            fail(f"a second plan did not fail on the lock:\n{plan.stdout}{plan.stderr}")
        print("a plan started while an apply holds the lock fails: Error acquiring the state lock")
        if lockfile != 1 or "Item" not in lock_item:
            fail(f"while locked: lockfile objects {lockfile}, DynamoDB lock item {lock_item.get('Item')}")
        print(f"while locked: s3://{backend['bucket']}/{backend['key']}.tflock exists and DynamoDB holds the lock")
    finally:
        if apply.poll() is None:
            assert apply.stdin is not None
            apply.stdin.write(b"no\n")
            apply.stdin.flush()
            try:
                apply.wait(timeout=60)
            except subprocess.TimeoutExpired:
                apply.kill()
                apply.wait()
    after = client(args, "s3").list_objects_v2(Bucket=backend["bucket"], Prefix=f"{backend['key']}.tflock")
    if after.get("KeyCount", 0):
        fail("the lockfile stayed after the apply was cancelled")
    print("lock released after the holding apply was cancelled")


# --- step 6 --------------------------------------------------------------------------------------------------------
def sample_png() -> bytes:
    """A small real PNG (the app checks images with Pillow and refuses what does not decode)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_app(args: argparse.Namespace) -> None:
    outputs = json.loads(Path(args.outputs).read_text())[args.stack]
    bucket = outputs["images_bucket"]
    stack = stack_json(args)
    key_address = resource_named(stack, "aws_kms_key", "data-key")
    key_arn = re.search(r'\barn\s+=\s+"([^"]+)"', terraform(args, "state", "show", "-no-color", key_address).stdout)
    if not key_arn:
        fail(f"no ARN for {key_address}")
    key_arn = key_arn.group(1)
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        ENV["region"]: "eu-west-1",
        "AWS_CA_BUNDLE": args.ca,
        ENV["imagesBucket"]: bucket,
        ENV["kmsKeyArn"]: key_arn,
        CONTRACT["localEnvironmentVariables"]["s3EndpointUrl"]: args.endpoint,
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
    }
    app = subprocess.Popen(
        [str(ROOT / "app/.venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "application:application"],
        cwd=ROOT / "app",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(args.out).parent / "app.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}{CONTRACT['healthCheckPath']}", timeout=1)  # noqa: S310 - the app on loopback
                break
            except OSError:
                time.sleep(0.1)
        upload_and_serve(base)
    finally:
        app.terminate()
        app.wait(timeout=30)
    check_stored_objects(args, bucket, key_arn)
    check_denied_writes(args, bucket, stack)


def upload_and_serve(base: str) -> None:
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    png = sample_png()
    page = opener.open(f"{base}/").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    boundary = "e2eboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="e2e.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310 - the app on loopback
        f"{base}{CONTRACT['uploadPath']}",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    gallery = opener.open(request)
    html = gallery.read().decode()
    view = re.search(r'href="(/view/[^"]+)"', html)
    if gallery.status != 200 or view is None:
        fail(f"the upload is not in the gallery (status {gallery.status})")
    served = opener.open(f"{base}{view.group(1)}")  # redirects to /images/uploads/<id>.png
    image_path = urllib.parse.urlparse(served.geturl()).path
    if served.read() != png or not served.headers["Content-Type"].startswith("image/png"):
        fail(f"{image_path} did not serve the uploaded image back")
    print(f"app: uploaded an image through the form and served it back from {image_path}")


def check_stored_objects(args: argparse.Namespace, bucket: str, key_arn: str) -> None:
    s3 = client(args, "s3")
    objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    if not objects:
        fail("no object stored in the images bucket")
    for obj in objects:
        head = s3.head_object(Bucket=bucket, Key=obj["Key"])
        if head.get("ServerSideEncryption") != "aws:kms" or head.get("SSEKMSKeyId") != key_arn:
            fail(f"{obj['Key']} is not stored with the data key: {head.get('SSEKMSKeyId')}")
    print(f"images bucket: {len(objects)} objects, each SSE-KMS with the data key")


def expect_denied(what: str, call) -> None:
    try:
        call()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("AccessDenied", "403"):
            print(f"refused as the bucket policy says: {what}")
            return
        raise
    fail(f"the bucket policy did not refuse: {what}")


def check_denied_writes(args: argparse.Namespace, bucket: str, stack: dict) -> None:
    s3 = client(args, "s3")
    expect_denied(
        "PutObject with SSE-S3 (DenyNonKmsEncryptionHeader)",
        lambda: s3.put_object(Bucket=bucket, Key=f"{UPLOADS}sse-s3", Body=b"x", ServerSideEncryption="AES256"),
    )
    other_key = client(args, "kms").create_key(Description="e2e: not the data key")["KeyMetadata"]["Arn"]
    expect_denied(
        "PutObject under another KMS key (DenyOtherKmsKey)",
        lambda: s3.put_object(
            Bucket=bucket, Key=f"{UPLOADS}other-key", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=other_key
        ),
    )
    # The app role as the seam records it, whatever the compute (tools/e2e/compute.py fails closed).
    role = address_of(compute_of(stack)["app_role_arn"])
    role_arn = re.search(r'\barn\s+=\s+"([^"]+)"', terraform(args, "state", "show", "-no-color", role).stdout).group(1)
    credentials = client(args, "sts").assume_role(RoleArn=role_arn, RoleSessionName="e2e")["Credentials"]
    as_app_role = client(
        args,
        "s3",
        key=credentials["AccessKeyId"],
        secret=credentials["SecretAccessKey"],
        token=credentials["SessionToken"],
    )
    expect_denied(
        "the app role writing from outside the S3 gateway endpoint (DenyAppRoleOutsideVpcEndpoint)",
        lambda: as_app_role.put_object(Bucket=bucket, Key=f"{UPLOADS}outside-endpoint", Body=b"x"),
    )


# --- step 8 --------------------------------------------------------------------------------------------------------
def cdktf(args: argparse.Namespace, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["npx", "cdktf", *command, "--skip-synth", *args.lock_flag.split(), "--output", args.out, "--no-color"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def nonempty_buckets(args: argparse.Namespace) -> dict[str, str]:
    """Address -> name of the stack's buckets that hold any object version or delete marker."""
    shown = json.loads(terraform(args, "show", "-json").stdout)
    s3 = client(args, "s3")
    held = {}
    for resource in shown["values"]["root_module"].get("resources", []):
        if resource["type"] != "aws_s3_bucket":
            continue
        name = resource["values"]["bucket"]
        listing = s3.list_object_versions(Bucket=name)
        if listing.get("Versions") or listing.get("DeleteMarkers"):
            held[resource["address"]] = name
    return held


def check_keys_after_destroy(args: argparse.Namespace, kept: set[str]) -> None:
    """The keys of buckets that refused to go stay Enabled; the keys of what was destroyed are scheduled only."""
    kms = client(args, "kms")
    for address in sorted(kept):
        shown = terraform(args, "state", "show", "-no-color", address).stdout
        key_id = re.search(r'\bkey_id\s+=\s+"([^"]+)"', shown).group(1)
        state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
        if state != "Enabled":
            fail(f"{address} encrypts a bucket that still holds objects, yet its state is {state}")
    pending = [
        k
        for k in kms.list_keys()["Keys"]
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("KeyState") == "PendingDeletion"
    ]
    if not pending:
        fail("no KMS key is pending deletion after the destroy")
    print(
        f"KMS: the {len(kept)} keys of the buckets left are Enabled; {len(pending)} other keys are scheduled for "
        "deletion after their waiting period, not deleted at once"
    )


# AWS's answer to deleting what no longer exists, e.g. "ListenerNotFound: The specified listener does not exist."
ALREADY_GONE = re.compile(r"\b[A-Za-z]+NotFound: ")


def check_destroy(args: argparse.Namespace) -> None:
    """S3 refuses to delete a bucket that holds objects (DeleteBucket: BucketNotEmpty): the images bucket holds the
    app's uploads and the access-log bucket the access logs S3 delivered; everything else must go."""
    stack = stack_json(args)
    images = resource_named(stack, "aws_s3_bucket", "images-bucket")
    if images not in nonempty_buckets(args):
        fail("the images bucket holds nothing before the destroy")
    result = cdktf(args, "destroy", args.stack, "--auto-approve")
    log = result.stdout + result.stderr
    # A delete of something already gone (the provider retried a DeleteListener whose first answer was lost; AWS
    # then answers ListenerNotFound) fails that one resource and what depends on it: users run the destroy again,
    # and so does this check, once. The refusals and what is left are judged on both runs.
    if result.returncode != 0 and ALREADY_GONE.search(log):
        print("cdktf destroy: a delete found its object already gone; running the destroy once more")
        again = cdktf(args, "destroy", args.stack, "--auto-approve")
        log += again.stdout + again.stderr
    (Path(args.out).parent / f"destroy-{args.stack}.log").write_text(log)
    if result.returncode == 0:
        fail(f"destroying {args.stack} with images stored did not refuse:\n{log[-3000:]}")
    # What is left must be exactly the buckets that still hold objects (the destroy itself empties the artifacts
    # bucket: aws_s3_object deletes every version of the bundle), each refused with 409 BucketNotEmpty, and the key
    # each of them is encrypted with: a bucket depends on its key (PrivateBucket), so the key is not even scheduled
    # for deletion while objects it encrypts remain.
    holding = nonempty_buckets(args)
    their_keys = {
        dependency
        for address in holding
        for dependency in stack["resource"]["aws_s3_bucket"][address.split(".", 1)[1]].get("depends_on", [])
        if dependency.startswith("aws_kms_key.")
    }
    left = state_addresses(args)
    resources_left = {a for a in left if not a.startswith("data.")}
    refused = {name for name in holding.values() if f"Bucket ({name}): operation error S3: DeleteBucket" in log}
    if images not in holding or resources_left != set(holding) | their_keys or refused != set(holding.values()):
        fail(
            f"after destroy: left {sorted(resources_left)}, buckets holding objects {holding} and their keys "
            f"{sorted(their_keys)}, refused {refused}"
        )
    print(
        f"cdktf destroy {args.stack}: refused to delete the buckets holding objects ({', '.join(holding.values())}:"
        f" 409 BucketNotEmpty) and kept their keys ({', '.join(sorted(their_keys))}); the other"
        f" {len(declared_addresses(stack)) - len(left)} resources are gone"
    )
    check_keys_after_destroy(args, their_keys)

    state_result = subprocess.run(
        [
            "npx",
            "cdktf",
            "destroy",
            "state",
            "--auto-approve",
            "--skip-synth",
            *args.lock_flag.split(),
            "--output",
            args.out,
            "--no-color",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    state_log = state_result.stdout + state_result.stderr
    (Path(args.out).parent / "destroy-state.log").write_text(state_log)
    if state_result.returncode == 0:
        fail(f"destroying the state stack did not refuse:\n{state_log[-3000:]}")
    # cdktf prints the plan but not Terraform's reason; terraform itself names it.
    state_args = argparse.Namespace(**{**vars(args), "stack": "state"})
    reason = terraform(state_args, "plan", "-destroy", "-input=false", check=False)
    if reason.returncode == 0 or "prevent_destroy" not in reason.stdout + reason.stderr:
        fail(f"terraform plan -destroy of the state stack does not fail on prevent_destroy:\n{reason.stderr[-2000:]}")
    kept = {a for a in state_addresses(state_args) if not a.startswith("data.")}
    declared = {a for a in declared_addresses(stack_json(args, "state")) if not a.startswith("data.")}
    if kept != declared:
        fail(f"the refused state-stack destroy still removed {sorted(declared - kept)}")
    print(
        f"cdktf destroy state: refused (Terraform: lifecycle.prevent_destroy on the key, state bucket and lock "
        f"table); all {len(kept)} resources kept"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=["state", "lock", "app", "destroy"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--outputs")
    parser.add_argument("--lock-flag", default="")
    args = parser.parse_args()
    {"state": check_state, "lock": check_lock, "app": check_app, "destroy": check_destroy}[args.check](args)


if __name__ == "__main__":
    main()
