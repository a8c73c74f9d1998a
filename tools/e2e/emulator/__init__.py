"""Test-only: moto, patched where it misreads AWS, for `make e2e` (real Terraform + AWS provider on loopback).

Every patch names the AWS behaviour it reproduces and has a test in tests/. Nothing here is imported by the app,
main.ts, stacks/ or constructs/: the emulator adapts to AWS, never the other way round.
"""

from .application_autoscaling_tags import install as _install_application_autoscaling_tags
from .autoscaling_instance_refresh import install as _install_autoscaling_instance_refresh
from .autoscaling_policy_fields import install as _install_autoscaling_policy_fields
from .bucket_policy import install as _install_bucket_policy
from .budgets import install as _install_budgets
from .ec2_launch_template_tags import install as _install_ec2_launch_template_tags
from .ec2_launch_template_version_user_data import install as _install_ec2_launch_template_version_user_data
from .ec2_rules import install as _install_ec2_rules
from .ecr_image_manifest import install as _install_ecr_image_manifest
from .ecs_service_scheduler import install as _install_ecs_service_scheduler
from .ecs_service_settings import install as _install_ecs_service_settings
from .elasticbeanstalk import install as _install_elasticbeanstalk
from .s3_logging import install as _install_s3_logging
from .s3_multipart_bucket_key import install as _install_s3_multipart_bucket_key

_installed = False


def install() -> None:
    """Apply every patch once (idempotent)."""
    global _installed
    if _installed:
        return
    _install_application_autoscaling_tags()
    _install_autoscaling_instance_refresh()
    _install_autoscaling_policy_fields()
    _install_bucket_policy()
    _install_budgets()
    _install_ec2_launch_template_version_user_data()
    _install_ec2_launch_template_tags()
    _install_ec2_rules()
    _install_ecr_image_manifest()
    _install_ecs_service_scheduler()
    _install_ecs_service_settings()
    _install_elasticbeanstalk()
    _install_s3_logging()
    _install_s3_multipart_bucket_key()
    _installed = True
