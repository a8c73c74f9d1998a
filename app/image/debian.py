"""Debian side of the image: which packages, from which archive, pinned how.

The image is built from Debian 12 "bookworm" packages: the release whose python3.11 matches the cp311 wheels of
app/requirements.lock (Debian 13 ships 3.13). `make image-lock` resolves ROOTS against the signed indexes of the
suites below and writes debian.lock.json (name, version, pool path, SHA-256 of every .deb, per architecture);
`make image` downloads exactly those files and refuses any whose hash differs. No index is read at build time.

The mirror is the one this machine's apt uses (/etc/apt/sources.list.d/*.sources or sources.list), or
DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR. A mirror keeps only the current version of a package: when a point release
or a security update replaces one, `make image` says so and `make image-lock` pins the new set (a reviewed diff).
"""

import os
import re
import subprocess
from pathlib import Path

IMAGE_DIR = Path(__file__).resolve().parent
LOCK_FILE = IMAGE_DIR / "debian.lock.json"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")

# Suite -> archive (debian or debian-security). -security carries bookworm's fixes (LTS since 2026-06).
SUITES = {"bookworm": "debian", "bookworm-updates": "debian", "bookworm-security": "debian-security"}
ARCHES = {"linux/arm64": "arm64", "linux/amd64": "amd64"}

# What the app runs on: the interpreter, its standard library, the MIME table Flask's send_file reads, and the C++
# runtime: pillow's wheel bundles libavif, which links libstdc++.so.6 (a library manylinux wheels may expect from the
# system, PEP 599/600). tests/test_libraries.py finds any other library an ELF file of the image needs.
ROOTS = ("python3.11-minimal", "libpython3.11-stdlib", "media-types", "libstdc++6")

# Dependencies declared by the roots that the app never loads. Each is left out with the standard-library modules
# that would need it (build.py deletes those modules, so nothing in the image links a library that is not there).
EXCLUDED = {
    "libreadline8": "interactive line editing (readline module); no terminal in a task",
    "libncursesw6": "curses module; no terminal",
    "libtinfo6": "terminfo for readline/curses",
    "libdb5.3": "Berkeley DB (dbm.bsd / _dbm); the app keeps no local database",
    "libnsl2": "NIS (nis module); not used",
    "libtirpc3": "Sun RPC for libnsl2 (and with it Kerberos: libgssapi-krb5-2 and its libraries)",
}
# Standard-library extension modules removed because their library is excluded above.
EXCLUDED_MODULES = ("readline", "_curses", "_curses_panel", "_dbm", "nis")


def compare_versions(a: str, b: str) -> int:
    """Debian version order via dpkg (present on any Debian/Ubuntu build host)."""
    if a == b:
        return 0
    lower = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], check=False).returncode == 0
    return -1 if lower else 1


def _sources_files() -> list[Path]:
    apt = Path("/etc/apt")
    return [
        apt / "sources.list",
        *sorted((apt / "sources.list.d").glob("*.sources")),
        *sorted((apt / "sources.list.d").glob("*.list")),
    ]


def mirrors() -> dict[str, str]:
    """Base URI per archive ("debian", "debian-security") from the environment or this machine's apt sources."""
    found: dict[str, str] = {}
    for path in _sources_files():
        if not path.is_file():
            continue
        text = path.read_text()
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M))
                for uri in fields.get("URIs", "").split():
                    for suite in fields.get("Suites", "").split():
                        if suite in SUITES:
                            found.setdefault(SUITES[suite], uri.rstrip("/"))
        else:
            for match in re.finditer(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", text, re.M):
                if match.group(2) in SUITES:
                    found.setdefault(SUITES[match.group(2)], match.group(1).rstrip("/"))
    overrides = {"debian": os.environ.get("DEBIAN_MIRROR"), "debian-security": os.environ.get("DEBIAN_SECURITY_MIRROR")}
    found.update({archive: uri for archive, uri in overrides.items() if uri})
    missing = {"debian", "debian-security"} - found.keys()
    if missing:
        raise SystemExit(f"image: no apt source for {sorted(missing)}; set DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR")
    return found
