"""EC2 Auto Scaling instance refreshes: StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh.

AWS replaces a group's instances with ones from its current launch template when an instance refresh starts
(Auto Scaling API reference, StartInstanceRefresh:
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html); only one refresh may be
active per group, a second start fails with `InstanceRefreshInProgress`; CancelInstanceRefresh stops the active one
(`ActiveInstanceRefreshNotFound` when there is none); DescribeInstanceRefreshes lists a group's refreshes, most
recent first (API_DescribeInstanceRefreshes.html). The Terraform provider starts one when an `instance_refresh` block
is set and the launch template changes, cancelling an active one first, and waits for a cancel to reach `Cancelled`.
moto 5.2 implements none of the three (they answered 500 and the provider retried until its timeout).

Reproduced here: the refresh runs to `Successful` at once. With MaxHealthyPercentage above 100 AWS launches the
replacements before terminating the old instances (User Guide, "Instance refresh: launch before terminating"); so
does this patch: new instances from the group's current launch template join the group and its target groups, then
the old ones are deregistered and terminated. SkipMatching is not modelled (every instance is replaced).
"""

import datetime
import uuid
from typing import Any

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult

ACTIVE = ("Pending", "InProgress", "Cancelling", "Baking", "RollbackInProgress")


class InstanceRefreshInProgress(AutoscalingClientError):
    code = "InstanceRefreshInProgress"


class ActiveInstanceRefreshNotFound(AutoscalingClientError):
    code = "ActiveInstanceRefreshNotFound"


def _refreshes(backend: AutoScalingBackend, group_name: str) -> list[dict[str, Any]]:
    if not hasattr(backend, "instance_refreshes"):
        backend.instance_refreshes = {}  # type: ignore[attr-defined]
    return backend.instance_refreshes.setdefault(group_name, [])  # type: ignore[attr-defined]


def _group(backend: AutoScalingBackend, name: str) -> FakeAutoScalingGroup:
    group = backend.autoscaling_groups.get(name)
    if group is None:
        raise AutoscalingClientError("ValidationError", f"AutoScalingGroup name not found - {name}")
    return group


def replace_instances(backend: AutoScalingBackend, group: FakeAutoScalingGroup) -> int:
    """Launch before terminate: the replacements are in service before the old instances go."""
    old = list(group.instance_states)
    count = len(old) or (group.desired_capacity or 0)
    if count:
        group.replace_autoscaling_group_instances(count, group.get_propagated_tags())
    backend.update_attached_target_groups(group.name)
    old_ids = [state.instance.id for state in old]
    for target_group_arn in group.target_group_arns:
        backend.elbv2_backend.deregister_targets(target_group_arn, [{"Id": i} for i in old_ids])
    if old_ids:
        backend.ec2_backend.terminate_instances(old_ids)
    group.instance_states = [state for state in group.instance_states if state not in old]
    return count


def start_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    backend = self.autoscaling_backend
    name = self._get_param("AutoScalingGroupName")
    group = _group(backend, name)
    records = _refreshes(backend, name)
    if any(record["Status"] in ACTIVE for record in records):
        raise InstanceRefreshInProgress(f"An Instance Refresh is already in progress for {name}.")
    now = datetime.datetime.now(datetime.UTC)
    record = {
        "InstanceRefreshId": str(uuid.uuid4()),
        "AutoScalingGroupName": name,
        "Status": "InProgress",
        "StartTime": now,
        "PercentageComplete": 0,
        "InstancesToUpdate": len(group.instance_states),
        "Preferences": self._get_param("Preferences", {}),
        "Strategy": self._get_param("Strategy", "Rolling"),
    }
    if self._get_param("DesiredConfiguration"):
        record["DesiredConfiguration"] = self._get_param("DesiredConfiguration")
    records.insert(0, record)
    try:
        replace_instances(backend, group)
    except Exception as error:  # a refresh that cannot launch fails, as on AWS, instead of staying in progress
        record.update(Status="Failed", StatusReason=str(error), EndTime=now)
        raise
    record.update(Status="Successful", EndTime=now, PercentageComplete=100, InstancesToUpdate=0)
    return ActionResult({"InstanceRefreshId": record["InstanceRefreshId"]})


def describe_instance_refreshes(self: AutoScalingResponse) -> ActionResult:
    name = self._get_param("AutoScalingGroupName")
    _group(self.autoscaling_backend, name)
    ids = self._get_param("InstanceRefreshIds", [])
    records = [r for r in _refreshes(self.autoscaling_backend, name) if not ids or r["InstanceRefreshId"] in ids]
    return ActionResult({"InstanceRefreshes": records})


def cancel_instance_refresh(self: AutoScalingResponse) -> ActionResult:
    name = self._get_param("AutoScalingGroupName")
    _group(self.autoscaling_backend, name)
    for record in _refreshes(self.autoscaling_backend, name):
        if record["Status"] in ACTIVE:
            record.update(Status="Cancelled", EndTime=datetime.datetime.now(datetime.UTC))
            return ActionResult({"InstanceRefreshId": record["InstanceRefreshId"]})
    raise ActiveInstanceRefreshNotFound(f"No in progress or pending Instance Refresh found for {name}.")


def install() -> None:
    AutoScalingResponse.start_instance_refresh = start_instance_refresh  # type: ignore[attr-defined]
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes  # type: ignore[attr-defined]
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh  # type: ignore[attr-defined]
