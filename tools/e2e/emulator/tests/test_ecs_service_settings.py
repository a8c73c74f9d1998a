import boto3
from moto import mock_aws

REGION = "eu-west-1"


def _cluster(ecs):
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}])


@mock_aws
def test_the_service_keeps_its_deployment_and_health_settings():
    ecs = boto3.client("ecs", region_name=REGION)
    _cluster(ecs)
    breaker = {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    }
    ecs.create_service(
        cluster="c",
        serviceName="s",
        taskDefinition="t",
        desiredCount=1,
        deploymentConfiguration=breaker,
        healthCheckGracePeriodSeconds=60,
        enableECSManagedTags=True,
        availabilityZoneRebalancing="DISABLED",
    )
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert service["deploymentConfiguration"] == breaker
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["enableECSManagedTags"] is True
    assert service["enableExecuteCommand"] is False
    assert service["availabilityZoneRebalancing"] == "DISABLED"


@mock_aws
def test_without_settings_the_aws_defaults_are_reported():
    ecs = boto3.client("ecs", region_name=REGION)
    _cluster(ecs)
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1)
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert service["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    }
    assert "healthCheckGracePeriodSeconds" not in service
