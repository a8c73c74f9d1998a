"""Read an OCI image layout (one image): its manifest, config and layers. Used by run_task.py and the tests."""

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path


class Image:
    def __init__(self, root: Path, ref: str | None = None):
        self.root = Path(root)
        index = json.loads((self.root / "index.json").read_text())
        manifests = index["manifests"]
        if ref is not None:
            manifests = [
                m for m in manifests if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref
            ]
        if len(manifests) != 1:
            raise SystemExit(f"{root}: expected one image{f' named {ref}' if ref else ''}, found {len(manifests)}")
        self.descriptor = manifests[0]
        self.digest = self.descriptor["digest"]
        self.manifest = json.loads(self.blob(self.digest))
        self.config = json.loads(self.blob(self.manifest["config"]["digest"]))
        self._members: dict[str, tarfile.TarInfo] | None = None

    def blob(self, digest: str) -> bytes:
        data = (self.root / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise SystemExit(f"{self.root}: blob {digest} does not match its digest")
        return data

    def layer_tars(self) -> list[bytes]:
        """Uncompressed layer tars, each checked against the config's diff_ids."""
        tars = []
        for descriptor, diff_id in zip(self.manifest["layers"], self.config["rootfs"]["diff_ids"], strict=True):
            tar = gzip.decompress(self.blob(descriptor["digest"]))
            if "sha256:" + hashlib.sha256(tar).hexdigest() != diff_id:
                raise SystemExit(f"{self.root}: layer {descriptor['digest']} does not match diff_id {diff_id}")
            tars.append(tar)
        return tars

    def members(self) -> dict[str, tarfile.TarInfo]:
        """The merged file system: path -> tar member of the last layer that has it (no whiteouts are written)."""
        if self._members is not None:
            return self._members
        merged: dict[str, tarfile.TarInfo] = {}
        for tar in self.layer_tars():
            with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
                for member in archive.getmembers():
                    merged[member.name] = member
        self._members = merged
        return merged

    def read(self, paths: set[str]) -> dict[str, bytes]:
        """Contents of regular files as the merged file system has them, in one pass over the layers."""
        found = {}
        for tar in self.layer_tars():
            with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
                for member in archive.getmembers():
                    if member.name in paths and member.isfile():
                        found[member.name] = archive.extractfile(member).read()
        return found
