import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "eu-west-1"


def _target(client, **extra):
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1)
    return client.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId="service/c/s",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=1,
        MaxCapacity=2,
        **extra,
    )["ScalableTargetARN"]


@mock_aws
def test_tags_given_at_registration_are_listed():
    client = boto3.client("application-autoscaling", region_name=REGION)
    arn = _target(client, Tags={"Environment": "dev"})
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Environment": "dev"}


@mock_aws
def test_tags_are_added_and_removed():
    client = boto3.client("application-autoscaling", region_name=REGION)
    arn = _target(client)
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == {}
    client.tag_resource(ResourceARN=arn, Tags={"a": "1", "b": "2"})
    client.untag_resource(ResourceARN=arn, TagKeys=["a"])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"b": "2"}


@mock_aws
def test_an_unknown_target_is_not_found():
    client = boto3.client("application-autoscaling", region_name=REGION)
    with pytest.raises(ClientError) as error:
        client.list_tags_for_resource(
            ResourceARN="arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/nope"
        )
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
