"""Case 1: `cdktf deploy app-dev` killed with SIGKILL partway through creating resources; the runbook recovers it."""

import hashlib
import json
import os
import re
import signal
import time

from .harness import ROOT, Run, check, record, say

STACK = "app-dev"
LINE_RE = re.compile(r"^\S*\s*(aws_[a-z0-9_]+\.[^ ]+) \([^)]*\): (Creating\.\.\.|Creation complete)", re.MULTILINE)
# Creating these again repeats the same PUT (or attach) on the same parent: never a second object, never "exists".
IDEMPOTENT = {
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_logging",
    "aws_s3_object",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_cloudwatch_metric_alarm",
    "aws_cloudwatch_dashboard",
    "aws_cloudwatch_log_metric_filter",
    "aws_sns_topic_policy",
}
# The provider waits a minute for the load balancer and refuses to create one whose name exists ("ELBv2 Load
# Balancer (...) already exists"): the runbook's `make state-adopt` imports it.
ADOPTED = {"aws_lb"}


def progress(log: str) -> tuple[set[str], set[str]]:
    """(created, in flight) resource addresses, from the deploy's output."""
    started, created = set(), set()
    for address, event in LINE_RE.findall(log):
        (started if event.startswith("Creating") else created).add(address)
    return created, started - created


def snapshot(run: Run, seen: set[str]) -> set[str] | None:
    """The resources of a state snapshot written since the last call (Terraform writes one at most every 20 s
    during an apply), or None."""
    backend = run.backend(STACK)
    s3 = run.client("s3")
    versions = s3.list_object_versions(Bucket=backend["bucket"], Prefix=backend["key"]).get("Versions", [])
    latest = [v for v in versions if v["Key"] == backend["key"] and v["IsLatest"]]
    if not latest or latest[0]["VersionId"] in seen:
        return None
    body = s3.get_object(Bucket=backend["bucket"], Key=backend["key"], VersionId=latest[0]["VersionId"])["Body"].read()
    # The backend writes the object, then its MD5 digest to DynamoDB (the `-md5` item): a snapshot is complete once
    # the digest matches.
    digest = run.client("dynamodb").get_item(
        TableName=backend["dynamodb_table"], Key={"LockID": {"S": f"{backend['bucket']}/{backend['key']}-md5"}}
    )
    if digest.get("Item", {}).get("Digest", {}).get("S") != hashlib.md5(body).hexdigest():
        return None
    seen.add(latest[0]["VersionId"])
    state = json.loads(body)
    return {f"{r['type']}.{r['name']}" for r in state.get("resources", []) if r.get("mode") == "managed"}


def kill_partway(run: Run) -> tuple[int, int]:
    """Start the deploy and SIGKILL its whole process group (cdktf, terraform, the provider) right after a complete
    state snapshot, when what the snapshot lacks (created after it, or in flight) is only idempotent writes (a kill
    at any other moment leaves resources the state does not know: docs/maintenance.md says what to do then).
    Returns (resources created, resources in the snapshot)."""
    log = run.work / "killed-deploy.log"
    deploy = run.start(["npx", "cdktf", "deploy", STACK, "--auto-approve", *run.cdktf_flags()], log, cwd=ROOT)
    deadline, seen = time.time() + 900, set()
    declared = sum(len(resources) for resources in run.stack_json(STACK)["resource"].values())
    while time.time() < deadline and deploy.poll() is None:
        stored = snapshot(run, seen)
        if stored is not None:
            created, in_flight = progress(log.read_text(errors="replace"))
            # What the state lacks at the kill: creations after the snapshot, and those in flight.
            unsafe = {a for a in (created - stored) | in_flight if a.split(".")[0] not in IDEMPOTENT | ADOPTED}
            if not unsafe and len(stored) < declared:
                os.killpg(deploy.pid, signal.SIGKILL)
                deploy.wait()
                return len(created), len(stored)
            say(
                f"   snapshot of {len(stored)} of {declared} resources: not yet ({len(created - stored)} created"
                f" after it, {len(in_flight)} in flight; {len(unsafe)} of these not idempotent)"
            )
        time.sleep(0.1)
    check(False, f"the deploy ended (status {deploy.poll()}) with no snapshot to kill after; see {log}")
    return 0, 0


def lock_held(run: Run) -> tuple[bool, bool]:
    backend = run.backend(STACK)
    lockfile = run.client("s3").list_objects_v2(Bucket=backend["bucket"], Prefix=f"{backend['key']}.tflock")
    item = run.client("dynamodb").get_item(
        TableName=backend["dynamodb_table"], Key={"LockID": {"S": f"{backend['bucket']}/{backend['key']}"}}
    )
    return lockfile.get("KeyCount", 0) == 1, "Item" in item


