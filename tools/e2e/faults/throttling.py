"""Case 2: AWS throttles a seeded fraction of Terraform's requests; the applies converge through the provider's own
retries (nothing in the stacks changes). Throttling covers the state stack's deploy and every step of case 1, whose
runbook (docs/maintenance.md, "A killed apply") is also the one for an apply that gave up under throttling."""

import os
import time
from typing import Self

from .harness import Run, check, record

FRACTION = float(os.environ.get("E2E_FAULTS_THROTTLE", "0.1"))
SEED = 24
# Terraform's calls only (the provider's and the S3 backend's User-Agent both name it); the checks' own calls are not.
USER_AGENT = "Terraform/"
CODES = ("ThrottlingException", "RequestLimitExceeded", "SlowDown")


class Throttling:
    def __init__(self, run: Run):
        self.run = run

    def __enter__(self) -> Self:
        self.started = time.time()
        self.run.faults({"throttle": {"fraction": FRACTION, "seed": SEED, "user_agent": USER_AGENT}})
        return self

    def __exit__(self, *exc) -> None:
        snapshot = self.run.faults()
        self.run.faults({})
        self.snapshot = snapshot
        if exc[0] is None:
            self.report(snapshot)

    def report(self, snapshot: dict) -> None:
        refused = snapshot["refused"]
        total = sum(refused.values())
        check(all(refused.get(code, 0) > 0 for code in CODES), f"not every kind of throttling was answered: {refused}")
        by_code = ", ".join(f"{code} {refused.get(code, 0)}" for code in CODES)
        by_service = ", ".join(f"{k} {v}" for k, v in sorted(snapshot["by_service"].items()))
        record(
            "2 throttling",
            f"{total} of {snapshot['requests']} answers to Terraform throttled (fraction {FRACTION}, seed {SEED}):"
            f" {by_code}; by service: {by_service}",
            "deploy state, the killed deploy and its runbook recovery (apply, empty diff) converged through the"
            " provider's retries, no change to the stacks",
            time.time() - self.started,
        )
