#!/usr/bin/env bash
# make e2e: bootstrap the state stack the way users do (`make state-bootstrap`'s script), then check the result: the
# stack's own state is in its bucket (SSE-KMS with the state key), the local file is set aside, and a second run
# finds nothing to do. Usage: state-bootstrap.sh OUT WORK ENDPOINT CA (the run's own bootstrap file, in WORK).
set -euo pipefail
OUT="$1" WORK="$2" ENDPOINT="$3" CA="$4"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOG="$WORK/state-bootstrap.log"
run() { AUTO_APPROVE=1 STATE_FILE="$WORK/terraform.state.tfstate" "$ROOT/scripts/state-bootstrap.sh" "$OUT"; }
run > "$LOG" 2>&1 || { tail -n 60 "$LOG" >&2; exit 1; }
tail -n 1 "$LOG"
if [ -e "$WORK/terraform.state.tfstate" ] || [ ! -s "$WORK/terraform.state.tfstate.migrated" ]; then
  echo "state-bootstrap left the local state in place (or lost it): $(ls "$WORK")" >&2
  exit 1
fi
"$ROOT/app/.venv/bin/python" - "$OUT/stacks/state/cdk.tf.json" "$ENDPOINT" "$CA" <<'PY'
import json, sys
import boto3
from botocore.config import Config
stack, endpoint, ca = sys.argv[1:]
backend = json.load(open(stack))["terraform"]["backend"]["s3"]
kw = dict(endpoint_url=endpoint, verify=ca, region_name=backend["region"])
s3 = boto3.client("s3", **kw, config=Config(s3={"addressing_style": "path"}))
head = s3.head_object(Bucket=backend["bucket"], Key=backend["key"])
kms = boto3.client("kms", **kw)
key = kms.describe_key(KeyId=backend["kms_key_id"])["KeyMetadata"]["Arn"]
stored = head.get("SSEKMSKeyId")
if head.get("ServerSideEncryption") != "aws:kms" or not stored or kms.describe_key(KeyId=stored)["KeyMetadata"]["Arn"] != key:
    sys.exit(f"state object {backend['key']} is not SSE-KMS with the state key: {head}")
state = json.loads(s3.get_object(Bucket=backend["bucket"], Key=backend["key"])["Body"].read())
print(f"s3://{backend['bucket']}/{backend['key']}: the state stack's state ({len(state['resources'])} resources and data sources), SSE-KMS"
      " with the state key; the local file is set aside (.migrated)")
PY
run > "$LOG.again" 2>&1 || { tail -n 60 "$LOG.again" >&2; exit 1; }
grep -q "already in its bucket" "$LOG.again" || { tail -n 20 "$LOG.again" >&2; exit 1; }
echo "a second make state-bootstrap finds the state in its bucket and changes nothing"
