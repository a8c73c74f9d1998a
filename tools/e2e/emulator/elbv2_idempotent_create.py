"""ELBv2 CreateLoadBalancer is idempotent: the same name with the same settings answers the existing load balancer.

ELBv2 API reference, CreateLoadBalancer: "This operation is idempotent, which means that it completes at most one
time. If you attempt to create multiple load balancers with the same settings, each call succeeds."
(https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html); the name is
"unique per region per account", so the same name with other settings is DuplicateLoadBalancerName. moto gives
every call a new random id, hence a new ARN: a second load balancer of the same name. An apply killed while the
provider waits for its load balancer to become active, then run again, would then leave two behind (make e2e-faults,
case 1); AWS answers the first.
"""

from typing import Any


def _settings(balancer: Any) -> tuple:
    return (
        balancer.scheme,
        balancer.type,
        balancer.ip_address_type,
        frozenset(subnet.id for subnet in balancer.subnets),
        frozenset(balancer.security_groups or []),
    )


def install() -> None:
    from moto.elbv2.exceptions import DuplicateLoadBalancerName
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        existing = [b for b in self.load_balancers.values() if b.name == name]
        created = original(self, name, *args, **kwargs)
        if not existing:
            return created
        # Undo moto's second load balancer, then answer as AWS does.
        self.load_balancers.pop(created.arn, None)
        if _settings(existing[0]) != _settings(created):
            raise DuplicateLoadBalancerName()
        return existing[0]

    ELBv2Backend.create_load_balancer = create_load_balancer  # type: ignore[method-assign]
