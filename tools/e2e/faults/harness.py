"""What every fault case shares: the toolchain, the emulator, cdktf/terraform calls, the runbook, the result lines.

Every process started here is recorded and stopped by its own pid (its own process group for cdktf, which starts
terraform and the provider under it) by `Run.stop_all`, failure included.
"""

import json
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[3]
PY = ROOT / "app/.venv/bin/python"
RUNBOOK = ROOT / "docs/maintenance.md"
# E2E_FAULTS_WORK / E2E_FAULTS_RESULTS: another work directory and results file (two runs side by side).
RESULTS = Path(os.environ.get("E2E_FAULTS_RESULTS", ROOT / ".e2e/faults.txt"))
REGION = "eu-west-1"
# The emulator's fake credentials only; never a real profile.
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


class CaseFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CaseFailed(message)


class Run:
    def __init__(self, work: Path):
        self.work = work
        self.out = work / "cdktf.out"
        self.processes: list[subprocess.Popen] = []
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update(FAKE_AWS, CHECKPOINT_DISABLE="1", DISABLE_VERSION_CHECK="1", TF_IN_AUTOMATION="1")
        self.env["CDKTF_DISABLE_PLUGIN_CACHE_ENV"] = "1"
        self.lock_flag: list[str] = []
        self.provider_version = ""

    # --- processes -------------------------------------------------------------------------------------------------
    def start(self, command: list[str], log: Path, **kwargs) -> subprocess.Popen:
        """Start a process in its own process group (so that its children go with it) and remember it."""
        with log.open("w") as handle:
            process = subprocess.Popen(
                command,
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=kwargs.pop("env", self.env),
                start_new_session=True,
                **kwargs,
            )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)  # the group this process leads: its pid
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            self.stop(process)

    def run(self, command: list[str], log: Path, timeout: float = 900, **kwargs) -> subprocess.CompletedProcess:
        process = self.start(command, log, **kwargs)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(process)
            raise CaseFailed(f"{' '.join(command[:4])} did not end within {timeout}s; see {log}") from None
        return subprocess.CompletedProcess(command, process.returncode, log.read_text(), "")

    # --- toolchain and emulator ------------------------------------------------------------------------------------
    def toolchain(self) -> None:
        """The local provider mirror when there is one (as tools/e2e/run.sh does), otherwise the registry."""
        mirror = os.environ.get("E2E_PROVIDER_MIRROR", "")
        if not mirror:
            for base in ("/opt", "/usr/local/share"):
                found = sorted(Path(base).glob("**/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_v*"))
                if found:
                    mirror = str(found[0]).split("/registry.terraform.io/")[0]
                    break
        if not mirror:
            return
        versions = sorted((Path(mirror) / "registry.terraform.io/hashicorp/aws").iterdir(), key=lambda p: p.name)
        self.provider_version = versions[-1].name
        rc = self.work / "terraformrc"
        rc.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }}\n'
            '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n'
        )
        self.env["TF_CLI_CONFIG_FILE"] = str(rc)
        self.lock_flag = ["--skip-provider-lock"]

    def start_emulator(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.endpoint = f"https://127.0.0.1:{self.port}"
        state = self.work / "emulator"
        self.emulator = self.start(
            [str(PY), "-m", "emulator", "--port", str(self.port), "--state-dir", str(state)],
            self.work / "emulator.log",
            cwd=ROOT / "tools/e2e",
        )
        self.ca = state / "ca.pem"
        for _ in range(150):
            if (state / "ready").exists():
                try:
                    self.faults()
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        raise CaseFailed(f"the emulator did not start; see {self.work / 'emulator.log'}")

    def faults(self, config: dict | None = None) -> dict:
        """Read (or set, with a config) what the emulator injects: tools/e2e/emulator/faults.py."""
        data = None if config is None else json.dumps(config).encode()
        context = ssl.create_default_context(cafile=str(self.ca))
        with urllib.request.urlopen(f"{self.endpoint}/_e2e/faults", data=data, context=context, timeout=10) as answer:
            return json.loads(answer.read())

    def client(self, service: str):
        """A boto3 client of the emulator; it retries throttling like any SDK (the faults target Terraform's calls)."""
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            verify=str(self.ca),
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": 10}),
        )

    def synth(self) -> None:
        result = self.run(["npx", "cdktf", "synth", "--output", str(self.out)], self.work / "synth.log", cwd=ROOT)
        check(result.returncode == 0, f"cdktf synth failed; see {self.work / 'synth.log'}")
        command = [str(PY), "tools/e2e/overrides.py", "--out", str(self.out), "--endpoint", self.endpoint]
        command += ["--ca-bundle", str(self.ca)]
        if self.provider_version:
            command += ["--provider-version", self.provider_version]
        subprocess.run(command, cwd=ROOT, check=True)

    # --- stacks ----------------------------------------------------------------------------------------------------
    def stack_dir(self, stack: str) -> Path:
        return self.out / "stacks" / stack

    def stack_json(self, stack: str) -> dict:
        return json.loads((self.stack_dir(stack) / "cdk.tf.json").read_text())

    def backend(self, stack: str) -> dict:
        return self.stack_json(stack)["terraform"]["backend"]["s3"]

    def cdktf_flags(self) -> list[str]:
        return ["--skip-synth", *self.lock_flag, "--output", str(self.out), "--no-color"]

    def cdktf(self, verb: str, stack: str, log: Path, *extra: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return self.run(["npx", "cdktf", verb, stack, *extra, *self.cdktf_flags()], log, timeout=timeout, cwd=ROOT)

    def terraform(self, stack: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["terraform", *args],
            check=False,
            cwd=self.stack_dir(stack),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def state_resources(self, stack: str) -> list[dict]:
        shown = json.loads(self.terraform(stack, "show", "-json").stdout or "{}")
        return shown.get("values", {}).get("root_module", {}).get("resources", [])

    # --- the runbook -----------------------------------------------------------------------------------------------
    def runbook(self, name: str) -> list[str]:
        """The command lines of docs/maintenance.md's ```sh runbook=NAME block, comments dropped."""
        text = RUNBOOK.read_text()
        match = re.search(rf"^```sh runbook={re.escape(name)}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        check(match is not None, f"docs/maintenance.md has no ```sh runbook={name} block")
        lines = [line.split(" #")[0].strip() for line in match.group(1).splitlines()]
        return [line for line in lines if line and not line.startswith("#")]

    def documented(self, line: str, values: dict[str, str], log: Path, timeout: float = 900):
        """Run one runbook line as written: its <placeholders> filled in; cdktf gets the emulator run's flags
        (--skip-synth: synthesized with the emulator overrides; --skip-provider-lock: the offline mirror) and
        --auto-approve, make gets CDKTF_OUT; aws gets the emulator's endpoint and certificate."""
        for placeholder, value in values.items():
            line = line.replace(f"<{placeholder}>", value)
        check("<" not in line, f"runbook line with an unfilled placeholder: {line}")
        words = shlex.split(line)
        if words[:2] == ["npx", "cdktf"]:
            flags = [flag for flag in self.cdktf_flags() if flag not in words]
            words += flags + (["--auto-approve"] if words[2] == "deploy" else [])
        elif words[0] == "make":
            words += [f"CDKTF_OUT={self.out}"]
        env = {**self.env, "AWS_ENDPOINT_URL": self.endpoint, "AWS_CA_BUNDLE": str(self.ca)}
        env["AWS_CONFIG_FILE"] = str(self.aws_config())
        print(f"   $ {line}", flush=True)
        return self.run(words, log, timeout=timeout, cwd=ROOT, env=env)

    def aws_config(self) -> Path:
        config = self.work / "aws-config"
        config.write_text(f"[default]\nregion = {REGION}\ns3 =\n    addressing_style = path\n")
        return config


def record(case: str, injected: str, recovered: str, seconds: float) -> None:
    line = f"{case}\tinjected: {injected}\trecovered: {recovered}\t{seconds:.0f}s"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as handle:
        handle.write(line + "\n")
    print(line, flush=True)


def record_failure(case: str, reason: str) -> None:
    """One line: the failure's first line, and the first Terraform error in it, if any."""
    lines = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line).strip() for line in reason.splitlines()]
    lines = [line for line in lines if line]
    error = next((line for line in lines[1:] if "Error" in line), "")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as handle:
        handle.write(f"{case}\tFAILED: {' '.join([*lines[:1], error])[:600]}\n")


def say(message: str) -> None:
    print(message, flush=True)
    sys.stdout.flush()
