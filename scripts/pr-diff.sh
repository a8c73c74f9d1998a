#!/usr/bin/env bash
# The pull-request plan: `cdktf diff` of one stack, printed and kept in $PLAN_FILE (default plan.txt) for the PR
# comment. Used by .github/workflows/infrastructure.yml (against AWS) and by `make e2e` (against the emulator, with
# `--skip-synth --skip-provider-lock --output DIR` passed through), so what runs on pull requests is exercised here.
# Exit status: cdktf's (pipefail: a failed plan fails, even though its output still reaches the file).
set -euo pipefail
if [ "$#" -lt 1 ]; then
  echo "usage: scripts/pr-diff.sh STACK [cdktf diff options...]" >&2
  exit 2
fi
stack="$1"
shift
npx cdktf diff "$stack" --no-color "$@" 2>&1 | tee "${PLAN_FILE:-plan.txt}"
