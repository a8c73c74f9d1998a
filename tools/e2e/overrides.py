"""Writes the e2e override files next to each synthesized stack (cdktf.out/stacks/<stack>/e2e_override.tf.json).

Terraform merges `*_override.tf.json` into the stack's own configuration
(https://developer.hashicorp.com/terraform/language/files/override): the stacks keep what users get (provider
version, backend, default tags); only this run points them at the emulator. What goes in:
- the provider version of the local filesystem mirror, when one is used (otherwise the stack's pin stands);
- the AWS provider's `endpoints` for every service the stacks (and the alarms/budgets/SNS work) call, the emulator's
  certificate as `custom_ca_bundle` (nothing turns TLS verification off), path-style S3 and fake credentials;
- for a stack with an S3 backend: the same backend restated (an override replaces the backend block as a whole),
  plus the emulator's endpoints and certificate.

Usage: python overrides.py --out cdktf.out --endpoint https://127.0.0.1:PORT --ca-bundle ca.pem [--provider-version V]
"""

import argparse
import json
from pathlib import Path

# Provider `endpoints` keys (provider 5.x docs, "Custom Service Endpoints"); everything a stack here may create.
PROVIDER_SERVICES = [
    "acm",
    "appautoscaling",
    "autoscaling",
    "budgets",
    "cloudformation",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "elasticbeanstalk",
    "elbv2",
    "events",
    "iam",
    "kms",
    "logs",
    "route53",
    "s3",
    "sns",
    "sqs",
    "ssm",
    "sts",
    "wafv2",
]
BACKEND_SERVICES = ["dynamodb", "iam", "s3", "sts"]
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}


def provider_requirement(version: str) -> dict:
    return {"source": "hashicorp/aws", "version": version}


def provider_override(endpoint: str, ca_bundle: str, region: str) -> dict:
    return {
        "region": region,
        **CREDENTIALS,
        "custom_ca_bundle": ca_bundle,
        "s3_use_path_style": True,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
        "endpoints": [{service: endpoint for service in PROVIDER_SERVICES}],
    }


def backend_override(backend: dict, endpoint: str, ca_bundle: str) -> dict:
    return {
        **backend,
        **CREDENTIALS,
        "custom_ca_bundle": ca_bundle,
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_requesting_account_id": True,
        "endpoints": {service: endpoint for service in BACKEND_SERVICES},
    }


def stack_override(stack: dict, endpoint: str, ca_bundle: str, provider_version: str | None) -> dict:
    terraform = stack.get("terraform", {})
    override: dict = {}
    aws_providers = stack.get("provider", {}).get("aws", [])
    override["provider"] = {
        "aws": [
            {**({"alias": p["alias"]} if "alias" in p else {}), **provider_override(endpoint, ca_bundle, p["region"])}
            for p in aws_providers
        ]
    }
    block: dict = {}
    if provider_version:
        block["required_providers"] = {"aws": provider_requirement(provider_version)}
    s3_backend = terraform.get("backend", {}).get("s3")
    if s3_backend:
        block["backend"] = {"s3": backend_override(s3_backend, endpoint, ca_bundle)}
    if block:
        override["terraform"] = block
    return override


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca-bundle", required=True)
    parser.add_argument("--provider-version")
    args = parser.parse_args()
    for stack_dir in sorted(p for p in (args.out / "stacks").iterdir() if p.is_dir()):
        if (stack_dir / "cdk.tf.json").exists():
            stack = json.loads((stack_dir / "cdk.tf.json").read_text())
            ca_bundle = str(Path(args.ca_bundle).resolve())
            override = stack_override(stack, args.endpoint, ca_bundle, args.provider_version)
        elif args.provider_version:
            # The HCL export is only validated: the provider version is all it needs.
            override = {"terraform": {"required_providers": {"aws": provider_requirement(args.provider_version)}}}
        else:
            continue
        (stack_dir / "e2e_override.tf.json").write_text(json.dumps(override, indent=2) + "\n")


if __name__ == "__main__":
    main()
