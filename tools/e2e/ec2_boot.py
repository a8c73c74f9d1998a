"""The EC2 boot script, run for real in a throwaway root (issue 21's proof).

    ec2_boot.py standalone --work DIR --bundle-dir DIR --aws-cli PATH

Starts the emulator (moto, loopback), provisions the images bucket and key like production and an artifacts bucket,
renders the boot script and the release archive with the construct's own functions (tools/ec2-boot-render.ts) for
a bundle built for this machine's CPU, uploads the archive, then runs the script as root in an overlay of this
machine's / (tools/e2e/ec2boot/root.sh: every write lands in DIR/upper). Stood in for: the package install (`dnf`:
this machine already has python3.11; the stand-in checks the pinned --releasever and the package names),
`systemctl` and the CloudWatch agent's control script (recorded, not run: there is no systemd here), and the
instance metadata (credentials come from the environment instead of IMDS). Then, in the same root:
`systemd-analyze verify` on the unit the script wrote, and the unit's own ExecStart, as its User, with its
EnvironmentFile, on a socket handed over the way the unit's socket unit does (systemd-socket-activate, LISTEN_FDS),
serving an upload and the gallery; the socket listens on a free loopback port instead of the app port on every
address (this machine serves nothing beyond loopback). Every process started is stopped by its own pid.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "app"))

from checks import free_port, upload_and_serve  # noqa: E402

REGION = "eu-west-1"
RELEASE = "2023.9.20251208"
LOG_GROUP = "/imageshare/boot-test/app"
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def fail(message: str) -> None:
    sys.exit(f"ec2 boot check failed: {message}")


def stand_ins(upper: Path, aws_cli: Path, expected_release: str) -> None:
    """Write the stand-ins into the root's writable layer (they shadow nothing of the real machine)."""
    record = "/var/log/stand-ins.log"
    scripts = {
        "usr/local/sbin/dnf": f"""#!/bin/bash
# Stand-in for AL2023's dnf: check the pinned release and the packages, record the call; install nothing.
echo "dnf $*" >> {record}
[[ " $* " == *" --releasever={expected_release} "* ]] || {{ echo "dnf stand-in: release not pinned" >&2; exit 1; }}
for pkg in python3.11 python3.11-pip amazon-cloudwatch-agent; do
  [[ " $* " == *" $pkg "* ]] || {{ echo "dnf stand-in: $pkg not asked for" >&2; exit 1; }}
done
command -v python3.11 > /dev/null
""",
        "usr/local/bin/systemctl": f'#!/bin/bash\necho "systemctl $*" >> {record}\n',
        "opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl": f"""#!/bin/bash
# Stand-in for the agent's control script: the configuration it is given must be JSON naming the app log.
echo "amazon-cloudwatch-agent-ctl $*" >> {record}
config="$(echo "$*" | sed -n 's/.*-c file:\\([^ ]*\\).*/\\1/p')"
python3 -c 'import json, sys
files = json.load(open(sys.argv[1]))["logs"]["logs_collected"]["files"]
print(files["collect_list"][0]["file_path"])' "$config" >> {record}
""",
        "usr/local/bin/aws": f'#!/bin/bash\nexec {aws_cli} "$@"\n',
    }
    for relative, text in scripts.items():
        path = upper / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o755)


