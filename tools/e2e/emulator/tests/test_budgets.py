import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

ACCOUNT = "123456789012"
ALERT = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 100.0}
TOPIC = {"SubscriptionType": "SNS", "Address": f"arn:aws:sns:eu-west-1:{ACCOUNT}:alarms"}


def _budget(client, **extra):
    client.create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "100", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[{"Notification": ALERT, "Subscribers": [TOPIC]}],
        **extra,
    )


@mock_aws
def test_the_subscribers_of_a_notification_are_described():
    client = boto3.client("budgets", region_name="us-east-1")
    _budget(client)
    answer = client.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="monthly", Notification=ALERT)
    assert answer["Subscribers"] == [TOPIC]
    with pytest.raises(ClientError):
        client.describe_subscribers_for_notification(
            AccountId=ACCOUNT, BudgetName="monthly", Notification={**ALERT, "NotificationType": "FORECASTED"}
        )


@mock_aws
def test_budgets_keep_their_tags():
    client = boto3.client("budgets", region_name="us-east-1")
    _budget(client, ResourceTags=[{"Key": "Environment", "Value": "dev"}])
    arn = f"arn:aws:budgets::{ACCOUNT}:budget/monthly"
    assert client.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Environment", "Value": "dev"}]
    client.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Owner", "Value": "ops"}])
    client.untag_resource(ResourceARN=arn, ResourceTagKeys=["Environment"])
    assert client.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Owner", "Value": "ops"}]
    with pytest.raises(ClientError):
        client.list_tags_for_resource(ResourceARN=f"arn:aws:budgets::{ACCOUNT}:budget/other")
