"""Elastic Beanstalk as the provider uses it: versions, option validation, settings read-back, update, terminate."""

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from emulator.elasticbeanstalk import SOLUTION_STACKS

STACK = "64bit Amazon Linux 2023 v4.9.0 running Python 3.11"
SETTINGS = [
    {"Namespace": "aws:elasticbeanstalk:environment", "OptionName": "LoadBalancerType", "Value": "application"},
    {"Namespace": "aws:ec2:vpc", "OptionName": "Subnets", "Value": "subnet-b,subnet-a"},
    {"Namespace": "aws:elbv2:listener:443", "OptionName": "Rules", "Value": "default,publichost"},
    {"Namespace": "aws:elbv2:listenerrule:publichost", "OptionName": "HostHeaders", "Value": "example.org"},
    {"Namespace": "aws:elasticbeanstalk:application:environment", "OptionName": "IMAGES_BUCKET", "Value": "b"},
]


@pytest.fixture
def eb():
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_object(Bucket="artifacts", Key="bundle.zip", Body=b"zip")
        client = boto3.client("elasticbeanstalk", region_name="eu-west-1")
        client.create_application(ApplicationName="app", Tags=[{"Key": "Project", "Value": "p"}])
        client.create_application_version(
            ApplicationName="app", VersionLabel="v1", SourceBundle={"S3Bucket": "artifacts", "S3Key": "bundle.zip"}
        )
        yield client


def create(eb, settings=SETTINGS, **extra):
    return eb.create_environment(
        ApplicationName="app",
        EnvironmentName="app-env",
        SolutionStackName=STACK,
        VersionLabel="v1",
        OptionSettings=settings,
        **extra,
    )


def test_application_and_version_tags(eb):
    app = eb.describe_applications(ApplicationNames=["app"])["Applications"][0]
    assert eb.list_tags_for_resource(ResourceArn=app["ApplicationArn"])["ResourceTags"] == [
        {"Key": "Project", "Value": "p"}
    ]
    version = eb.describe_application_versions(ApplicationName="app", VersionLabels=["v1"])["ApplicationVersions"][0]
    assert version["SourceBundle"] == {"S3Bucket": "artifacts", "S3Key": "bundle.zip"}
    assert eb.list_tags_for_resource(ResourceArn=version["ApplicationVersionArn"])["ResourceTags"] == []


def test_a_version_needs_its_bundle_in_s3(eb):
    with pytest.raises(ClientError, match="Unable to download from S3 location"):
        eb.create_application_version(
            ApplicationName="app", VersionLabel="v2", SourceBundle={"S3Bucket": "artifacts", "S3Key": "missing.zip"}
        )


def test_settings_are_returned_as_set_with_documented_defaults(eb):
    env = create(eb)
    assert env["EnvironmentId"].startswith("e-")
    read = eb.describe_configuration_settings(ApplicationName="app", EnvironmentName="app-env")
    [settings] = read["ConfigurationSettings"]
    options = {(o["Namespace"], o["OptionName"]): o["Value"] for o in settings["OptionSettings"]}
    for s in SETTINGS:
        assert options[(s["Namespace"], s["OptionName"])] == s["Value"]
    assert options[("aws:elasticbeanstalk:command", "Timeout")] == "600"


@pytest.mark.parametrize(
    "namespace,name,value",
    [
        ("aws:elasticbeanstalk:enviroment", "LoadBalancerType", "application"),
        ("aws:elasticbeanstalk:environment", "LoadBalancerKind", "application"),
        ("aws:elasticbeanstalk:environment", "LoadBalancerType", "alb"),
    ],
)
def test_a_misspelt_option_fails_creation(eb, namespace, name, value):
    with pytest.raises(ClientError) as error:
        create(eb, [{"Namespace": namespace, "OptionName": name, "Value": value}])
    assert error.value.response["Error"]["Code"] == "ConfigurationValidationException"
    assert not eb.describe_environments(IncludeDeleted=False)["Environments"]


def test_cname_prefix_and_solution_stacks(eb):
    env = create(eb, CNAMEPrefix="imageshare-dev")
    assert env["CNAME"] == "imageshare-dev.eu-west-1.elasticbeanstalk.com"
    assert not eb.check_dns_availability(CNAMEPrefix="imageshare-dev")["Available"]
    stacks = eb.list_available_solution_stacks()["SolutionStacks"]
    assert stacks == SOLUTION_STACKS and STACK in stacks
    with pytest.raises(ClientError, match="No Solution Stack named"):
        eb.create_environment(ApplicationName="app", EnvironmentName="other", SolutionStackName="64bit Nope")


def test_update_terminate_and_version_in_use(eb):
    env = create(eb)
    eb.update_environment(
        EnvironmentId=env["EnvironmentId"],
        OptionSettings=[{"Namespace": "aws:ec2:vpc", "OptionName": "Subnets", "Value": "subnet-c"}],
        OptionsToRemove=[{"Namespace": "aws:elasticbeanstalk:application:environment", "OptionName": "IMAGES_BUCKET"}],
    )
    options = eb.describe_configuration_settings(ApplicationName="app", EnvironmentName="app-env")[
        "ConfigurationSettings"
    ][0]["OptionSettings"]
    values = {(o["Namespace"], o["OptionName"]): o["Value"] for o in options}
    assert values[("aws:ec2:vpc", "Subnets")] == "subnet-c"
    assert ("aws:elasticbeanstalk:application:environment", "IMAGES_BUCKET") not in values
    with pytest.raises(ClientError, match="being used by environment"):
        eb.delete_application_version(ApplicationName="app", VersionLabel="v1")
    eb.terminate_environment(EnvironmentId=env["EnvironmentId"])
    [gone] = eb.describe_environments(EnvironmentIds=[env["EnvironmentId"]])["Environments"]
    assert gone["Status"] == "Terminated"
    eb.delete_application_version(ApplicationName="app", VersionLabel="v1")
