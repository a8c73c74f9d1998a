"""`make push`: copy one image layout to a registry with skopeo, then read its digest back and compare.

    push.py LAYOUT REPOSITORY [--tag TAG] [--insecure-loopback]

REPOSITORY is `<registry>/<name>`: the app stack's ECR repository URL (its output, see docs/image.md), or
127.0.0.1:PORT/NAME for the loopback test registry. The tag defaults to `<arch>-<first 12 hex of the digest>`: with
ECR's immutable tags a tag is never moved, and the task definition names the image by digest anyway.

Credentials, never on a command line (a process list shows arguments): REGISTRY_PASSWORD (user REGISTRY_USER,
default AWS), else for an ECR host the output of `aws ecr get-login-password --region <region of the host>`.
They go to a mode-0600 auth file in a private temporary directory, given to skopeo as --dest-authfile (the same
as `--dest-creds AWS:<token>`, without the token in argv), deleted afterwards.
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout import Image  # noqa: E402

ECR_HOST = re.compile(r"^\d{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")
LOOPBACK = re.compile(r"^127\.0\.0\.1:\d+$")


def registry_password(host: str) -> tuple[str, str] | None:
    if os.environ.get("REGISTRY_PASSWORD"):
        return os.environ.get("REGISTRY_USER", "AWS"), os.environ["REGISTRY_PASSWORD"]
    match = ECR_HOST.match(host)
    if match is None:
        return None
    token = subprocess.run(
        ["aws", "ecr", "get-login-password", "--region", match.group(2)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return "AWS", token


def skopeo(*args: str) -> str:
    result = subprocess.run(["skopeo", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"push: skopeo {args[0]} failed:\n{result.stderr}")
    return result.stdout


def push(layout_dir: Path, repository: str, tag: str | None, insecure_loopback: bool) -> str:
    image = Image(layout_dir)
    host = repository.split("/", 1)[0]
    if "/" not in repository or not (ECR_HOST.match(host) or LOOPBACK.match(host) or "." in host):
        raise SystemExit(f"push: {repository!r} is not <registry>/<name> (e.g. the ECR repository URL)")
    if insecure_loopback and not LOOPBACK.match(host):
        raise SystemExit("push: --insecure-loopback is only for a registry on 127.0.0.1")
    arch = image.config["architecture"]
    tag = tag or f"{arch}-{image.digest.split(':', 1)[1][:12]}"
    ref = image.descriptor["annotations"]["org.opencontainers.image.ref.name"]
    tls = ["--dest-tls-verify=false"] if insecure_loopback else []
    with tempfile.TemporaryDirectory(prefix="push-") as private:
        auth = []
        creds = registry_password(host)
        if creds is not None:
            authfile = Path(private) / "auth.json"
            fd = os.open(authfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            secret = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
            with os.fdopen(fd, "w") as out:
                json.dump({"auths": {host: {"auth": secret}}}, out)
            auth = ["--dest-authfile", str(authfile)]
        skopeo(
            "copy",
            "--quiet",
            "--preserve-digests",
            *tls,
            *auth,
            f"oci:{layout_dir}:{ref}",
            f"docker://{repository}:{tag}",
        )
        src_tls = ["--tls-verify=false"] if insecure_loopback else []
        src_auth = ["--authfile", auth[1]] if auth else []
        pushed = json.loads(skopeo("inspect", "--raw", *src_tls, *src_auth, f"docker://{repository}:{tag}"))
        digest = skopeo("inspect", "--format", "{{.Digest}}", *src_tls, *src_auth, f"docker://{repository}:{tag}")
    digest = digest.strip()
    if digest != image.digest or pushed["config"]["digest"] != image.manifest["config"]["digest"]:
        raise SystemExit(f"push: the registry has {digest} for {repository}:{tag}, the layout {image.digest}")
    return f"{repository}@{digest}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("layout", type=Path)
    parser.add_argument("repository", nargs="?", default=os.environ.get("IMAGE_REPOSITORY", ""))
    parser.add_argument("--tag")
    parser.add_argument("--insecure-loopback", action="store_true", help="plain HTTP to a 127.0.0.1 registry")
    args = parser.parse_args()
    if not args.repository:
        parser.error("give the repository URL (REPOSITORY=... or IMAGE_REPOSITORY): the app stack's output")
    print(f"pushed: {push(args.layout.resolve(), args.repository, args.tag, args.insecure_loopback)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
