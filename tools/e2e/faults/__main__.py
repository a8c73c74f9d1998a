"""make e2e-faults (issue 24): recovery from a killed apply, a throttling AWS, an S3 outage under load and a
broken state object, against real Terraform + the AWS provider and the patched emulator on 127.0.0.1.

Each case appends one line to .e2e/faults.txt. The work directory is .e2e-faults/ (not .e2e/, which `make e2e`
recreates while it runs beside this). E2E_FAULTS_CASES=1,2,3,4 selects cases (2 needs 1: it throttles its applies).
"""

import os
import shutil
import sys
import time
from pathlib import Path

from . import killed_apply, state_object, storage_outage
from .harness import RESULTS, ROOT, CaseFailed, Run, check, record_failure, say
from .throttling import Throttling


def deploy_state(run: Run) -> None:
    """The state stack as users create it: `make state-bootstrap`'s script (its state ends in its own bucket)."""
    env = {**run.env, "AUTO_APPROVE": "1", "STATE_FILE": str(run.work / "terraform.state.tfstate")}
    command = [str(ROOT / "scripts" / "state-bootstrap.sh"), str(run.out)]
    result = run.run(command, run.work / "deploy-state.log", env=env, cwd=ROOT)
    check(result.returncode == 0, f"state bootstrap failed:\n{result.stdout[-3000:]}")


def attempt(run: Run, number: str, case) -> str | None:
    try:
        case(run)
    except CaseFailed as failure:
        record_failure(number, str(failure))
        return f"case {number}: {failure}"
    return None


def main() -> int:
    cases = set(os.environ.get("E2E_FAULTS_CASES", "1,2,3,4").split(","))
    work = Path(os.environ.get("E2E_FAULTS_WORK", ROOT / ".e2e-faults"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("")
    run = Run(work)
    started = time.time()
    try:
        run.toolchain()
        run.start_emulator()
        run.synth()
        say(f"== e2e-faults: emulator {run.endpoint}, synthesized in {time.time() - started:.0f}s")
        if "2" in cases:
            with Throttling(run):
                deploy_state(run)
                killed_apply.case(run)
        else:
            deploy_state(run)
            if "1" in cases:
                killed_apply.case(run)
            else:
                result = run.cdktf("deploy", killed_apply.STACK, run.work / "deploy-app.log", "--auto-approve")
                check(result.returncode == 0, f"cdktf deploy {killed_apply.STACK} failed:\n{result.stdout[-3000:]}")
        # Cases 4 and 3 only need the deployed stacks: one failing does not stop the other. The outage first: it
        # reads the bucket and key from a state that case 3 damages (and restores).
        failures = [
            failure
            for number, module in (("4", storage_outage), ("3", state_object))
            if number in cases and (failure := attempt(run, number, module.case))
        ]
    except CaseFailed as failure:
        record_failure("1-2" if cases & {"1", "2"} else "setup", str(failure))
        failures = [f"{failure}"]
    finally:
        run.stop_all()
    if failures:
        for failure in failures:
            print(f"e2e-faults failed: {failure}", file=sys.stderr)
        return 1
    shutil.copy(RESULTS, work / "faults.txt")
    say(f"== e2e-faults: {time.time() - started:.0f}s in all; {RESULTS}:")
    say(RESULTS.read_text().rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
