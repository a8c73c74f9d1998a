import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws


def network():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    return subnets, group


@mock_aws
def test_the_same_load_balancer_created_twice_is_one_load_balancer():
    subnets, group = network()
    elbv2 = boto3.client("elbv2", region_name="eu-west-1")
    first = elbv2.create_load_balancer(Name="app", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0]
    again = elbv2.create_load_balancer(Name="app", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0]
    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1


@mock_aws
def test_the_same_name_with_other_settings_is_a_duplicate():
    subnets, group = network()
    elbv2 = boto3.client("elbv2", region_name="eu-west-1")
    elbv2.create_load_balancer(Name="app", Subnets=subnets, SecurityGroups=[group])
    with pytest.raises(ClientError) as raised:
        elbv2.create_load_balancer(Name="app", Subnets=subnets, SecurityGroups=[group], Scheme="internal")
    assert raised.value.response["Error"]["Code"] == "DuplicateLoadBalancerName"
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1
