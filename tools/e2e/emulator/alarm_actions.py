"""CloudWatch alarm actions: a state change publishes to the alarm's SNS topics, as CloudWatch, through both policies.

When an alarm changes state and its actions are enabled, CloudWatch publishes the alarm's notification to each SNS
topic among the actions of the new state (AlarmActions, OKActions, InsufficientDataActions; CloudWatch guide,
"Using Amazon CloudWatch alarms", "Alarm actions",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html). It publishes as the service
principal `cloudwatch.amazonaws.com` on behalf of the alarm (`aws:SourceArn` = the alarm's ARN, `aws:SourceAccount`
= its account: SNS guide, "Amazon SNS security best practices", confused-deputy prevention), so the topic policy must
allow that principal; for an encrypted topic SNS asks KMS for the message key with the publisher's principal and
the encryption context `aws:sns:topicArn` = the topic ARN, so the key policy must allow `kms:GenerateDataKey*` and
`kms:Decrypt` too (SNS guide, "Enable compatibility between event sources from AWS services and encrypted topics",
https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services). A refusal is
not an API error: the action fails and the alarm history records it (here: an `Action` history item), nothing is
delivered. moto 5.2 changes the state and publishes nothing, so a topic or key policy that refused CloudWatch went
unnoticed; `SetAlarmState` (which the e2e uses to fire an alarm) now goes through the real path.
"""

import json
import sys
from typing import Any

from .bucket_policy import UnknownOperator, _glob, _listed, conditions_hold

SERVICE = "cloudwatch.amazonaws.com"


def _service_matches(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and service in _listed(principal.get("Service", []))


def evaluate_service(policy: dict[str, Any], service: str, action: str, resource: str, context: dict[str, str]) -> str:
    """`DENIED`, `PERMITTED` or `NEUTRAL` of a resource policy for a service principal's request (IAM "Policy
    evaluation logic"; operators as in bucket_policy.py; an unknown operator fails closed). A service principal has
    no identity policy: NEUTRAL means refused."""
    allowed = False
    for statement in _listed(policy.get("Statement", [])):
        deny = statement.get("Effect") == "Deny"
        try:
            applies = (
                _service_matches(statement.get("Principal"), service)
                and any(_glob(a, action, ignore_case=True) for a in _listed(statement.get("Action", [])))
                and any(_glob(r, resource) for r in _listed(statement.get("Resource", [])))
                and conditions_hold(statement.get("Condition", {}), context)
            )
        except UnknownOperator:
            applies = deny
        if applies and deny:
            return "DENIED"
        allowed = allowed or applies
    return "PERMITTED" if allowed else "NEUTRAL"


def refusal(alarm: Any, topic: Any, key_policy: dict[str, Any] | None) -> str | None:
    """Why CloudWatch could not publish this alarm's notification to the topic; None when it can."""
    account = alarm.alarm_arn.split(":")[4]
    context = {"aws:SourceArn": alarm.alarm_arn, "aws:SourceAccount": account, "aws:SecureTransport": "true"}
    if evaluate_service(json.loads(topic.policy), SERVICE, "sns:Publish", topic.arn, context) != "PERMITTED":
        return f"the topic policy of {topic.arn} does not allow {SERVICE} to publish for {alarm.alarm_arn}"
    if key_policy is not None:
        kms_context = {**context, "kms:EncryptionContext:aws:sns:topicArn": topic.arn}
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):
            if evaluate_service(key_policy, SERVICE, action, "*", kms_context) != "PERMITTED":
                return f"the key policy of {topic.kms_master_key_id} does not allow {SERVICE} {action} for {topic.arn}"
    return None


def notification(alarm: Any, old_state: str) -> str:
    """The message body CloudWatch publishes (the alarm's JSON notification)."""
    region = alarm.alarm_arn.split(":")[3]
    return json.dumps(
        {
            "AlarmName": alarm.name,
            "AlarmArn": alarm.alarm_arn,
            "AWSAccountId": alarm.alarm_arn.split(":")[4],
            "Region": region,
            "NewStateValue": alarm.state_value,
            "NewStateReason": alarm.state_reason,
            "OldStateValue": old_state,
            "StateChangeTime": alarm.state_updated_timestamp.isoformat(),
        }
    )


def _deliver(alarm: Any, old_state: str) -> None:
    from moto.core.utils import utcnow
    from moto.kms.models import kms_backends
    from moto.sns.models import sns_backends

    actions = {
        "ALARM": alarm.alarm_actions or [],
        "OK": alarm.ok_actions or [],
        "INSUFFICIENT_DATA": alarm.insufficient_data_actions or [],
    }[alarm.state_value]
    for arn in actions:
        if not arn.startswith("arn:aws:sns:"):
            continue
        _, _, _, region, account, _ = arn.split(":", 5)
        try:
            topic = sns_backends[account][region].get_topic(arn)
        except Exception:  # noqa: BLE001 - moto raises TopicNotFound
            reason: str | None = f"topic {arn} does not exist"
        else:
            key_policy = None
            if topic.kms_master_key_id:
                key = kms_backends[account][region].describe_key(topic.kms_master_key_id)
                key_policy = json.loads(key.policy)
            reason = refusal(alarm, topic, key_policy)
        if reason is None:
            topic.publish(notification(alarm, old_state), subject=f'{alarm.state_value}: "{alarm.name}" in {region}')
            alarm.history.append(("Action", f"Successfully executed action {arn}", None, alarm.state_value, utcnow()))
        else:
            alarm.history.append(
                ("Action", f"Failed to execute action {arn}: {reason}", None, alarm.state_value, utcnow())
            )
            print(f"alarm action refused: {alarm.name} -> {arn}: {reason}", file=sys.stderr)


def install() -> None:
    from moto.cloudwatch.models import Alarm

    original = Alarm.update_state

    def update_state(self: Any, reason: str, reason_data: str, state_value: str) -> None:
        old_state = self.state_value
        original(self, reason, reason_data, state_value)
        if state_value != old_state and self.actions_enabled:
            _deliver(self, old_state)

    Alarm.update_state = update_state  # type: ignore[method-assign]
