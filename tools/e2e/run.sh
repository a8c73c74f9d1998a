#!/usr/bin/env bash
# tools/e2e/run.sh [APP_STACK [WORK_DIR]] (or E2E_APP_STACK, E2E_WORK): one end-to-end run of one app stack, with real Terraform and the real AWS
# provider against the patched moto emulator on 127.0.0.1 (HTTPS). `make e2e` starts one run per app stack of its
# E2E_STACKS, side by side: each has its own emulator on its own port and its own work dir (default .e2e/<stack>/).
# Steps (issue 12): validate JSON and HCL of every stack; deploy state, then the app stack through its S3 backend;
# the compute found through the seam (tools/e2e/compute.py); empty diffs; state list/show and a lock conflict; the
# app against what Terraform created; the PR diff script; destroy. Every process started here is stopped by its own
# pid on exit, failure included. Timings go to <work dir>/timings.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
APP_STACK="${1:-${E2E_APP_STACK:-app-dev}}"
WORK="$(realpath -m "${2:-${E2E_WORK:-$ROOT/.e2e/$APP_STACK}}")"
OUT="$WORK/cdktf.out"
HCL_OUT="$WORK/cdktf-hcl.out"
PY="$ROOT/app/.venv/bin/python"
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 CDKTF_DISABLE_PLUGIN_CACHE_ENV=1 TF_IN_AUTOMATION=1
# The emulator's fake credentials only; never a real profile.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN= AWS_PROFILE= AWS_DEFAULT_REGION=eu-west-1
unset AWS_SESSION_TOKEN AWS_PROFILE

rm -rf "$WORK"
mkdir -p "$WORK"
TIMINGS="$WORK/timings.txt"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_all=$SECONDS
step() { # step NAME COMMAND...: runs and records its seconds
  local name="$1" t0=$SECONDS
  shift
  echo "== e2e: $name"
  "$@"
  echo "$name	$((SECONDS - t0))s" | tee -a "$TIMINGS"
}

# --- toolchain: the local filesystem mirror when there is one, otherwise the registry and the stacks' pin ---------
MIRROR="${E2E_PROVIDER_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  found="$(find /opt /usr/local/share -path '*/registry.terraform.io/hashicorp/aws/*/terraform-provider-aws_v*' \
    -type f 2>/dev/null | head -n1 || true)"
  [ -n "$found" ] && MIRROR="${found%%/registry.terraform.io/*}"
fi
PROVIDER_VERSION=""
if [ -n "$MIRROR" ]; then
  PROVIDER_VERSION="$(ls "$MIRROR/registry.terraform.io/hashicorp/aws" | sort -V | tail -n1)"
  cat > "$WORK/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
RC
  export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
  LOCK_FLAG=(--skip-provider-lock)
else
  LOCK_FLAG=()
fi
{
  echo "terraform	$(terraform version | head -n1)"
  echo "aws provider	${PROVIDER_VERSION:-as pinned by the stacks} (${MIRROR:-registry})"
  echo "cdktf-cli	$(npx cdktf --version)"
  echo "moto	$("$PY" -c 'import moto; print(moto.__version__)')"
} | tee "$WORK/versions.txt"

# --- emulator ---------------------------------------------------------------------------------------------------
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ENDPOINT="https://127.0.0.1:$PORT"
start_emulator() {
  (cd "$ROOT/tools/e2e" && exec "$PY" -m emulator --port "$PORT" --state-dir "$WORK/emulator") \
    > "$WORK/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  pids+=("$EMULATOR_PID")
  for _ in $(seq 1 100); do
    [ -f "$WORK/emulator/ready" ] && curl -sf --cacert "$WORK/emulator/ca.pem" "$ENDPOINT/moto-api/" >/dev/null &&
      return 0
    sleep 0.2
  done
  echo "emulator did not start; see $WORK/emulator.log" >&2
  return 1
}
step "emulator start" start_emulator
CA="$WORK/emulator/ca.pem"

# --- 1. synthesize (JSON and HCL) and validate every stack --------------------------------------------------------
synth() {
  npx cdktf synth --output "$OUT" > "$WORK/synth.log" 2>&1 &
  local json_pid=$!
  npx cdktf synth --hcl --output "$HCL_OUT" > "$WORK/synth-hcl.log" 2>&1 || { cat "$WORK/synth-hcl.log" >&2; return 1; }
  wait "$json_pid" || { cat "$WORK/synth.log" >&2; return 1; }
  "$PY" tools/e2e/overrides.py --out "$OUT" --endpoint "$ENDPOINT" --ca-bundle "$CA" \
    ${PROVIDER_VERSION:+--provider-version "$PROVIDER_VERSION"}
  "$PY" tools/e2e/overrides.py --out "$HCL_OUT" --endpoint "$ENDPOINT" --ca-bundle "$CA" \
    ${PROVIDER_VERSION:+--provider-version "$PROVIDER_VERSION"}
}
step "synth (json + hcl)" synth
# The app stack's compute through the seam: a stack without the `compute` local, or a kind the e2e does not know,
# stops the run here.
step "compute of $APP_STACK (the seam)" "$PY" tools/e2e/compute.py --out "$OUT" --stack "$APP_STACK"

