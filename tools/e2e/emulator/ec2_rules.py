"""Security-group rule descriptions for group and prefix-list references.

AWS returns `Description` on every security-group rule, whatever it references (EC2 API reference,
SecurityGroupRule: "Description - The security group rule description";
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html). moto keeps it only for CIDR
rules, so the provider's aws_vpc_security_group_*_rule reads an empty description back for rules naming a group or
a prefix list and every plan shows a change.
"""

from typing import Any

from moto.ec2.models import security_groups


def _description(rule: Any) -> str | None:
    for source in (rule.ip_range, rule.source_group, getattr(rule, "prefix_list_info", None) or {}):
        if source.get("Description") is not None:
            return source["Description"]
    return None


def install() -> None:
    rule_class = security_groups.SecurityGroupRule
    original_init = rule_class.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id")
        if prefix_list is None and len(args) >= 8:
            prefix_list = args[7]
        self.prefix_list_info = dict(prefix_list) if isinstance(prefix_list, dict) else {}

    rule_class.__init__ = init  # type: ignore[method-assign]
    rule_class.description = property(_description)  # type: ignore[assignment]
