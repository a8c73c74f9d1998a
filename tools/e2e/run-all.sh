#!/usr/bin/env bash
# make e2e: one tools/e2e/run.sh per app stack, side by side, each with its own emulator (its own free port) and
# its own work dir .e2e/<stack>/; their logs are printed whole, one after the other, when each ends. The one list of
# app stacks the end-to-end run deploys is E2E_STACKS below. Every run is stopped by its own pid on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_STACKS=(app-dev app-dev-ec2)
mkdir -p "$ROOT/.e2e"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
whole=1
for stack in "${E2E_STACKS[@]}"; do
  # The first run also validates every stack and checks the fork; the others deploy theirs only.
  E2E_APP_STACK="$stack" E2E_WORK="$ROOT/.e2e/$stack" E2E_WHOLE_APP="$whole" "$ROOT/tools/e2e/run.sh" \
    > "$ROOT/.e2e/$stack.log" 2>&1 &
  pids+=($!)
  whole=0
done
failed=()
for i in "${!E2E_STACKS[@]}"; do
  stack="${E2E_STACKS[$i]}"
  if wait "${pids[$i]}"; then status=0; else status=$?; fi
  echo "==== e2e $stack (exit $status; log .e2e/$stack.log, timings .e2e/$stack/timings.txt)"
  cat "$ROOT/.e2e/$stack.log"
  [ "$status" -eq 0 ] || failed+=("$stack")
done
pids=()
if [ "${#failed[@]}" -gt 0 ]; then
  echo "e2e failed for: ${failed[*]}" >&2
  exit 1
fi