validate_one() {
  local dir="$1"
  (cd "$dir" && terraform init -backend=false -input=false -no-color > init.log 2>&1 &&
    terraform validate -no-color > validate.log 2>&1) || {
    echo "terraform validate failed in $dir:" >&2
    cat "$dir/init.log" "$dir/validate.log" >&2
    return 1
  }
}
validate_all() {
  local dirs=("$OUT"/stacks/* "$HCL_OUT"/stacks/*) dir
  # Two at a time (2 cores); each loads the provider's schema.
  local i
  for ((i = 0; i < ${#dirs[@]}; i += 2)); do
    validate_one "${dirs[i]}" &
    local first=$!
    [ $((i + 1)) -lt ${#dirs[@]} ] && validate_one "${dirs[i + 1]}"
    wait "$first"
  done
  for dir in "${dirs[@]}"; do echo "valid: ${dir#"$WORK"/}"; done
}
step "validate (json + hcl)" validate_all

# The cdktn fork check runs beside the deploys (mostly npm download and one synthesis); awaited at the end.
cdktn_start=$SECONDS
PROVIDER_VERSION="$PROVIDER_VERSION" tools/e2e/cdktn-check.sh "$OUT" "$WORK/cdktn" > "$WORK/cdktn-check.log" 2>&1 &
cdktn_pid=$!
pids+=("$cdktn_pid")

# --- 2-4 and 7. deploy, converge, empty diff (the app stack's through the PR diff script) ----------------------------------------------------------------------------
cdktf_in_out() { npx cdktf "$@" --skip-synth "${LOCK_FLAG[@]}" --output "$OUT" --no-color; }
deploy() {
  local stack="$1"
  cdktf_in_out deploy "$stack" --auto-approve --outputs-file "$WORK/outputs-$stack.json" \
    > "$WORK/deploy-$stack.log" 2>&1 || {
    tail -n 60 "$WORK/deploy-$stack.log" >&2
    kill -0 "$EMULATOR_PID" 2>/dev/null || echo "the emulator (pid $EMULATOR_PID) is gone: see $WORK/emulator.log" >&2
    return 1
  }
  grep -E "Apply complete" "$WORK/deploy-$stack.log" | tail -n1
}
no_changes() {
  local stack="$1"
  cdktf_in_out diff "$stack" > "$WORK/diff-$stack.log" 2>&1 || { tail -n 60 "$WORK/diff-$stack.log" >&2; return 1; }
  grep -q "No changes" "$WORK/diff-$stack.log" || {
    echo "cdktf diff $stack is not empty after one apply:" >&2
    tail -n 80 "$WORK/diff-$stack.log" >&2
    return 1
  }
  echo "cdktf diff $stack: No changes"
}
source "$ROOT/tools/e2e/fargate.sh"
step "deploy state" deploy state
# The state stack's diff runs beside the app stack's deploy (separate state, separate backend).
no_changes state > "$WORK/diff-state.out" 2>&1 &
state_diff_pid=$!
pids+=("$state_diff_pid")
fargate_before_app
step "deploy $APP_STACK" deploy "$APP_STACK"
state_diff() { wait "$state_diff_pid" || { cat "$WORK/diff-state.out" >&2; return 1; }; cat "$WORK/diff-state.out"; }
step "diff state (ran beside the deploy)" state_diff

# 4 and 7 at once: the app stack's empty diff is checked through the pull-request workflow's own script.
pr_diff() {
  PLAN_FILE="$WORK/pr-plan.txt" scripts/pr-diff.sh "$APP_STACK" --skip-synth "${LOCK_FLAG[@]}" --output "$OUT" \
    > /dev/null || { tail -n 60 "$WORK/pr-plan.txt" >&2; return 1; }
  grep -q "No changes" "$WORK/pr-plan.txt" || {
    echo "cdktf diff $APP_STACK is not empty after one apply:" >&2
    tail -n 80 "$WORK/pr-plan.txt" >&2
    return 1
  }
  echo "scripts/pr-diff.sh $APP_STACK (cdktf diff): No changes"
}
step "diff $APP_STACK (scripts/pr-diff.sh)" pr_diff

# --- 5. state inspection and the lock ------------------------------------------------------------------------------
step "state checks" "$PY" tools/e2e/checks.py state --out "$OUT" --stack "$APP_STACK" --endpoint "$ENDPOINT" --ca "$CA"
step "lock conflict" "$PY" tools/e2e/checks.py lock --out "$OUT" --stack "$APP_STACK" --endpoint "$ENDPOINT" --ca "$CA"

# --- 6. the app against what Terraform created ---------------------------------------------------------------------
step "app" "$PY" tools/e2e/checks.py app --out "$OUT" --stack "$APP_STACK" --endpoint "$ENDPOINT" --ca "$CA" \
  --outputs "$WORK/outputs-$APP_STACK.json"
fargate_image_run

# --- 8. destroy: what must refuse refuses, the rest is gone ---------------------------------------------------------
step "destroy" "$PY" tools/e2e/checks.py destroy --out "$OUT" --stack "$APP_STACK" --endpoint "$ENDPOINT" --ca "$CA" \
  "--lock-flag=${LOCK_FLAG[*]}"
fargate_destroy_registry

cdktn_wait() {
  wait "$cdktn_pid" || { cat "$WORK/cdktn-check.log" >&2; return 1; }
  cat "$WORK/cdktn-check.log"
  echo "(cdktn check ran $((SECONDS - cdktn_start))s beside the deploys)"
}
step "cdktn fork check (wait)" cdktn_wait

echo "total	$((SECONDS - start_all))s" | tee -a "$TIMINGS"
