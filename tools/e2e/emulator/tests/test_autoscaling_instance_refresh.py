import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "eu-west-1"


def _group(name="web"):
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="eu-west-1a")["Subnet"]
    template = ec2.create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t4g.micro"}
    )["LaunchTemplate"]["LaunchTemplateId"]
    elbv2 = boto3.client("elbv2", region_name=REGION)
    target_group = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="instance")[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    autoscaling = boto3.client("autoscaling", region_name=REGION)
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=2,
        MaxSize=4,
        DesiredCapacity=2,
        LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
        VPCZoneIdentifier=subnet["SubnetId"],
        TargetGroupARNs=[target_group],
    )
    return autoscaling, elbv2, target_group


def _instances(autoscaling, name="web"):
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return {i["InstanceId"] for i in group["Instances"]}


@mock_aws
def test_a_refresh_replaces_every_instance_and_keeps_the_target_group_in_step():
    autoscaling, elbv2, target_group = _group()
    before = _instances(autoscaling)
    refresh = autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        Strategy="Rolling",
        Preferences={"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200},
    )["InstanceRefreshId"]
    after = _instances(autoscaling)
    assert len(after) == 2 and not before & after
    targets = {
        t["Target"]["Id"] for t in elbv2.describe_target_health(TargetGroupArn=target_group)["TargetHealthDescriptions"]
    }
    assert targets == after
    [described] = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"]
    assert described["InstanceRefreshId"] == refresh
    assert described["Status"] == "Successful" and described["PercentageComplete"] == 100
    assert described["Preferences"]["MaxHealthyPercentage"] == 200


@mock_aws
def test_most_recent_first_and_filtered_by_id():
    autoscaling, _, _ = _group()
    first = autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    second = autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    listed = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"]
    assert [r["InstanceRefreshId"] for r in listed] == [second, first]
    only = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web", InstanceRefreshIds=[first])
    assert [r["InstanceRefreshId"] for r in only["InstanceRefreshes"]] == [first]


@mock_aws
def test_one_active_refresh_per_group_and_cancel_stops_it():
    from moto.backends import get_backend

    autoscaling, _, _ = _group()
    backend = get_backend("autoscaling")["123456789012"][REGION]
    backend.instance_refreshes = {
        "web": [{"InstanceRefreshId": "active", "AutoScalingGroupName": "web", "Status": "InProgress"}]
    }
    with pytest.raises(ClientError) as error:
        autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert error.value.response["Error"]["Code"] == "InstanceRefreshInProgress"
    assert autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"] == "active"
    assert (
        autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"][0]["Status"]
        == "Cancelled"
    )
    with pytest.raises(ClientError) as error:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert error.value.response["Error"]["Code"] == "ActiveInstanceRefreshNotFound"


@mock_aws
def test_a_refresh_after_a_template_change_launches_from_the_new_version_with_its_user_data():
    import base64

    autoscaling, _, _ = _group()
    ec2 = boto3.client("ec2", region_name=REGION)
    template = ec2.describe_launch_templates(LaunchTemplateNames=["web"])["LaunchTemplates"][0]["LaunchTemplateId"]
    user_data = base64.b64encode(b"#!/bin/bash\necho v2\n").decode()
    ec2.create_launch_template_version(
        LaunchTemplateId=template, LaunchTemplateData={"ImageId": "ami-12c6146b", "UserData": user_data}
    )
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    [instance, *_] = _instances(autoscaling)
    attribute = ec2.describe_instance_attribute(InstanceId=instance, Attribute="userData")
    assert base64.b64decode(attribute["UserData"]["Value"]) == b"#!/bin/bash\necho v2\n"
