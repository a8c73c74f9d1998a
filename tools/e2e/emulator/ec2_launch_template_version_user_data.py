"""User data of launch-template versions after the first.

CreateLaunchTemplateVersion takes `LaunchTemplateData.UserData` as base64 exactly like CreateLaunchTemplate, and
instances launched from that version get it (EC2 API reference, RequestLaunchTemplateData.UserData:
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html). moto 5.2 decodes it only
in CreateLaunchTemplate; a later version keeps a plain string, and launching from it (an Auto Scaling group after
a template change, an instance refresh) fails moto's own Base64EncodedString assertion with a 500.
"""

from typing import Any

from moto.ec2.models.launch_templates import LaunchTemplate
from moto.ec2.utils import parse_user_data


def install() -> None:
    original = LaunchTemplate.create_version

    def create_version(self: LaunchTemplate, data: dict[str, Any], description: str) -> Any:
        if isinstance(data, dict) and isinstance(data.get("UserData"), str | bytes):
            data = {**data, "UserData": parse_user_data(data["UserData"])}
        return original(self, data, description)

    LaunchTemplate.create_version = create_version  # type: ignore[method-assign]
