"""A launch template's own tags stay off the instances it launches.

CreateLaunchTemplate's top-level TagSpecifications (resource type `launch-template`) tag the template itself; what
instances and volumes get is LaunchTemplateData.TagSpecifications, whose resource types are instance, volume,
network-interface, spot-instances-request... never `launch-template` (EC2 API reference, CreateLaunchTemplate and
LaunchTemplateTagSpecificationRequest: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html).
moto 5.2 appends the template's own tags to the version's data, so the provider read a `tag_specifications` block
for `launch-template` back (the stacks' default tags) and planned to remove it after every apply.
"""

from typing import Any

from moto.ec2.models.launch_templates import LaunchTemplateBackend


def install() -> None:
    original = LaunchTemplateBackend.create_launch_template

    def create_launch_template(self: Any, name: str, description: str, template_data: dict, *args: Any, **kwargs: Any):
        specs = template_data.get("TagSpecifications") if isinstance(template_data, dict) else None
        if specs:
            kept = [s for s in specs if s.get("ResourceType") != "launch-template"]
            template_data = {**template_data, "TagSpecifications": kept}
            if not kept:
                del template_data["TagSpecifications"]
        return original(self, name, description, template_data, *args, **kwargs)

    LaunchTemplateBackend.create_launch_template = create_launch_template  # type: ignore[method-assign]
