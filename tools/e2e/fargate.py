"""The e2e steps of a stack whose compute runs the container image (compute.kind "fargate", issue 20).

    fargate.py register --out DIR --stack S --endpoint URL --ca PEM
        Puts the image `make image` built into the emulated ECR the way a push ends: PutImage with the layout's
        manifest bytes, its media type, the `<arch>-<12 hex>` tag `make push` uses and the digest; the digest ECR
        answers must be the layout's (the emulator has no registry API to receive layers: docs/deploy.md).
    fargate.py destroy --out DIR --stack REGISTRY-STACK --endpoint URL --ca PEM --lock-flag FLAGS
        The registry stack's destroy refuses while the repository holds an image (DeleteRepository:
        RepositoryNotEmptyException; `force_delete` is off); once the images are deleted, everything goes.
    fargate.py run --out DIR --stack S --endpoint URL --ca PEM --emulator-port P --outputs FILE
        Runs the linux/amd64 image with app/image/run_task.py from the SYNTHESIZED task definition of the stack:
        command, user, environment, port, mounts and read-only root are the stack's (only the references Terraform
        resolved are filled in from its state); the emulator's endpoint, certificate and fake credentials are added,
        as ECS would add the task role's credentials. Then an upload and the gallery go through the container.

The process started here is stopped by its own pid in `finally`.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app" / "image"))

from checks import cdktf, client, fail, stack_json, state_addresses, terraform, upload_and_serve  # noqa: E402
from layout import Image  # noqa: E402

LAYOUTS = ROOT / "app" / "build" / "image"
RUNNER = ROOT / "app" / "image" / "run_task.py"
PLATFORM_DIR = {"ARM64": "linux-arm64", "X86_64": "linux-amd64"}


def only(resources: dict, what: str) -> dict:
    if len(resources) != 1:
        fail(f"expected one {what}, found {sorted(resources)}")
    return next(iter(resources.values()))


def task_definition(stack: dict) -> dict:
    return only(stack["resource"].get("aws_ecs_task_definition", {}), "aws_ecs_task_definition")


def register(args: argparse.Namespace) -> None:
    stack = stack_json(args)
    lookup = only(stack.get("data", {}).get("aws_ecr_image", {}), "aws_ecr_image lookup")
    platform = task_definition(stack)["runtime_platform"]["cpu_architecture"]
    image = Image(LAYOUTS / PLATFORM_DIR[platform])
    if image.digest != lookup["image_digest"]:
        fail(f"the stack names {lookup['image_digest']}, the {platform} layout holds {image.digest}: run make image")
    manifest = image.blob(image.digest).decode("utf-8")
    tag = f"{image.config['architecture']}-{image.digest.split(':', 1)[1][:12]}"
    ecr = client(args, "ecr")
    pushed = ecr.put_image(
        repositoryName=lookup["repository_name"],
        imageManifest=manifest,
        imageManifestMediaType=image.manifest["mediaType"],
        imageTag=tag,
        imageDigest=image.digest,
    )["image"]["imageId"]
    detail = ecr.describe_images(repositoryName=lookup["repository_name"], imageIds=[{"imageDigest": image.digest}])
    size = detail["imageDetails"][0]["imageSizeInBytes"]
    if pushed["imageDigest"] != image.digest:
        fail(f"ECR answered {pushed['imageDigest']} for the manifest of {image.digest}")
    print(f"ecr: {lookup['repository_name']}:{tag} = {image.digest} ({size / 2**20:.1f} MiB of layers)")


def state_value(args: argparse.Namespace, reference: str) -> str:
    """The value Terraform recorded for a `${type.name.attribute}` reference of the stack."""
    address, attribute = reference[2:-1].rsplit(".", 1)
    shown = terraform(args, "state", "show", "-no-color", address).stdout
    found = re.search(rf"^\s+{re.escape(attribute)}\s+=\s+\"([^\"]*)\"", shown, re.M)
    if not found:
        fail(f"no {attribute} of {address} in the state")
    return found.group(1)


def resolved(args: argparse.Namespace, value: str) -> str:
    return re.sub(r"\$\{[^}]+\}", lambda m: state_value(args, m.group(0)), value)


def runnable_definition(args: argparse.Namespace) -> dict:
    """The stack's task definition, in RegisterTaskDefinition's shape, with Terraform's references resolved."""
    definition = task_definition(stack_json(args))
    containers = json.loads(definition["container_definitions"])
    for container in containers:
        for variable in container.get("environment", []):
            variable["value"] = resolved(args, variable["value"])
    return {"containerDefinitions": containers, "volumes": [{"name": v["name"]} for v in definition["volume"]]}


