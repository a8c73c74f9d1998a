"""EB reads settings back as it stores them; the provider's empty-diff check fails on the forms that drift."""

import json

import boto3
import pytest
from moto import mock_aws

from emulator.eb_readback import filled_config_document

STACK = "64bit Amazon Linux 2023 v4.9.0 running Python 3.11"
HEALTH = "aws:elasticbeanstalk:healthreporting:system"
RULE = "aws:elbv2:listenerrule:publichost"


def provider_value(value: str) -> str:
    """What terraform-provider-aws compares (environment.go, optionSettingValueHash): JSON normalised (Go's
    json.Marshal sorts keys), then the comma-separated parts sorted."""
    try:
        value = json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"))
    except ValueError:
        pass
    return ",".join(sorted(value.split(",")))


def plan_changes(sent: list[dict], read: list[dict]) -> list[tuple[str, str]]:
    """The settings a plan after apply would change: those sent whose read-back value differs (the provider keeps
    only the options it was given, with EB's values: resourceAwsElasticBeanstalkEnvironmentSettingsRead)."""
    back = {(o["Namespace"], o["OptionName"]): o["Value"] for o in read}
    return [
        (s["Namespace"], s["OptionName"])
        for s in sent
        if provider_value(back.get((s["Namespace"], s["OptionName"]), "")) != provider_value(s["Value"])
    ]


def settings(host_headers: str, config_document: str | None) -> list[dict]:
    out = [
        {"Namespace": "aws:elasticbeanstalk:environment", "OptionName": "LoadBalancerIsShared", "Value": "true"},
        {"Namespace": "aws:elbv2:loadbalancer", "OptionName": "SharedLoadBalancer", "Value": "arn:aws:lb"},
        {"Namespace": "aws:elbv2:listener:443", "OptionName": "Rules", "Value": "default,publichost"},
        {"Namespace": RULE, "OptionName": "HostHeaders", "Value": host_headers},
        {"Namespace": HEALTH, "OptionName": "SystemType", "Value": "enhanced"},
    ]
    if config_document is not None:
        out.append({"Namespace": HEALTH, "OptionName": "ConfigDocument", "Value": config_document})
    return out


@pytest.fixture
def eb():
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_object(Bucket="artifacts", Key="bundle.zip", Body=b"zip")
        client = boto3.client("elasticbeanstalk", region_name="eu-west-1")
        client.create_application(ApplicationName="app")
        yield client


def apply_then_read(eb, sent: list[dict]) -> list[dict]:
    eb.create_environment(
        ApplicationName="app",
        EnvironmentName="app-env",
        SolutionStackName=STACK,
        CNAMEPrefix="imageshare-dev",
        OptionSettings=sent,
    )
    [described] = eb.describe_configuration_settings(ApplicationName="app", EnvironmentName="app-env")[
        "ConfigurationSettings"
    ]
    return described["OptionSettings"]


CNAME = "imageshare-dev.eu-west-1.elasticbeanstalk.com"
METRICS_ONLY = json.dumps({"CloudWatchMetrics": {"Environment": {"InstancesOk": 60}}, "Version": 1})
AS_EB_RETURNS = json.dumps(
    {
        "CloudWatchMetrics": {"Environment": {"InstancesOk": 60}, "Instance": {}},
        "Rules": {
            "Environment": {
                "Application": {"ApplicationRequests4xx": {"Enabled": True}},
                "ELB": {"ELBRequests4xx": {"Enabled": True}},
            }
        },
        "Version": 1,
    }
)


def test_the_forms_eb_returns_give_an_empty_diff(eb):
    sent = settings(f"app.example.org,{CNAME}", AS_EB_RETURNS)
    assert plan_changes(sent, apply_then_read(eb, sent)) == []


def test_host_headers_without_the_cname_drift(eb):
    sent = settings("app.example.org", AS_EB_RETURNS)
    read = apply_then_read(eb, sent)
    assert plan_changes(sent, read) == [(RULE, "HostHeaders")]
    assert {(o["Namespace"], o["OptionName"]): o["Value"] for o in read}[(RULE, "HostHeaders")] == (
        f"app.example.org,{CNAME}"
    )


def test_a_partial_config_document_drifts(eb):
    sent = settings(f"app.example.org,{CNAME}", METRICS_ONLY)
    assert plan_changes(sent, apply_then_read(eb, sent)) == [(HEALTH, "ConfigDocument")]


def test_eb_fills_in_the_document_and_its_default_rule():
    assert json.loads(filled_config_document(METRICS_ONLY)) == json.loads(AS_EB_RETURNS)
    assert json.loads(filled_config_document(None))["CloudWatchMetrics"] == {"Instance": {}, "Environment": {}}


def test_enhanced_health_reads_back_a_document_and_the_default_rule_names_the_cname(eb):
    read = apply_then_read(eb, settings("app.example.org", None))
    values = {(o["Namespace"], o["OptionName"]): o["Value"] for o in read}
    assert json.loads(values[(HEALTH, "ConfigDocument")])["Version"] == 1
    assert values[("aws:elbv2:listenerrule:default", "HostHeaders")] == CNAME