class ThrowawayRoot:
    def __init__(self, work: Path) -> None:
        self.upper, self.overlay_work, self.merged = work / "upper", work / "overlay-work", work / "merged"
        for path in (self.upper, self.overlay_work, self.merged):
            path.mkdir(parents=True, exist_ok=True)

    def command(self, *argv: str, env: dict[str, str]) -> list[str]:
        environment = [f"{k}={v}" for k, v in {"PATH": CHROOT_PATH, **env}.items()]
        return [
            "unshare", "--mount", "--fork", "--kill-child=SIGTERM",
            str(HERE / "ec2boot" / "root.sh"), str(self.upper), str(self.overlay_work), str(self.merged), "--",
            "/usr/bin/env", "-i", *environment, *argv,
        ]  # fmt: skip

    def run(self, *argv: str, env: dict[str, str], log: Path) -> None:
        with log.open("w") as out:
            result = subprocess.run(self.command(*argv, env=env), stdout=out, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            fail(f"{' '.join(argv)} exited {result.returncode}:\n{log.read_text()[-4000:]}")

    def file(self, path: str) -> str:
        return (self.upper / path.lstrip("/")).read_text()


def unit_settings(unit: str) -> dict[str, str]:
    settings = {}
    for line in unit.splitlines():
        match = re.match(r"^([A-Za-z]+)=(.*)$", line)
        if match:
            settings.setdefault(match.group(1), match.group(2))
    return settings


def environment_file(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def serve_unit_command(root: ThrowawayRoot, emulator_env: dict[str, str], log: Path) -> None:
    unit = unit_settings(root.file("/etc/systemd/system/imageshare.service"))
    socket_unit = unit_settings(root.file(f"/etc/systemd/system/{unit['Requires']}"))
    if not socket_unit.get("ListenStream"):
        fail(f"{unit['Requires']} has no ListenStream")
    port = free_port()
    env = {**environment_file(root.file(unit["EnvironmentFile"])), **emulator_env}
    # systemd-socket-activate passes on only the variables it is told to (-E), as systemd passes the unit's.
    passed = [f"--setenv={name}" for name in env]
    command = ["systemd-socket-activate", f"--listen=127.0.0.1:{port}", *passed, *shlex.split(unit["ExecStart"])]
    # As the unit's User, in its WorkingDirectory, no new privileges (what systemd does for User= + NoNewPrivileges).
    shell = f"cd {shlex.quote(unit['WorkingDirectory'])} && exec " + " ".join(map(shlex.quote, command))
    argv = ["setpriv", f"--reuid={unit['User']}", f"--regid={unit['Group']}", "--init-groups", "--no-new-privs"]
    with log.open("w") as out:
        app = subprocess.Popen(root.command(*argv, "/bin/sh", "-c", shell, env=env), stdout=out, stderr=out)
    socket.setdefaulttimeout(30)  # a hung app fails the check instead of hanging it
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if app.poll() is not None:
                    fail(f"the unit's command exited {app.returncode}:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        upload_and_serve(base)
        print(f"the unit's ExecStart (as {unit['User']}) served an upload and the gallery")
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def boot_and_serve(work: Path, user_data: Path, aws_cli: Path, emulator_env: dict[str, str]) -> None:
    root = ThrowawayRoot(work)
    stand_ins(root.upper, aws_cli, RELEASE)
    shutil.copy(user_data, root.upper / "user-data.sh")
    started = time.time()
    root.run("/bin/bash", "/user-data.sh", env={**CREDENTIALS, **emulator_env}, log=work / "boot.log")
    print(f"boot script: exit 0 in {time.time() - started:.0f}s (log {work / 'boot.log'})")
    calls = root.file("/var/log/stand-ins.log")
    for expected in ("dnf --assumeyes --releasever=", "systemctl enable --now imageshare.socket imageshare.service"):
        if expected not in calls:
            fail(f"the boot script never ran `{expected}`; stand-ins saw:\n{calls}")
    root.run(
        "systemd-analyze", "verify", "--man=no",
        "/etc/systemd/system/imageshare.socket", "/etc/systemd/system/imageshare.service",
        env={}, log=work / "verify.log",
    )  # fmt: skip
    findings = (work / "verify.log").read_text().strip()
    if findings:  # verify exits 0 on directives it ignores; any finding fails here
        fail(f"systemd-analyze verify found:\n{findings}")
    print("systemd-analyze verify imageshare.socket imageshare.service: no findings")
    serve_unit_command(root, {**CREDENTIALS, **emulator_env}, work / "app.log")


def standalone(args: argparse.Namespace) -> None:
    import logging

    import boto3
    from local_aws import provision, start_emulator

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's request log

    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = free_port()
    server = start_emulator(port)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        images = "imageshare-boot-test-images"
        key_arn = provision(endpoint, images)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_boto_credentials())
        artifacts = "imageshare-boot-test-artifacts"
        s3.create_bucket(Bucket=artifacts, CreateBucketConfiguration={"LocationConstraint": REGION})
        request = {
            "bundleDirectory": str(Path(args.bundle_dir).resolve()),
            "outDirectory": str(work / "render"),
            "bucket": artifacts,
            "region": REGION,
            "appPort": 8000,
            "logGroupName": LOG_GROUP,
            "al2023Release": RELEASE,
            "appEnvironment": {"AWS_REGION": REGION, "IMAGES_BUCKET": images, "KMS_KEY_ARN": key_arn},
        }
        rendered = json.loads(
            subprocess.run(
                ["npx", "ts-node", "--transpile-only", "tools/ec2-boot-render.ts", json.dumps(request)],
                cwd=ROOT, check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        s3.upload_file(rendered["archive"], artifacts, rendered["key"])
        print(f"uploaded the release archive s3://{artifacts}/{rendered['key']}")
        emulator_env = {
            "AWS_ENDPOINT_URL_S3": endpoint,
            "S3_ENDPOINT_URL": endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        boot_and_serve(work, Path(rendered["userData"]), Path(args.aws_cli).resolve(), emulator_env)
    finally:
        server.stop()
        # The throwaway root goes (its symlinks point into a root that no longer exists); the logs stay.
        for layer in ("upper", "overlay-work", "merged"):
            shutil.rmtree(work / layer, ignore_errors=True)


def _boto_credentials() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["standalone"])
    parser.add_argument("--work", required=True)
    parser.add_argument("--bundle-dir", required=True)
    parser.add_argument("--aws-cli", required=True)
    args = parser.parse_args()
    if os.geteuid() != 0:
        fail("needs root (unshare --mount, overlay, chroot)")
    standalone(args)


if __name__ == "__main__":
    main()
