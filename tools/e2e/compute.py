"""The app stack's compute as the e2e sees it: through the seam, the Terraform local `compute` every app stack
records (stacks/app-stack.ts; shared/synthesized/compute.ts is the TypeScript checks' reader of the same local).

    compute.py --out DIR --stack S      prints the kind; fails for a stack without the local or a kind the e2e
                                        does not know how to exercise (KNOWN_KINDS)

Fails closed, as the other whole-stack checks do: a compute the e2e cannot see is never passed by being invisible.
"""

import argparse
import json
import re
import sys
from pathlib import Path

# The kinds whose resources the emulator runs (tools/e2e/emulator patches) and the checks below exercise.
KNOWN_KINDS = ("beanstalk", "fargate", "ec2")
REFERENCE = re.compile(r"^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$")


def compute_of(stack: dict) -> dict:
    """The stack's `compute` local; exits for a missing local or an unknown kind."""
    compute = stack.get("locals", {}).get("compute")
    if compute is None:
        sys.exit("e2e: the app stack records no `compute` local (the seam): the e2e cannot find its compute")
    if compute.get("kind") not in KNOWN_KINDS:
        sys.exit(f"e2e: compute kind {compute.get('kind')!r} is unknown to the e2e (tools/e2e/compute.py KNOWN_KINDS)")
    return compute


def address_of(reference: str) -> str:
    """`type.name` of a `${type.name.attribute}` value."""
    match = REFERENCE.match(reference)
    if match is None:
        sys.exit(f"e2e: {reference!r} is not a resource reference")
    return f"{match.group(1)}.{match.group(2)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--stack", required=True)
    args = parser.parse_args()
    stack = json.loads((Path(args.out) / "stacks" / args.stack / "cdk.tf.json").read_text())
    compute = compute_of(stack)
    print(f"{args.stack}: {compute['kind']} compute, app role {address_of(compute['app_role_arn'])}")


if __name__ == "__main__":
    main()
