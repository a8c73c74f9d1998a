"""Run an image layout as an ECS container definition says, without a container engine (`make run-task`).

    run_task.py --layout app/build/image/linux-amd64 --definition TASKDEF.json
                [--publish CONTAINERPORT=HOSTPORT] [--connect PORT] [--volume NAME=HOSTDIR] [--env NAME=VALUE]

TASKDEF.json is a task definition (its containerDefinitions[0] and volumes are used), DescribeTaskDefinition's answer,
a synthesized stack with one aws_ecs_task_definition, or one container definition (container_definition()).
Honoured, with ECS's meaning: entryPoint and command (else the image's Entrypoint/Cmd; an entryPoint drops the
image's Cmd, as Docker does), user ("uid", "uid:gid" or a name in the image's /etc/passwd; else the image's User),
environment [{name, value}] over the image's Env, workingDirectory (else WorkingDir), readonlyRootFilesystem (the
root is a read-only bind mount), mountPoints {sourceVolume, containerPath, readOnly} (each volume a fresh empty
directory, or --volume NAME=DIR; a volume mounted where the image declares a VOLUME starts with the image's content,
owner and mode there, as ECS bind mounts do), portMappings containerPort, healthCheck (its command runs every
interval after startPeriod inside the container, through nsenter, as the container's user; the result is logged).
Other keys are listed as ignored.

How: the layers are unpacked here (digests checked) into a fresh root; `unshare --mount --pid --net --fork
--kill-child` runs stage 2 of this script, which mounts /proc, a /dev with null/zero/full/random/urandom, the
volumes and the read-only root, then chroot(2), chdir, drops to the user's uid/gid (no supplementary groups) and
execs the command as PID 1 of its own PID namespace. The container has its own network namespace (loopback only):
each containerPort is published on 127.0.0.1:HOSTPORT of this machine and each --connect PORT (the emulator) is
reachable from the container at 127.0.0.1:PORT, by proxies of this process (sockets made inside the container's
network namespace from a thread that joined it with setns(2)). SIGINT/SIGTERM stop the container (SIGTERM, then
SIGKILL after 20 s) by its pid, and remove the unpacked root.
"""

import argparse
import concurrent.futures
import ctypes
import fcntl
import io
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout import Image  # noqa: E402

HONOURED = {
    "name",
    "image",
    "entryPoint",
    "command",
    "user",
    "environment",
    "workingDirectory",
    "readonlyRootFilesystem",
    "mountPoints",
    "portMappings",
    "essential",
    "healthCheck",
}
CLONE_NEWNET = 0x40000000
DEVICES = ("null", "zero", "full", "random", "urandom")


def log(message: str) -> None:
    print(f"run-task: {message}", file=sys.stderr, flush=True)


# --- definition -> spec -------------------------------------------------------------------------------------------


def container_definition(path: Path) -> tuple[dict, list[dict]]:
    """(containerDefinitions[0], volumes) of: a task definition (RegisterTaskDefinition's shape), the answer of
    DescribeTaskDefinition ({"taskDefinition": ...}), a synthesized Terraform JSON stack with one
    aws_ecs_task_definition, or one container definition. Terraform interpolations (${...}) stay as text: override
    such values with --env."""
    document = json.loads(path.read_text())
    document = document.get("taskDefinition", document)
    resources = document.get("resource", {}).get("aws_ecs_task_definition")
    if resources is not None:
        if len(resources) != 1:
            raise SystemExit(f"run-task: {path} has {len(resources)} aws_ecs_task_definition resources, not one")
        (resource,) = resources.values()
        containers = resource["container_definitions"]
        containers = json.loads(containers) if isinstance(containers, str) else containers
        return containers[0], [{"name": v["name"]} for v in resource.get("volume", [])]
    if "containerDefinitions" in document:
        return document["containerDefinitions"][0], document.get("volumes", [])
    return document, []


