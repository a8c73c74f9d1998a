"""make e2e: every alarm of the app stack reaches the encrypted operations topic's subscriber.

An SQS queue (this run's stand-in for the on-call address; SNS delivers to it in-process) subscribes to the stack's
topic; each alarm is set to ALARM (SetAlarmState) and its notification must arrive. The emulator publishes as
CloudWatch through the topic policy and the topic key's policy (emulator/alarm_actions.py), so a policy that
refused CloudWatch, or a key bound to another topic, fails here. The queue is deleted afterwards. AWS Budgets cannot
be made to send a notification on demand (it evaluates spend a few times a day): the budget's grant is proven by the
policy-evaluation tests (__tests__/stacks/topic-policy-evaluation.test.ts).

Usage: alarm_delivery.py --out DIR --stack S --endpoint URL --ca PEM
"""

import argparse
import json
import time
from pathlib import Path

import boto3
from botocore.config import Config


def main() -> None:
    parser = argparse.ArgumentParser()
    for option in ("--out", "--stack", "--endpoint", "--ca"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    stack = json.loads((Path(args.out) / "stacks" / args.stack / "cdk.tf.json").read_text())
    [topic_name] = [t["name"] for t in stack["resource"]["aws_sns_topic"].values()]
    alarms = sorted(a["alarm_name"] for a in stack["resource"]["aws_cloudwatch_metric_alarm"].values())
    kw = dict(
        endpoint_url=args.endpoint, verify=args.ca, region_name="eu-west-1", config=Config(retries={"max_attempts": 1})
    )
    sns, sqs, cloudwatch = (boto3.client(s, **kw) for s in ("sns", "sqs", "cloudwatch"))
    [topic_arn] = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(f":{topic_name}")]
    if not sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"].get("KmsMasterKeyId"):
        raise SystemExit(f"e2e check failed: {topic_arn} is not encrypted")
    queue = sqs.create_queue(QueueName=f"e2e-{topic_name}-subscriber")["QueueUrl"]
    try:
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        subscription = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
        for alarm in alarms:
            cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="make e2e: fired on purpose")
        received: list[str] = []
        deadline = time.time() + 10
        while len(received) < len(alarms) and time.time() < deadline:
            for message in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
                received.append(json.loads(json.loads(message["Body"])["Message"])["AlarmName"])
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        if sorted(received) != alarms:
            raise SystemExit(f"e2e check failed: alarms {alarms} fired, the subscriber received {sorted(received)}")
        for alarm in alarms:
            cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="make e2e: reset")
        sns.unsubscribe(SubscriptionArn=subscription)
    finally:
        sqs.delete_queue(QueueUrl=queue)
    print(
        f"{len(alarms)} alarms set to ALARM: each notification reached the subscriber of {topic_name} (SSE-KMS), "
        "published as cloudwatch.amazonaws.com through the topic and key policies"
    )


if __name__ == "__main__":
    main()
