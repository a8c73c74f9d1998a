"""ECS services keep the deployment and health settings CreateService was given.

DescribeServices answers with the service as created: `deploymentConfiguration` (circuit breaker, maximum and
minimum healthy percent; AWS fills in 200 / 100 and a disabled circuit breaker when they are not given),
`healthCheckGracePeriodSeconds`, `enableECSManagedTags`, `enableExecuteCommand` and `availabilityZoneRebalancing`
(ECS API reference, CreateService request parameters and the Service data type:
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html). moto 5.2's CreateService drops them
(UpdateService already keeps what it is sent), so after one apply every plan showed the grace period, managed tags
and zone rebalancing changing back.
"""

from typing import Any

# CreateService parameter -> the moto Service attribute its DescribeServices serializer reads.
KEPT_SETTINGS = {
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
}
DEFAULT_DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def deployment_configuration(given: dict[str, Any] | None) -> dict[str, Any]:
    """The deployment configuration AWS reports for what CreateService was given (defaults filled in)."""
    return {**DEFAULT_DEPLOYMENT_CONFIGURATION, **(given or {})}


def install() -> None:
    from moto.ecs.responses import EC2ContainerServiceResponse

    original_create = EC2ContainerServiceResponse.create_service

    def create_service(self: Any) -> Any:
        result = original_create(self)
        cluster = self._get_param("cluster", "default")
        service = self.ecs_backend._get_service(cluster, self._get_param("serviceName"))
        service.deployment_configuration = deployment_configuration(self._get_param("deploymentConfiguration"))
        service.enable_ecs_managed_tags = False
        service.enable_execute_command = False
        for parameter, attribute in KEPT_SETTINGS.items():
            value = self._get_param(parameter)
            if value is not None:
                setattr(service, attribute, value)
        return result

    EC2ContainerServiceResponse.create_service = create_service  # type: ignore[method-assign]
