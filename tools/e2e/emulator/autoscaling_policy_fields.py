"""EC2 Auto Scaling policies as DescribePolicies returns them: `Enabled`, and no empty predictive configuration.

PutScalingPolicy takes `Enabled` ("Indicates whether the scaling policy is enabled or disabled. The default is
enabled", Auto Scaling API reference,
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html) and DescribePolicies returns it
on every ScalingPolicy. moto 5.2 neither stores nor returns it, so the provider read `enabled = false` back for every
aws_autoscaling_policy and planned `false -> true` after each apply. AWS returns PredictiveScalingConfiguration only
on PredictiveScaling policies (ScalingPolicy data type, API_ScalingPolicy.html); moto returns an empty one on every
policy, which the provider reads as a block and plans to remove.
"""

from typing import Any

from moto.autoscaling.models import FakeScalingPolicy
from moto.autoscaling.responses import AutoScalingResponse


def install() -> None:
    # AWS's default for a policy created without the parameter.
    FakeScalingPolicy.enabled = True  # type: ignore[attr-defined]
    original = AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self: AutoScalingResponse) -> Any:
        result = original(self)
        name = self._get_param("PolicyName")
        group = self._get_param("AutoScalingGroupName")
        for policy in self.autoscaling_backend.policies.values():
            if policy.name == name and policy.auto_scaling_group_name == group:
                policy.enabled = self._get_bool_param("Enabled", True)
                if not policy.predictive_scaling_configuration:
                    policy.predictive_scaling_configuration = None
        return result

    AutoScalingResponse.put_scaling_policy = put_scaling_policy  # type: ignore[method-assign]
