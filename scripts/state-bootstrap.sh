#!/usr/bin/env bash
# make state-bootstrap: create the state stack (state bucket, its KMS key, the lock table) and keep its own state in
# that bucket, so that no laptop holds the only copy.
#
#   scripts/state-bootstrap.sh [OUT]     OUT: the synthesized output (default cdktf.out; `make state-bootstrap`
#                                        synthesizes it first)
#   STATE_FILE=path                      the local state file of the first apply (default: terraform.state.tfstate
#                                        at the repository root, git-ignored; an older bootstrap left it there)
#   AUTO_APPROVE=1                       apply without asking (CI and make e2e only)
#
# The state stack declares an S3 backend in the bucket it creates (stacks/state-stack.ts). The first apply cannot use
# it, so this script: (1) stops if the state is already in the bucket; (2) applies the stack with a local backend
# (an override file next to cdk.tf.json; Terraform merges `*_override.tf.json` and a backend block there replaces the
# stack's: https://developer.hashicorp.com/terraform/language/files/override); when STATE_FILE already holds the
# state of an earlier bootstrap, that apply changes nothing; (3) removes the override and runs
# `terraform init -migrate-state -force-copy`, which copies the local state into the bucket
# (https://developer.hashicorp.com/terraform/cli/commands/init#backend-initialization); (4) checks that the bucket's
# state lists the same resources, and renames the local file to STATE_FILE.migrated (delete it once `npx cdktf diff
# state` says "No changes"). Afterwards `npx cdktf deploy state` reads and locks the state in the bucket.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(cd "${1:-$ROOT/cdktf.out}" && pwd)"
DIR="$OUT/stacks/state"
STATE_FILE="${STATE_FILE:-$ROOT/terraform.state.tfstate}"
OVERRIDE="$DIR/state_bootstrap_override.tf.json"
export TF_IN_AUTOMATION=1
[ -f "$DIR/cdk.tf.json" ] || { echo "no synthesized state stack in $DIR: run make synth first" >&2; exit 1; }
trap 'rm -f "$OVERRIDE"' EXIT

tf() { (cd "$DIR" && terraform "$@"); }
addresses() { tf state list | grep -v '^data\.' | sort; }

# 1. Already bootstrapped: the bucket exists and holds this stack's state.
rm -f "$OVERRIDE"
if [ ! -f "$STATE_FILE" ] && tf init -input=false -reconfigure -no-color > "$DIR/bootstrap-probe.log" 2>&1 &&
  [ -n "$(addresses 2> /dev/null)" ]; then
  echo "state-bootstrap: the state stack's state is already in its bucket; use npx cdktf deploy state"
  exit 0
fi

# 2. Apply with a local state file.
printf '{"terraform": {"backend": {"local": {"path": "%s"}}}}\n' "$STATE_FILE" > "$OVERRIDE"
tf init -input=false -reconfigure -no-color > "$DIR/bootstrap-init.log" ||
  { cat "$DIR/bootstrap-init.log" >&2; exit 1; }
tf apply -input=false -no-color ${AUTO_APPROVE:+-auto-approve}
local_addresses="$(addresses)"
[ -n "$local_addresses" ] || { echo "state-bootstrap: the apply left an empty state" >&2; exit 1; }

# 3. Move that state into the bucket the apply created.
rm -f "$OVERRIDE"
tf init -input=false -migrate-state -force-copy -no-color > "$DIR/bootstrap-migrate.log" ||
  { cat "$DIR/bootstrap-migrate.log" >&2; exit 1; }

# 4. The bucket's copy must list the same resources before the local file is set aside.
bucket_addresses="$(addresses)"
if [ "$bucket_addresses" != "$local_addresses" ]; then
  echo "state-bootstrap: the migrated state differs from the local one; $STATE_FILE is kept" >&2
  diff <(echo "$local_addresses") <(echo "$bucket_addresses") >&2 || true
  exit 1
fi
mv "$STATE_FILE" "$STATE_FILE.migrated"
key="$(python3 -c 'import json, sys; b = json.load(open(sys.argv[1]))["terraform"]["backend"]["s3"]; print("s3://%s/%s" % (b["bucket"], b["key"]))' "$DIR/cdk.tf.json")"
echo "state-bootstrap: $(echo "$bucket_addresses" | wc -l) resources; the state now lives in $key" \
  "(local copy set aside as $STATE_FILE.migrated)"
