"""AWS Budgets: subscribers of a notification and resource tags.

AWS answers DescribeSubscribersForNotification with the subscribers of one notification of a budget (Budgets API
reference, https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeSubscribersForNotification.html),
and budgets take tags: CreateBudget's ResourceTags, TagResource, UntagResource and ListTagsForResource on
`arn:aws:budgets::ACCOUNT:budget/NAME`
(https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_ListTagsForResource.html). moto 5.2
implements none of them; the provider reads the subscribers and the tags after every create, and retried until its
timeout.
"""

import json
from typing import Any

from moto.budgets.exceptions import NotFoundException
from moto.budgets.models import BudgetsBackend
from moto.budgets.responses import BudgetsResponse


def _same_notification(stored: dict[str, Any], asked: dict[str, Any]) -> bool:
    # AWS identifies a notification by these fields (ThresholdType defaults to PERCENTAGE).
    def key(n: dict[str, Any]) -> tuple[Any, ...]:
        return (
            n.get("NotificationType"),
            n.get("ComparisonOperator"),
            float(n.get("Threshold", 0)),
            n.get("ThresholdType", "PERCENTAGE"),
        )

    return key(stored) == key(asked)


def _tags(backend: BudgetsBackend) -> dict[str, dict[str, str]]:
    if not hasattr(backend, "resource_tags"):
        backend.resource_tags = {}  # type: ignore[attr-defined]
    return backend.resource_tags  # type: ignore[attr-defined]


def _budget_arn(account_id: str, budget_name: str) -> str:
    return f"arn:aws:budgets::{account_id}:budget/{budget_name}"


def _known_budget_arn(backend: BudgetsBackend, arn: str) -> str:
    account_id, name = arn.split(":")[4], arn.split("budget/", 1)[-1]
    if name not in backend.budgets[account_id]:
        raise NotFoundException(f"Unable to find the resource {arn}")
    return arn


def describe_subscribers_for_notification(self: BudgetsResponse) -> str:
    account_id = self._get_param("AccountId")
    budget_name = self._get_param("BudgetName")
    asked = self._get_param("Notification")
    budget = self.backend.budgets[account_id].get(budget_name)
    if budget is None:
        raise NotFoundException(f"Unable to get budget: {budget_name} - the budget doesn't exist.")
    for notification in budget.notifications:
        if _same_notification(notification.details, asked):
            return json.dumps({"Subscribers": notification.subscribers})
    raise NotFoundException("Unable to find the notification.")


def list_tags_for_resource(self: BudgetsResponse) -> str:
    arn = _known_budget_arn(self.backend, self._get_param("ResourceARN"))
    tags = _tags(self.backend).get(arn, {})
    return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})


def tag_resource(self: BudgetsResponse) -> str:
    arn = _known_budget_arn(self.backend, self._get_param("ResourceARN"))
    for tag in self._get_param("ResourceTags", []):
        _tags(self.backend).setdefault(arn, {})[tag["Key"]] = tag["Value"]
    return json.dumps({})


def untag_resource(self: BudgetsResponse) -> str:
    arn = _known_budget_arn(self.backend, self._get_param("ResourceARN"))
    for key in self._get_param("ResourceTagKeys", []):
        _tags(self.backend).get(arn, {}).pop(key, None)
    return json.dumps({})


def install() -> None:
    original_create = BudgetsResponse.create_budget
    original_delete = BudgetsBackend.delete_budget

    def create_budget(self: BudgetsResponse) -> str:
        result = original_create(self)
        arn = _budget_arn(self._get_param("AccountId"), self._get_param("Budget")["BudgetName"])
        _tags(self.backend)[arn] = {t["Key"]: t["Value"] for t in self._get_param("ResourceTags", [])}
        return result

    def delete_budget(self: BudgetsBackend, account_id: str, budget_name: str) -> None:
        original_delete(self, account_id, budget_name)
        _tags(self).pop(_budget_arn(account_id, budget_name), None)

    BudgetsResponse.create_budget = create_budget  # type: ignore[method-assign]
    BudgetsBackend.delete_budget = delete_budget  # type: ignore[method-assign]
    BudgetsResponse.describe_subscribers_for_notification = describe_subscribers_for_notification  # type: ignore[attr-defined]
    BudgetsResponse.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]
    BudgetsResponse.tag_resource = tag_resource  # type: ignore[attr-defined]
    BudgetsResponse.untag_resource = untag_resource  # type: ignore[attr-defined]
