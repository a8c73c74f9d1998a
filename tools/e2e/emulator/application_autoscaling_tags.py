"""Application Auto Scaling: tags on scalable targets.

Scalable targets take tags: RegisterScalableTarget's `Tags`, TagResource, UntagResource and ListTagsForResource on
the target's ARN (Application Auto Scaling API reference,
https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ListTagsForResource.html; an unknown ARN is a
ResourceNotFoundException). moto 5.2 implements none of the three tag operations and drops `Tags`: the provider
reads the tags after creating `aws_appautoscaling_target` (the stacks' default tags make every target tagged), got
a 500, and retried until its timeout.
"""

import json
from typing import Any

from moto.core.exceptions import JsonRESTError


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for {arn}")


def _target_by_arn(backend: Any, arn: str) -> Any:
    for by_resource in backend.targets.values():
        for target in by_resource.values():
            if target.arn == arn:
                return target
    raise ResourceNotFoundException(arn)


def _tags(target: Any) -> dict[str, str]:
    if not hasattr(target, "tags"):
        target.tags = {}
    return target.tags  # type: ignore[no-any-return]


def install() -> None:
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

    original_register = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self: Any) -> str:
        answer = original_register(self)
        given = self._get_param("Tags") or {}
        if given:
            target = _target_by_arn(self.applicationautoscaling_backend, json.loads(answer)["ScalableTargetARN"])
            _tags(target).update(given)
        return answer  # type: ignore[no-any-return]

    def list_tags_for_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        return json.dumps({"Tags": _tags(target)})

    def tag_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        _tags(target).update(self._get_param("Tags") or {})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
        for key in self._get_param("TagKeys") or []:
            _tags(target).pop(key, None)
        return json.dumps({})

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target  # type: ignore[method-assign]
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.tag_resource = tag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.untag_resource = untag_resource  # type: ignore[attr-defined]
