"""Case 2: AWS throttles a seeded fraction of Terraform's requests; the applies converge through the provider's own
retries (nothing in the stacks changes). Throttling covers the state stack's deploy and every apply and diff of
case 1, so the recovery apply of a killed deploy is also proven under throttling."""

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

    def check_converged(self) -> None:
        """docs/maintenance.md, runbook=throttling, still throttled: the diff after the throttled applies."""
        for number, line in enumerate(self.run.runbook("throttling")):
            result = self.run.documented(line, {}, self.run.work / f"throttling-step{number}.log")
            check(result.returncode == 0, f"runbook step failed under throttling: {line}\n{result.stdout[-3000:]}")
            if "cdktf diff" in line:
                check("No changes" in result.stdout, f"not an empty diff under throttling:\n{result.stdout[-3000:]}")

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
            "deploy state, the killed deploy's recovery apply and every diff converged through the provider's"
            " retries, no change to the stacks",
            time.time() - self.started,
        )