def resolve_user(user: str, rootfs: Path) -> tuple[int, int]:
    name, _, group = user.partition(":")
    entries = [line.split(":") for line in (rootfs / "etc" / "passwd").read_text().splitlines() if line]
    if name.isdigit():
        uid = int(name)
        gid = next((int(e[3]) for e in entries if e[2] == name), uid)
    else:
        match = next((e for e in entries if e[0] == name), None)
        if match is None:
            raise SystemExit(f"run-task: user {name!r} is not in the image's /etc/passwd")
        uid, gid = int(match[2]), int(match[3])
    if group:
        groups = [line.split(":") for line in (rootfs / "etc" / "group").read_text().splitlines() if line]
        gid = int(group) if group.isdigit() else next(int(g[2]) for g in groups if g[0] == group)
    return uid, gid


def unpack(image: Image, rootfs: Path) -> None:
    rootfs.mkdir(parents=True)
    for tar in image.layer_tars():
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            for member in archive.getmembers():
                base, _, name = member.name.rpartition("/")
                if name.startswith(".wh."):  # OCI whiteout: the lower layer's entry is deleted
                    target = rootfs / base / name[4:]
                    shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
                    continue
                archive.extract(member, rootfs, numeric_owner=True, filter="tar")


def seed_volume(source: Path, image_path: Path) -> None:
    """ECS: a bind mount at a VOLUME path gets the image's data there, with its owner and mode."""
    if any(source.iterdir()) or not image_path.is_dir():
        return
    shutil.copytree(image_path, source, symlinks=True, dirs_exist_ok=True)
    stat = image_path.stat()
    os.chown(source, stat.st_uid, stat.st_gid)
    os.chmod(source, stat.st_mode & 0o7777)


def mount_point(rootfs: Path, container_path: str) -> Path:
    """containerPath as a directory of the root, created if missing (as Docker does); never through a symbolic link
    (an absolute link would lead the bind mount out of the root, onto this machine's own directories)."""
    parts = PurePosixPath(container_path).parts
    if not container_path.startswith("/") or ".." in parts or len(parts) < 2:
        raise SystemExit(f"run-task: containerPath {container_path!r} must be an absolute path below /")
    path = rootfs
    for part in parts[1:]:
        path = path / part
        if path.is_symlink():
            raise SystemExit(f"run-task: containerPath {container_path!r} goes through a symbolic link")
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_spec(args, image: Image, work: Path) -> dict:
    definition, task_volumes = container_definition(args.definition)
    ignored = sorted(set(definition) - HONOURED)
    if ignored:
        log(f"ignored keys of the container definition: {', '.join(ignored)}")
    config = image.config.get("config", {})
    rootfs = work / "rootfs"
    unpack(image, rootfs)
    if "entryPoint" in definition:
        argv = definition["entryPoint"] + definition.get("command", [])
    else:
        argv = config.get("Entrypoint", []) + definition.get("command", config.get("Cmd", []))
    if not argv:
        raise SystemExit("run-task: no entryPoint/command in the definition and none in the image")
    env = dict(item.split("=", 1) for item in config.get("Env", []))
    env.update({item["name"]: item["value"] for item in definition.get("environment", [])})
    env.update(dict(item.split("=", 1) for item in args.env))
    uid, gid = resolve_user(definition.get("user") or config.get("User", "0"), rootfs)
    given = dict(item.split("=", 1) for item in args.volume)
    known = {v["name"] for v in task_volumes}
    mounts = []
    for point in definition.get("mountPoints", []):
        name = point["sourceVolume"]
        if task_volumes and name not in known:
            raise SystemExit(f"run-task: mountPoints names volume {name!r}, which the task definition lacks")
        source = Path(given[name]).resolve() if name in given else work / "volumes" / name
        source.mkdir(parents=True, exist_ok=True)
        target = mount_point(rootfs, point["containerPath"])
        if point["containerPath"] in config.get("Volumes", {}):
            seed_volume(source, target)
        mounts.append(
            {"source": str(source), "target": point["containerPath"], "readOnly": point.get("readOnly", False)}
        )
    return {
        "rootfs": str(rootfs),
        "readonly": bool(definition.get("readonlyRootFilesystem", False)),
        "mounts": mounts,
        "uid": uid,
        "gid": gid,
        "cwd": definition.get("workingDirectory") or config.get("WorkingDir") or "/",
        "argv": argv,
        "env": env,
        "ports": [int(p["containerPort"]) for p in definition.get("portMappings", [])],
        "health": definition.get("healthCheck"),
    }


