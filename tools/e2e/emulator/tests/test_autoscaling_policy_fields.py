import boto3
from moto import mock_aws


@mock_aws
def test_policies_report_enabled_and_no_predictive_configuration_they_do_not_have():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    template = ec2.create_launch_template(LaunchTemplateName="t", LaunchTemplateData={"ImageId": "ami-12c6146b"})
    autoscaling = boto3.client("autoscaling", region_name="eu-west-1")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=0,
        MaxSize=1,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplate"]["LaunchTemplateId"]},
        AvailabilityZones=["eu-west-1a"],
    )
    tracking = {
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
        "TargetValue": 60.0,
    }
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration=tracking,
    )
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="off",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration=tracking,
        Enabled=False,
    )
    policies = {
        p["PolicyName"]: p for p in autoscaling.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]
    }
    assert policies["cpu"]["Enabled"] is True
    assert policies["off"]["Enabled"] is False
    assert "PredictiveScalingConfiguration" not in policies["cpu"]
