"""An alarm's state change reaches the encrypted topic's subscriber only through both policies, as CloudWatch."""

import json

import boto3
import pytest
from moto import mock_aws

REGION, ACCOUNT = "eu-west-1", "123456789012"
ALARM = "imageshare-dev-app-errors"
ALARM_ARN = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{ALARM}"
TOPIC = "imageshare-dev-alarms"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}"


def publisher(action, resource, extra=None):
    return {
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": action,
        "Resource": resource,
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT, **(extra or {})},
            "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:imageshare-dev-*"},
        },
    }


ROOT = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}
KEY_STATEMENT = publisher(
    ["kms:GenerateDataKey*", "kms:Decrypt"], "*", {"kms:EncryptionContext:aws:sns:topicArn": TOPIC_ARN}
)
TOPIC_STATEMENT = publisher("sns:Publish", TOPIC_ARN)


def fire(key_statements, topic_statements):
    """Topic encrypted with a key, an SQS subscriber, an alarm with the topic as action; ALARM; what arrived."""
    kms, sns, sqs = (boto3.client(s, region_name=REGION) for s in ("kms", "sns", "sqs"))
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    key = kms.create_key(Policy=json.dumps({"Version": "2012-10-17", "Statement": [ROOT, *key_statements]}))
    topic = sns.create_topic(Name=TOPIC, Attributes={"KmsMasterKeyId": key["KeyMetadata"]["Arn"]})["TopicArn"]
    policy = {"Version": "2012-10-17", "Statement": topic_statements}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy))
    queue = sqs.create_queue(QueueName="subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    cloudwatch.put_metric_alarm(
        AlarmName=ALARM,
        MetricName="HTTPCode_ELB_5XX_Count",
        Namespace="AWS/ApplicationELB",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[topic],
    )
    cloudwatch.set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="e2e")
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(json.loads(m["Body"])["Message"]) for m in messages]


@mock_aws
def test_the_notification_reaches_the_subscriber_when_both_policies_allow_cloudwatch():
    delivered = fire([KEY_STATEMENT], [TOPIC_STATEMENT])
    assert [(m["AlarmName"], m["NewStateValue"], m["AlarmArn"]) for m in delivered] == [(ALARM, "ALARM", ALARM_ARN)]


@pytest.mark.parametrize(
    "key_statements,topic_statements,refused_by",
    [
        ([KEY_STATEMENT], [], "topic policy"),
        ([], [TOPIC_STATEMENT], "key policy"),
        (
            [publisher(["kms:GenerateDataKey*", "kms:Decrypt"], "*", {"kms:EncryptionContext:aws:sns:topicArn": "x"})],
            [TOPIC_STATEMENT],
            "key policy",
        ),
    ],
)
@mock_aws
def test_nothing_arrives_when_a_policy_refuses_cloudwatch(key_statements, topic_statements, refused_by, capsys):
    assert fire(key_statements, topic_statements) == []
    err = capsys.readouterr().err
    assert f"alarm action refused: {ALARM}" in err and refused_by in err
