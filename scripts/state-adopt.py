#!/usr/bin/env python3
"""After a killed apply: import what it created after its last state snapshot, so that the next apply adopts it
instead of failing on it. `make state-adopt STACK=app-dev` (docs/maintenance.md, "A killed apply").

It plans the stack (no refresh), and for each resource the plan would create whose type has a lookup below, asks AWS
(the aws CLI) whether it already exists; each one found becomes a Terraform import block in
<CDKTF_OUT>/stacks/<stack>/adopt.tf.json, applied by the next `cdktf deploy <stack> --skip-synth` together with the
rest (a new synth drops the file). Lookups: what a kill can leave outside the state and the provider then refuses to
create again: the load balancer, created by name (import ID: its ARN).
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def load_balancer(after: dict) -> str | None:
    found = subprocess.run(
        [
            "aws",
            "elbv2",
            "describe-load-balancers",
            "--names",
            after["name"],
            "--query",
            "LoadBalancers[0].LoadBalancerArn",
            "--output",
            "text",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() not in ("", "None") else None


LOOKUPS = {"aws_lb": load_balancer}


def main() -> int:
    stack = sys.argv[1]
    directory = Path(os.environ.get("CDKTF_OUT", "cdktf.out")) / "stacks" / stack
    (directory / "adopt.tf.json").unlink(missing_ok=True)
    subprocess.run(
        ["terraform", "plan", "-input=false", "-refresh=false", "-no-color", "-out=adopt.plan"],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    shown = subprocess.run(
        ["terraform", "show", "-json", "adopt.plan"], cwd=directory, check=True, capture_output=True, text=True
    )
    (directory / "adopt.plan").unlink()
    imports = []
    for change in json.loads(shown.stdout).get("resource_changes", []):
        lookup = LOOKUPS.get(change["type"])
        if change["change"]["actions"] == ["create"] and lookup and (found := lookup(change["change"]["after"])):
            imports.append({"to": change["address"], "id": found})
            print(f"adopting {change['address']}: {found}")
    if imports:
        (directory / "adopt.tf.json").write_text(json.dumps({"import": imports}, indent=2) + "\n")
    else:
        print(f"nothing to adopt in {stack}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
