"""Test-only: moto, patched where it misreads AWS, for `make e2e` (real Terraform + AWS provider on loopback).

Every patch names the AWS behaviour it reproduces and has a test in tests/. Nothing here is imported by the app,
main.ts, stacks/ or constructs/: the emulator adapts to AWS, never the other way round.
"""

from .bucket_policy import install as _install_bucket_policy
from .budgets import install as _install_budgets
from .ec2_rules import install as _install_ec2_rules
from .elasticbeanstalk import install as _install_elasticbeanstalk
from .faults import install as _install_faults
from .s3_logging import install as _install_s3_logging
from .s3_multipart_bucket_key import install as _install_s3_multipart_bucket_key

_installed = False


def install() -> None:
    """Apply every patch once (idempotent)."""
    global _installed
    if _installed:
        return
    _install_bucket_policy()
    _install_budgets()
    _install_ec2_rules()
    _install_elasticbeanstalk()
    _install_faults()
    _install_s3_logging()
    _install_s3_multipart_bucket_key()
    _installed = True