# --- stage 2: inside the new namespaces ---------------------------------------------------------------------------


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


def stage2(spec_path: str, go_fd: int) -> None:
    spec = json.loads(Path(spec_path).read_text())
    root = spec["rootfs"]
    mount("--make-rprivate", "/")
    mount("--bind", root, root)
    mount("-t", "proc", "-o", "nosuid,nodev,noexec", "proc", f"{root}/proc")
    mount("-t", "tmpfs", "-o", "nosuid,noexec,mode=755,size=64k", "tmpfs", f"{root}/dev")
    for device in DEVICES:
        Path(f"{root}/dev/{device}").touch()
        mount("--bind", f"/dev/{device}", f"{root}/dev/{device}")
    for item in spec["mounts"]:
        target = f"{root}/{item['target'].lstrip('/')}"
        mount("--bind", item["source"], target)
        if item["readOnly"]:
            mount("-o", "remount,bind,ro", target)
    if spec["readonly"]:
        mount("-o", "remount,bind,ro", root)
    os.read(go_fd, 1)  # the parent has set up the container's loopback network
    os.close(go_fd)
    enter(spec, spec["argv"])


def enter(spec: dict, argv: list[str]) -> None:
    """chroot into the container's root, become its user and exec argv (also how a health check runs in it)."""
    os.chroot(spec["rootfs"])
    os.chdir(spec["cwd"])
    os.setgroups([])
    os.setgid(spec["gid"])
    os.setuid(spec["uid"])
    env = spec["env"]
    program = argv[0]
    if "/" not in program:
        paths = env.get("PATH", "/usr/bin").split(":")
        program = next((f"{d}/{program}" for d in paths if os.access(f"{d}/{program}", os.X_OK)), program)
    os.execve(program, argv, env)  # noqa: S606 (the container's own command, no shell)


# --- the container's network: loopback only, joined from this process through setns(2) -----------------------------


def join_netns(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns")
    finally:
        os.close(fd)


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, 0x8913, request))[1]  # SIOCGIFFLAGS
        fcntl.ioctl(sock, 0x8914, struct.pack("16sH14x", b"lo", flags | 0x1))  # SIOCSIFFLAGS: IFF_UP


def listener(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(64)
    return sock


def pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        source.close()
        sink.close()


def forward(server: socket.socket, connect) -> None:
    """Accept on server; connect() gives the other end; bytes flow both ways until either side closes."""
    while True:
        try:
            client, _ = server.accept()
        except OSError:
            return
        try:
            upstream = connect()
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pump, args=(a.dup(), b.dup()), daemon=True).start()
        client.close()
        upstream.close()


