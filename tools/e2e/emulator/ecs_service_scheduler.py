"""ECS services: the service scheduler starts the desired tasks and the deployment completes.

On AWS, CreateService and UpdateService hand the desired count to the service scheduler, which starts that many
tasks; once they run (and pass the load balancer's health checks), DescribeServices answers `runningCount ==
desiredCount`, `pendingCount == 0`, one PRIMARY deployment whose `rolloutState` is COMPLETED, and a new task
definition or `forceNewDeployment` starts a new deployment that replaces the old one (ECS API reference, Service and
Deployment: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html, "rolloutState";
ECS developer guide, "Amazon ECS services"). moto 5.2 never starts a task: `runningCount` stays at the fixed
MOTO_ECS_SERVICE_RUNNING (0 by default) whatever the desired count, so the provider's `wait_for_steady_state`
(DescribeServices until one deployment runs the desired count) polls until its timeout. Here every deployment is
settled at once, as if each task started healthy; whether the image really serves is the e2e's image-run check.
"""

from typing import Any

from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random


def _settle(service: Any, new_deployment: bool) -> None:
    service.running_count = service.desired_count
    service.pending_count = 0
    if not service.deployments:  # not the ECS deployment controller: no deployments to report
        return
    deployment = dict(service.deployments[0])
    now = utcnow()
    if new_deployment:
        deployment["id"] = f"ecs-svc/{mock_random.randint(0, 32**12)}"
        deployment["createdAt"] = now
    deployment.update(
        {
            "status": "PRIMARY",
            "taskDefinition": service.task_definition,
            "desiredCount": service.desired_count,
            "runningCount": service.desired_count,
            "pendingCount": 0,
            "rolloutState": "COMPLETED",
            "rolloutStateReason": f"ECS deployment {deployment['id']} completed.",
            "updatedAt": now,
        }
    )
    service.deployments = [deployment]


def install() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend, Service

    original_init = Service.__init__
    original_update = EC2ContainerServiceBackend.update_service

    def service_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        _settle(self, new_deployment=False)

    def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
        cluster_str = service_properties.get("cluster", "default")
        before = self._get_service(cluster_str, service_properties["service"].split("/")[-1])
        old_task_definition = before.task_definition
        desired_given = service_properties.get("desired_count") is not None
        forced = bool(service_properties.get("force_new_deployment"))
        service = original_update(self, service_properties)
        if service.task_definition and ":task-definition/" not in service.task_definition:
            # UpdateService takes family:revision or an ARN; DescribeServices answers with the ARN.
            service.task_definition = self.describe_task_definition(service.task_definition).arn
        _settle(service, new_deployment=forced or service.task_definition != old_task_definition)
        if not desired_given:
            # moto took the service's tasks off the cluster's count and adds them back only with a new desired count.
            self.update_cluster_resources(self._get_cluster(cluster_str), service.running_count, task_state="RUNNING")
        return service

    Service.__init__ = service_init  # type: ignore[method-assign]
    EC2ContainerServiceBackend.update_service = update_service  # type: ignore[method-assign]
