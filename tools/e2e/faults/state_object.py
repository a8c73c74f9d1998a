"""Case 3: the state object overwritten with garbage, restored from the versioned state bucket by the runbook; and a
plan whose DynamoDB lock table was emptied still kept out by the S3 lock file while an apply holds the lock."""

import re
import subprocess
import time

from .harness import Run, check, record, say

STACK = "app-dev"
GARBAGE = b"\x00garbage: not a Terraform state\xff" * 8
# What a plan that went on anyway would print.
PLAN_MARKERS = ("will be created", "Plan:", "No changes")


def overwrite_with_garbage(run: Run) -> int:
    """Overwrite the current state object as a careless script would (same encryption); returns its versions."""
    backend = run.backend(STACK)
    s3 = run.client("s3")
    s3.put_object(
        Bucket=backend["bucket"],
        Key=backend["key"],
        Body=GARBAGE,
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=backend["kms_key_id"],
    )
    versions = s3.list_object_versions(Bucket=backend["bucket"], Prefix=backend["key"]).get("Versions", [])
    return len([v for v in versions if v["Key"] == backend["key"]])


def plan_refuses(run: Run) -> str:
    plan = run.terraform(STACK, "plan", "-input=false", "-no-color", "-lock-timeout=0s", timeout=180)
    output = plan.stdout + plan.stderr
    (run.work / "plan-garbage.log").write_text(output)
    check(plan.returncode != 0, f"a plan on a garbage state object did not fail:\n{output[-3000:]}")
    check(not any(m in output for m in PLAN_MARKERS), f"a plan on garbage state planned:\n{output[-3000:]}")
    error = re.search(r"Error: (.+)", output)
    check(error is not None, f"no error message from the plan:\n{output[-3000:]}")
    return error.group(1).strip()


def restore(run: Run) -> None:
    """docs/maintenance.md, runbook=state-restore: list the versions, copy the last good one over the current."""
    backend = run.backend(STACK)
    lines = run.runbook("state-restore")
    values: dict[str, str] = {}
    for number, line in enumerate(lines):
        if line.startswith("aws "):
            # The runbook names the real bucket and key: they must still be the backend's.
            check(backend["bucket"] in line and backend["key"] in line, f"not the backend's bucket and key: {line}")
        result = run.documented(line, values, run.work / f"state-restore-step{number}.log")
        check(result.returncode == 0, f"runbook step failed: {line}\n{result.stdout[-3000:]}")
        if "list-object-versions" in line:
            rows = [row.split() for row in result.stdout.splitlines() if row.strip()]
            check(len(rows) >= 2, f"no earlier version of the state object to restore:\n{result.stdout}")
            check(rows[0][-1] == "True", f"the first version listed is not the current one: {rows[0]}")
            values["version ID"] = rows[1][0]
        if "cdktf diff" in line:
            check("No changes" in result.stdout, f"not an empty diff after the restore:\n{result.stdout[-4000:]}")


def hold_the_lock(run: Run) -> subprocess.Popen:
    """An apply waiting for approval holds the lock (it has a change to approve: one resource to replace)."""
    stack = run.stack_json(STACK)
    held = next(n for n in stack["resource"]["aws_s3_bucket_ownership_controls"] if "images-bucket" in n)
    log = run.work / "holding-apply.log"
    apply = run.start(
        ["terraform", "apply", "-no-color", "-input=true", f"-replace=aws_s3_bucket_ownership_controls.{held}"],
        log,
        cwd=run.stack_dir(STACK),
        stdin=subprocess.PIPE,
    )
    deadline = time.time() + 180
    while "Enter a value" not in log.read_text(errors="replace"):
        check(apply.poll() is None and time.time() < deadline, f"the holding apply never asked; see {log}")
        time.sleep(0.3)
    return apply


def empty_lock_table(run: Run) -> int:
    table = run.backend(STACK)["dynamodb_table"]
    dynamodb = run.client("dynamodb")
    items = dynamodb.scan(TableName=table)["Items"]
    for item in items:
        dynamodb.delete_item(TableName=table, Key={"LockID": item["LockID"]})
    check(dynamodb.scan(TableName=table)["Count"] == 0, "the lock table is not empty")
    return len(items)


def lockfile_alone_refuses(run: Run) -> int:
    apply = hold_the_lock(run)
    try:
        removed = empty_lock_table(run)
        plan = run.terraform(STACK, "plan", "-input=false", "-no-color", "-lock-timeout=0s", timeout=180)
        output = plan.stdout + plan.stderr
        (run.work / "plan-beside-apply.log").write_text(output)
        check(
            plan.returncode != 0 and "Error acquiring the state lock" in output,
            f"with the lock table emptied, a plan ran beside a holding apply:\n{output[-3000:]}",
        )
    finally:
        if apply.poll() is None and apply.stdin:
            apply.stdin.write(b"no\n")
            apply.stdin.flush()
        if not _ended(apply):
            run.stop(apply)
    return removed


def _ended(process: subprocess.Popen, timeout: float = 60) -> bool:
    try:
        process.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        return False


def case(run: Run) -> None:
    started = time.time()
    versions = overwrite_with_garbage(run)
    error = plan_refuses(run)
    say(f"-- case 3: plan on a garbage state object fails: {error}")
    restore(run)
    removed = lockfile_alone_refuses(run)
    say(f"   lock table emptied ({removed} items) beside a holding apply: the S3 lock file still refuses the plan")
    record(
        "3 broken state object",
        f"current state object overwritten with {len(GARBAGE)} bytes of garbage ({versions} versions kept); then the"
        f" DynamoDB lock table emptied ({removed} items) under a holding apply",
        f'plan failed: "{error}"; the runbook restore of the previous version -> empty diff; a plan beside the apply'
        " still failed on the S3 lock file (Error acquiring the state lock)",
        time.time() - started,
    )
