"""`make image-lock`: pin the Debian packages of the image (debian.lock.json) from bookworm's signed indexes.

For each suite: InRelease checked with gpgv against debian-archive-keyring, Packages.xz checked against the SHA-256
InRelease lists, then the dependency closure of debian.ROOTS (Depends and Pre-Depends, first satisfiable
alternative, highest version across suites) minus debian.EXCLUDED, per architecture.
"""

import hashlib
import json
import lzma
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import debian  # noqa: E402


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http(s) mirror from apt sources)
        return response.read()


def verified_release(base: str, suite: str) -> str:
    data = fetch(f"{base}/dists/{suite}/InRelease")
    with tempfile.NamedTemporaryFile(suffix=".InRelease") as signed:
        signed.write(data)
        signed.flush()
        subprocess.run(
            ["gpgv", "--quiet", "--keyring", str(debian.KEYRING), signed.name], check=True, capture_output=True
        )
    return data.decode()


def packages_index(base: str, suite: str, arch: str, release: str) -> list[dict[str, str]]:
    name = f"main/binary-{arch}/Packages.xz"
    sha256 = re.search(r"^SHA256:\n((?: .*\n)+)", release, re.M).group(1)
    expected = next(line.split()[0] for line in sha256.splitlines() if line.split()[2] == name)
    raw = fetch(f"{base}/dists/{suite}/{name}")
    if hashlib.sha256(raw).hexdigest() != expected:
        raise SystemExit(f"image-lock: {suite} {name} does not match its InRelease hash")
    stanzas = []
    for block in lzma.decompress(raw).decode().split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", block, re.M))
        if "Package" in fields:
            stanzas.append({**fields, "Suite": suite})
    return stanzas


def best_versions(stanzas: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    best: dict[str, dict[str, str]] = {}
    for stanza in stanzas:
        current = best.get(stanza["Package"])
        if current is None or debian.compare_versions(stanza["Version"], current["Version"]) > 0:
            best[stanza["Package"]] = stanza
    return best


def relations(stanza: dict[str, str]) -> list[list[str]]:
    """Depends + Pre-Depends as a list of alternatives (names only; version constraints hold in one release)."""
    groups = []
    for field in ("Pre-Depends", "Depends"):
        for group in filter(None, (g.strip() for g in stanza.get(field, "").split(","))):
            groups.append([re.split(r"[\s(:]", alt.strip())[0] for alt in group.split("|")])
    return groups


def resolve(best: dict[str, dict[str, str]], left_out: set[str]) -> list[dict[str, str]]:
    provides: dict[str, str] = {}
    for name, stanza in sorted(best.items()):
        for virtual in filter(None, (p.strip() for p in stanza.get("Provides", "").split(","))):
            provides.setdefault(re.split(r"[\s(]", virtual)[0], name)
    chosen: dict[str, dict[str, str]] = {}
    todo = list(debian.ROOTS)
    while todo:
        name = todo.pop()
        if name in debian.EXCLUDED:
            left_out.add(name)
            continue
        if name in chosen:
            continue
        chosen[name] = best[name]
        for group in relations(best[name]):
            left_out.update(alt for alt in group if alt in debian.EXCLUDED)
            if any(alt in chosen or alt in debian.EXCLUDED for alt in group):
                continue
            real = next((alt for alt in group if alt in best), None) or next(
                (provides[alt] for alt in group if alt in provides), None
            )
            if real is None:
                raise SystemExit(f"image-lock: nothing satisfies {' | '.join(group)} (needed by {name})")
            todo.append(real)
    return [chosen[name] for name in sorted(chosen)]


def main() -> int:
    bases = debian.mirrors()
    releases = {suite: verified_release(bases[archive], suite) for suite, archive in debian.SUITES.items()}
    lock = {
        "comment": "Written by `make image-lock` (app/image/lock_debian.py); `make image` installs exactly these.",
        "suites": {s: re.search(r"^Date: (.*)$", r, re.M).group(1) for s, r in releases.items()},
        "roots": list(debian.ROOTS),
        "excluded": {},
        "packages": {},
    }
    left_out: set[str] = set()
    for platform, arch in debian.ARCHES.items():
        stanzas = [
            s
            for suite, archive in debian.SUITES.items()
            for s in packages_index(bases[archive], suite, arch, releases[suite])
        ]
        lock["packages"][platform] = [
            {
                "name": s["Package"],
                "version": s["Version"],
                "architecture": s["Architecture"],
                "source": s.get("Source", s["Package"]).split()[0],
                "suite": s["Suite"],
                "filename": s["Filename"],
                "size": int(s["Size"]),
                "sha256": s["SHA256"],
            }
            for s in resolve(best_versions(stanzas), left_out)
        ]
    # Dependencies declared by the packages above that the image leaves out, with the reason (debian.EXCLUDED).
    lock["excluded"] = {name: debian.EXCLUDED[name] for name in sorted(left_out)}
    debian.LOCK_FILE.write_text(json.dumps(lock, indent=2) + "\n")
    for platform, packages in lock["packages"].items():
        print(f"image-lock: {platform}: {len(packages)} packages -> {debian.LOCK_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