def recover(run: Run) -> int:
    """docs/maintenance.md, runbook=killed-apply: find the lock ID, force-unlock it, apply again, diff. Returns the
    number of applies the recovery took."""
    lines = run.runbook("killed-apply")
    values: dict[str, str] = {}
    applies = 0
    for number, line in enumerate(lines):
        result = run.documented(line, values, run.work / f"killed-apply-step{number}.log")
        check(result.returncode == 0, f"runbook step failed: {line}\n{result.stdout[-3000:]}")
        if "state-lock" in line:
            found = re.search(r"^\s*ID:\s+(\S+)", result.stdout, re.MULTILINE)
            check(found is not None, f"no lock ID in the output of {line}:\n{result.stdout[-2000:]}")
            values["lock ID"] = found.group(1)
        if re.search(r"cdktf deploy", line):
            applies += 1
        if re.search(r"cdktf diff", line):
            check("No changes" in result.stdout, f"not an empty diff after the recovery:\n{result.stdout[-4000:]}")
    return applies


def inventory(run: Run) -> dict[str, tuple]:
    """Per kind: (what the emulator holds, what the state holds), by id."""
    state = run.state_resources(STACK)

    def in_state(kind: str, attribute: str = "id") -> set[str]:
        return {r["values"][attribute] for r in state if r["type"] == kind and r["mode"] == "managed"}

    ec2, s3, kms = run.client("ec2"), run.client("s3"), run.client("kms")
    default_vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")}
    vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]} - default_vpcs
    subnets = {s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] not in default_vpcs}
    groups = {
        g["GroupId"]
        for g in ec2.describe_security_groups()["SecurityGroups"]
        if g["VpcId"] not in default_vpcs and g["GroupName"] != "default"
    }
    state_stack_buckets = {r["values"]["bucket"] for r in run.state_resources("state") if r["type"] == "aws_s3_bucket"}
    buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]} - state_stack_buckets
    state_stack_keys = {r["values"]["key_id"] for r in run.state_resources("state") if r["type"] == "aws_kms_key"}
    # Customer managed keys not scheduled for deletion. AWS managed keys (alias aws/<service>) are not ours: moto
    # creates one on first use of such an alias and reports it as a customer key.
    aws_managed = {
        a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"] if a["AliasName"].startswith("alias/aws/")
    }
    metadata = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
    live = [
        m
        for m in metadata
        if m.get("KeyManager") == "CUSTOMER"
        and m.get("KeyState") != "PendingDeletion"
        and m["KeyId"] not in aws_managed
    ]
    keys = {m["KeyId"] for m in live} - state_stack_keys
    extra = {m["KeyId"]: m.get("Description", "") for m in live if m["KeyId"] in keys}
    balancers = {b["LoadBalancerArn"] for b in run.client("elbv2").describe_load_balancers()["LoadBalancers"]}
    return {
        "load balancers": (balancers, in_state("aws_lb", "arn")),
        "VPCs": (vpcs, in_state("aws_vpc")),
        "subnets": (subnets, in_state("aws_subnet")),
        "security groups": (groups, in_state("aws_security_group")),
        "buckets": (buckets, in_state("aws_s3_bucket", "bucket")),
        "KMS keys": (keys, in_state("aws_kms_key", "key_id"), extra),
    }


def case(run: Run) -> None:
    started = time.time()
    created, stored = kill_partway(run)
    say(f"-- case 1: SIGKILL after {created} resources created, right after a state snapshot of {stored}")
    lockfile, item = lock_held(run)
    check(lockfile and item, f"after the kill: S3 lock file held {lockfile}, DynamoDB lock item held {item}")
    say("   the lock stays held: S3 lock file and DynamoDB item")
    applies = recover(run)
    check(applies == 1, f"the recovery took {applies} applies")
    counts = []
    for kind, (emulated, stated, *details) in inventory(run).items():
        check(
            emulated == stated,
            f"{kind}: the emulator holds {sorted(emulated)}, the state {sorted(stated)} {details or ''}",
        )
        counts.append(f"{len(stated)} {kind}")
    record(
        "1 killed apply",
        f"SIGKILL of cdktf deploy {STACK} (its process group) after {created} creations, right after a state"
        f" snapshot of {stored} (lock left in S3 and DynamoDB)",
        f"make state-lock, make force-unlock, make state-adopt, 1 apply, empty diff; emulator = state, one each:"
        f" {', '.join(counts)}",
        time.time() - started,
    )
