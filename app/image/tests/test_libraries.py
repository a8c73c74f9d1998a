"""Every shared library a program, stdlib module or wheel of the image links is in the image (both architectures).

The arm64 image cannot run on this machine (no binfmt_misc): this reads each ELF's DT_NEEDED, RPATH and RUNPATH
and resolves them the way ld.so does (RPATH/RUNPATH with $ORIGIN, then the multiarch and plain lib directories).
"""

import io
import struct
import tarfile
from pathlib import PurePosixPath

import pytest
from conftest import PLATFORMS

TRIPLET = {"linux/amd64": "x86_64-linux-gnu", "linux/arm64": "aarch64-linux-gnu"}
MACHINE = {"linux/amd64": 62, "linux/arm64": 183}  # e_machine: EM_X86_64, EM_AARCH64


def dynamic(data: bytes) -> tuple[int, list[str], list[str]]:
    """(e_machine, DT_NEEDED names, RPATH+RUNPATH entries) of a little-endian ELF64 file."""
    machine = struct.unpack_from("<H", data, 0x12)[0]
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dyn = [], None
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 2:
            dyn = (p_offset, p_filesz)
    if dyn is None:
        return machine, [], []
    entries = [struct.unpack_from("<qQ", data, dyn[0] + o) for o in range(0, dyn[1], 16)]
    strtab_vaddr = next(v for t, v in entries if t == 5)
    strtab = next(off + strtab_vaddr - vaddr for vaddr, off, size in loads if vaddr <= strtab_vaddr < vaddr + size)

    def string(offset: int) -> str:
        return data[strtab + offset : data.index(b"\0", strtab + offset)].decode()

    needed = [string(v) for t, v in entries if t == 1]
    paths = [p for t, v in entries if t in (15, 29) for p in string(v).split(":")]
    return machine, needed, paths


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_needed_library_resolves_inside_the_image(images, platform):
    image = images[platform]
    names, elves = set(), {}
    for tar in image.layer_tars():
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            for member in archive.getmembers():
                names.add(member.name)
                if member.isfile() and member.size > 64:
                    head = archive.extractfile(member).read()
                    if head[:4] == b"\x7fELF":
                        elves[member.name] = dynamic(head)
    assert "usr/bin/python3.11" in elves
    triplet = TRIPLET[platform]
    default = [f"lib/{triplet}", f"usr/lib/{triplet}", "lib", "usr/lib"]
    missing = []
    for path, (machine, needed, rpaths) in sorted(elves.items()):
        assert machine == MACHINE[platform], f"{path} is for another architecture"
        origin = str(PurePosixPath(path).parent)
        search = [r.replace("$ORIGIN", "/" + origin).lstrip("/") for r in rpaths] + default
        for library in needed:
            candidates = {str(PurePosixPath(d) / library) for d in search}
            if not any(_resolve(c) in names for c in candidates):
                missing.append(f"{path}: {library}")
    assert missing == [], missing


def _resolve(path: str) -> str:
    """Collapse ".." (pillow's $ORIGIN/../pillow.libs)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
