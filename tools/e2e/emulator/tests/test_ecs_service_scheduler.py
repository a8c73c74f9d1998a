import boto3
from moto import mock_aws

REGION = "eu-west-1"


def _service(ecs, desired=2):
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=desired)


def _describe(ecs):
    return ecs.describe_services(cluster="c", services=["s"])["services"][0]


@mock_aws
def test_a_new_service_runs_its_desired_tasks_in_one_completed_deployment():
    ecs = boto3.client("ecs", region_name=REGION)
    _service(ecs, desired=2)
    service = _describe(ecs)
    assert (service["runningCount"], service["pendingCount"]) == (2, 0)
    [deployment] = service["deployments"]
    assert deployment["status"] == "PRIMARY"
    assert deployment["rolloutState"] == "COMPLETED"
    assert (deployment["runningCount"], deployment["desiredCount"]) == (2, 2)
    assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["runningTasksCount"] == 2


@mock_aws
def test_a_new_task_definition_replaces_the_deployment():
    ecs = boto3.client("ecs", region_name=REGION)
    _service(ecs)
    first = _describe(ecs)["deployments"][0]["id"]
    revision = ecs.register_task_definition(
        family="t", containerDefinitions=[{"name": "app", "image": "y", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="c", service="s", taskDefinition="t:2")
    service = _describe(ecs)
    [deployment] = service["deployments"]
    assert deployment["id"] != first
    assert deployment["taskDefinition"] == revision == service["taskDefinition"]
    assert deployment["rolloutState"] == "COMPLETED"
    assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["runningTasksCount"] == 2


@mock_aws
def test_scaling_the_service_runs_the_new_desired_count():
    ecs = boto3.client("ecs", region_name=REGION)
    _service(ecs)
    ecs.update_service(cluster="c", service="s", desiredCount=3)
    service = _describe(ecs)
    assert (service["runningCount"], service["deployments"][0]["runningCount"]) == (3, 3)
    assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["runningTasksCount"] == 3