class Task:
    def __init__(self, spec: dict, work: Path, publish: dict[int, int], connect: list[int]):
        self.spec, self.work, self.publish, self.connect = spec, work, publish, connect
        self.proc: subprocess.Popen | None = None
        self.servers: list[socket.socket] = []

    def start(self) -> None:
        spec_file = self.work / "spec.json"
        spec_file.write_text(json.dumps(self.spec))
        go_read, go_write = os.pipe()
        cmd = [
            "unshare",
            "--mount",
            "--pid",
            "--net",
            "--fork",
            "--kill-child=SIGTERM",
            sys.executable,
            str(Path(__file__).resolve()),
            "--stage2",
            str(spec_file),
            "--go-fd",
            str(go_read),
        ]
        self.proc = subprocess.Popen(cmd, pass_fds=(go_read,))
        os.close(go_read)
        try:
            netns = self._container_netns()
            inside = concurrent.futures.ThreadPoolExecutor(1, initializer=join_netns, initargs=(netns,))
            inside.submit(loopback_up).result()
            for port in self.connect:  # container 127.0.0.1:port -> this machine's 127.0.0.1:port
                server = inside.submit(listener, port).result()
                self._serve(server, lambda port=port: socket.create_connection(("127.0.0.1", port), timeout=10))
            for container_port, host_port in self.publish.items():  # this machine's 127.0.0.1:host -> container
                server = listener(host_port)
                self._serve(server, lambda p=container_port: inside.submit(self._connect_inside, p).result())
                log(f"127.0.0.1:{host_port} -> container port {container_port}")
        finally:
            os.write(go_write, b"g")
            os.close(go_write)

    @staticmethod
    def _connect_inside(port: int) -> socket.socket:
        return socket.create_connection(("127.0.0.1", port), timeout=10)

    def _serve(self, server: socket.socket, connect) -> None:
        self.servers.append(server)
        threading.Thread(target=forward, args=(server, connect), daemon=True).start()

    def _container_netns(self) -> str:
        own = os.stat("/proc/self/ns/net").st_ino
        path = f"/proc/{self.proc.pid}/ns/net"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"run-task: unshare exited with {self.proc.returncode}")
            try:
                if os.stat(path).st_ino != own:
                    return path
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        raise SystemExit("run-task: the container's network namespace did not appear")

    def health_check(self) -> bool:
        """The definition's healthCheck command, run in the container's namespaces, root and user (as ECS does)."""
        health = self.spec["health"]
        kind, *command = health["command"]
        argv = command if kind == "CMD" else ["/bin/sh", "-c", " ".join(command)]  # CMD-SHELL needs a shell
        cmd = [
            "nsenter",
            "--target",
            str(self.container_pid()),
            "--mount",
            "--net",
            "--pid",
            "--",
            sys.executable,
            str(Path(__file__).resolve()),
            "--exec",
            str(self.work / "spec.json"),
            "--",
            *argv,
        ]
        try:
            result = subprocess.run(cmd, timeout=health.get("timeout", 5), capture_output=True, check=False)
        except subprocess.TimeoutExpired:
            return False
        return result.returncode == 0

    def container_pid(self) -> int | None:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def stop(self, grace: float = 20) -> int:
        """SIGTERM to the container's PID 1 (then SIGKILL after grace); unshare exits with it."""
        for server in self.servers:
            server.close()
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        pid = self.container_pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            return self.proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layout", type=Path)
    parser.add_argument("--definition", type=Path)
    parser.add_argument("--publish", action="append", default=[], help="CONTAINERPORT=HOSTPORT (default: a free port)")
    parser.add_argument("--connect", action="append", type=int, default=[], help="host loopback port to expose")
    parser.add_argument("--volume", action="append", default=[], help="NAME=HOSTDIR for a task volume")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE added to the environment")
    parser.add_argument("--work", type=Path, help="where the root is unpacked (default: a temporary directory)")
    parser.add_argument("--stage2", help=argparse.SUPPRESS)
    parser.add_argument("--go-fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--exec", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage2:
        stage2(args.stage2, args.go_fd)
        return 127
    if args.exec:
        enter(json.loads(Path(args.exec).read_text()), args.command)
        return 127
    if os.geteuid() != 0:
        raise SystemExit("run-task: needs root (unshare, mount, chroot)")
    if not args.layout or not args.definition:
        parser.error("--layout and --definition are required")
    work = Path(tempfile.mkdtemp(prefix="run-task-", dir=args.work))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    task = None
    try:
        spec = build_spec(args, Image(args.layout), work)
        given = {int(k): int(v) for k, v in (item.split("=", 1) for item in args.publish)}
        publish = {port: given.get(port) or free_port() for port in spec["ports"]}
        task = Task(spec, work, publish, args.connect)
        log(f"uid {spec['uid']}:{spec['gid']}, cwd {spec['cwd']}, read-only root {spec['readonly']}: {spec['argv']}")
        task.start()
        print(json.dumps({"pid": task.proc.pid, "ports": publish}), flush=True)
        health = spec["health"]
        next_check = time.monotonic() + (health.get("startPeriod", 0) if health else 0)
        while not stop.wait(0.5):
            if task.proc.poll() is not None:
                log(f"the container exited with {task.proc.returncode}")
                return task.proc.returncode or 0
            if health and time.monotonic() >= next_check:
                log(f"health check: {'healthy' if task.health_check() else 'unhealthy'}")
                next_check = time.monotonic() + health.get("interval", 30)
        return 0
    finally:
        if task is not None:
            task.stop()
        shutil.rmtree(work, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