def start_runner(work: Path, definition: dict, extra: list[str]) -> tuple[subprocess.Popen, dict]:
    path = work / "taskdef.json"
    path.write_text(json.dumps(definition, indent=2))
    command = [sys.executable, str(RUNNER), "--layout", str(LAYOUTS / "linux-amd64"), "--definition", str(path)]
    runner = subprocess.Popen(
        [*command, "--work", str(work), *extra],
        stdout=subprocess.PIPE,
        stderr=open(work / "run-task.log", "w"),
        text=True,
    )
    line = runner.stdout.readline()
    if not line:
        fail(f"run_task.py exited with {runner.wait()}: see {work / 'run-task.log'}")
    return runner, json.loads(line)


def wait_healthy(base: str, runner: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - the container on loopback
                return
        except OSError:
            if runner.poll() is not None:
                fail("the container stopped before /healthz answered")
            if time.monotonic() > deadline:
                fail("/healthz never answered")
            time.sleep(0.5)


def run(args: argparse.Namespace) -> None:
    definition = runnable_definition(args)
    container = definition["containerDefinitions"][0]
    port = container["portMappings"][0]["containerPort"]
    work = Path(tempfile.mkdtemp(prefix="fargate-run-", dir=Path(args.out).parent))
    # The emulator's certificate reaches the container on its one writable volume (the image has no CA for it).
    scratch = work / "volume"
    scratch.mkdir(mode=0o700)
    shutil.copy(args.ca, scratch / "emulator-ca.pem")
    uid, gid = (int(n) for n in container["user"].split(":"))
    for path in (scratch, scratch / "emulator-ca.pem"):
        os.chown(path, uid, gid)
    [mount] = container["mountPoints"]
    emulator = {
        "S3_ENDPOINT_URL": args.endpoint,
        "AWS_CA_BUNDLE": f"{mount['containerPath']}/emulator-ca.pem",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    extra = ["--connect", str(args.emulator_port), "--volume", f"{mount['sourceVolume']}={scratch}"]
    for name, value in emulator.items():
        extra += ["--env", f"{name}={value}"]
    runner, info = start_runner(work, definition, extra)
    try:
        base = f"http://127.0.0.1:{info['ports'][str(port)]}"
        wait_healthy(base, runner)
        print(
            f"image: {container['image'].rsplit('@', 1)[-1][:19]}... (amd64 build of the same source) runs as "
            f"{container['user']}, read-only root, port {port}, from the synthesized task definition"
        )
        upload_and_serve(base)
    finally:
        runner.send_signal(signal.SIGTERM)
        try:
            runner.wait(timeout=40)
        except subprocess.TimeoutExpired:
            runner.kill()
            runner.wait()
    shutil.rmtree(work, ignore_errors=True)


def destroy(args: argparse.Namespace) -> None:
    stack = stack_json(args)
    repository = only(stack["resource"]["aws_ecr_repository"], "aws_ecr_repository")["name"]
    refused = cdktf(args, "destroy", args.stack, "--auto-approve")
    log = refused.stdout + refused.stderr
    (Path(args.out).parent / f"destroy-{args.stack}.log").write_text(log)
    if refused.returncode == 0 or "RepositoryNotEmptyException" not in log:
        fail(f"destroying {args.stack} with an image stored did not refuse with RepositoryNotEmptyException")
    ecr = client(args, "ecr")
    images = ecr.list_images(repositoryName=repository)["imageIds"]
    ecr.batch_delete_image(repositoryName=repository, imageIds=images)
    result = cdktf(args, "destroy", args.stack, "--auto-approve")
    if result.returncode != 0:
        fail(f"destroying the emptied {args.stack} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    left = {a for a in state_addresses(args) if not a.startswith("data.")}
    if left:
        fail(f"after destroying {args.stack}: {sorted(left)} left")
    print(
        f"cdktf destroy {args.stack}: refused while {repository} held {len(images)} image(s) "
        "(RepositoryNotEmptyException); after BatchDeleteImage every resource is gone"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["register", "run", "destroy"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--emulator-port", type=int)
    parser.add_argument("--lock-flag", default="")
    args = parser.parse_args()
    {"register": register, "run": run, "destroy": destroy}[args.step](args)


if __name__ == "__main__":
    main()
