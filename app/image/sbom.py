"""SPDX 2.3 JSON for one image: every Debian package and Python distribution in it, with version and purl.

Scanners (grype, trivy, osv-scanner) match the purls: pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12 and
pkg:pypi/NAME@VERSION. The checksum is the SHA-256 of the .deb or wheel the layer was made from.
"""

import re
from urllib.parse import quote


def _spdx_id(kind: str, name: str) -> str:
    return f"SPDXRef-{kind}-{re.sub(r'[^A-Za-z0-9.-]', '-', name)}"


def spdx(platform: str, manifest_digest: str, created: str, debs: list[dict], dists: list[dict]) -> dict:
    image_id = "SPDXRef-image"
    packages = [
        {
            "SPDXID": image_id,
            "name": "imageshare",
            "versionInfo": manifest_digest,
            "downloadLocation": "NOASSERTION",
            "primaryPackagePurpose": "CONTAINER",
            "description": f"OCI image for {platform}",
        }
    ]
    for deb in debs:
        purl = (
            f"pkg:deb/debian/{deb['name']}@{quote(deb['version'], safe='')}?arch={deb['architecture']}&distro=debian-12"
        )
        packages.append(
            {
                "SPDXID": _spdx_id("deb", deb["name"]),
                "name": deb["name"],
                "versionInfo": deb["version"],
                "sourceInfo": f"Debian source package {deb['source']}, suite {deb['suite']}",
                "downloadLocation": "NOASSERTION",
                "packageFileName": deb["filename"].rsplit("/", 1)[-1],
                "checksums": [{"algorithm": "SHA256", "checksumValue": deb["sha256"]}],
                "externalRefs": [
                    {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}
                ],
            }
        )
    for dist in dists:
        packages.append(
            {
                "SPDXID": _spdx_id("pypi", dist["name"]),
                "name": dist["name"],
                "versionInfo": dist["version"],
                "downloadLocation": "NOASSERTION",
                "packageFileName": dist["file"],
                "checksums": [{"algorithm": "SHA256", "checksumValue": dist["sha256"]}],
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": f"pkg:pypi/{dist['name'].lower()}@{dist['version']}",
                    }
                ],
            }
        )
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"imageshare-{platform.replace('/', '-')}",
        "documentNamespace": f"urn:imageshare:image:{manifest_digest}",
        "creationInfo": {"created": created, "creators": ["Tool: app/image/build.py"]},
        "documentDescribes": [image_id],
        "packages": packages,
        "relationships": [
            {"spdxElementId": image_id, "relationshipType": "CONTAINS", "relatedSpdxElement": p["SPDXID"]}
            for p in packages[1:]
        ],
    }
