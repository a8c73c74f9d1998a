import boto3
from moto import mock_aws


@mock_aws
def test_the_templates_own_tags_are_not_in_its_launch_data():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={
            "ImageId": "ami-12c6146b",
            "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
        },
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Project", "Value": "x"}]}],
    )
    template = ec2.describe_launch_templates(LaunchTemplateNames=["web"])["LaunchTemplates"][0]
    assert template["Tags"] == [{"Key": "Project", "Value": "x"}]
    data = ec2.describe_launch_template_versions(LaunchTemplateName="web")["LaunchTemplateVersions"][0]
    assert data["LaunchTemplateData"]["TagSpecifications"] == [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}
    ]
