#!/usr/bin/env bash
# Who holds a stack's state lock: `make state-lock STACK=app-dev` (docs/maintenance.md, "A killed apply").
# Terraform itself answers: a plan that may not wait for the lock (-lock-timeout=0s) fails with the lock's Lock Info
# (ID, Path, Operation, Who, Version, Created), which is printed here; the ID is what `make force-unlock` takes.
# Without a lock the plan (no refresh, nothing written) just succeeds and this says so.
set -euo pipefail
stack="${1:?usage: scripts/state-lock.sh STACK}"
dir="${CDKTF_OUT:-cdktf.out}/stacks/$stack"
[ -d "$dir" ] || { echo "$dir does not exist: run cdktf synth first" >&2; exit 2; }
cd "$dir"
[ -d .terraform ] || terraform init -input=false -no-color > /dev/null
if out="$(terraform plan -input=false -no-color -lock-timeout=0s -refresh=false 2>&1)"; then
  echo "no lock held on the state of $stack"
  exit 0
fi
if grep -q "Error acquiring the state lock" <<< "$out"; then
  echo "the state of $stack is locked:"
  sed -n '/Lock Info:/,/^ *Info:/p' <<< "$out"
  exit 0
fi
echo "$out" >&2
exit 1
