#!/usr/bin/env bash
# The flake hunt of issue 23 (item 9), repeatable: apply the network part of the app stack N times, each on a fresh
# emulator, and print one line per run (result, seconds, the emulator's HTTP 500s, any NetworkAclEntryAlreadyExists).
#
#   tools/e2e/repeat-network.sh N [OUT] [PARALLELISM]
#
# OUT is a synthesized output with the e2e's provider mirror (default .e2e/cdktf.out, left by make e2e; its override
# files are rewritten for each run's emulator). The network part is every resource whose address starts with
# `network` (VPC, subnets, route tables, NACLs, flow logs), with what they depend on (-target). Work files go to a
# temporary directory; every emulator started is stopped by its pid.
set -euo pipefail
N="${1:?usage: repeat-network.sh N [OUT] [PARALLELISM]}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$(cd "${2:-$ROOT/.e2e/cdktf.out}" && pwd)"
PARALLELISM="${3:-10}"
PY="$ROOT/app/.venv/bin/python"
STACK="${E2E_APP_STACK:-app-dev}"
WORK="$(mktemp -d)"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
[ -f "$ROOT/.e2e/terraformrc" ] && export TF_CLI_CONFIG_FILE="$ROOT/.e2e/terraformrc"
emulator_pid=""
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/out/stacks/$STACK"
# The stack without its S3 backend (local state per run) and the -target list of its network resources.
targets="$("$PY" - "$OUT/stacks/$STACK/cdk.tf.json" "$WORK/out/stacks/$STACK/cdk.tf.json" <<'PY'
import json, sys
stack = json.load(open(sys.argv[1]))
stack["terraform"].pop("backend", None)
json.dump(stack, open(sys.argv[2], "w"))
print(" ".join(f"-target={t}.{n}" for t, rs in stack["resource"].items() for n in rs if n.startswith("network")))
PY
)"
version="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["terraform"]["required_providers"]["aws"]["version"])' \
  "$OUT/stacks/$STACK/e2e_override.tf.json" 2>/dev/null || true)"
dir="$WORK/out/stacks/$STACK"
failures=0
for i in $(seq 1 "$N"); do
  port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  rm -rf "$WORK/emulator" "$dir"/terraform.tfstate*
  (cd "$ROOT/tools/e2e" && exec "$PY" -m emulator --port "$port" --state-dir "$WORK/emulator") > "$WORK/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 150); do [ -f "$WORK/emulator/ready" ] && break; sleep 0.2; done
  "$PY" "$ROOT/tools/e2e/overrides.py" --out "$WORK/out" --endpoint "https://127.0.0.1:$port" \
    --ca-bundle "$WORK/emulator/ca.pem" ${version:+--provider-version "$version"}
  [ -d "$dir/.terraform" ] || (cd "$dir" && terraform init -backend=false -input=false -no-color > /dev/null)
  t0=$SECONDS
  # shellcheck disable=SC2086 # the targets are separate words
  if (cd "$dir" && terraform apply -auto-approve -input=false -no-color -parallelism="$PARALLELISM" $targets) \
    > "$WORK/apply.log" 2>&1; then result=ok; else result=FAIL failures=$((failures + 1)); fi
  echo "run $i: $result in $((SECONDS - t0))s; emulator HTTP 500s: $(grep -c '" 500 ' "$WORK/emulator.log" || true);" \
    "$(grep -o 'NetworkAclEntryAlreadyExists' "$WORK/apply.log" | head -n1 || true)"
  [ "$result" = ok ] || tail -n 20 "$WORK/apply.log"
  kill "$emulator_pid"; wait "$emulator_pid" 2>/dev/null || true; emulator_pid=""
done
echo "$N runs, $failures failed"
[ "$failures" -eq 0 ]
