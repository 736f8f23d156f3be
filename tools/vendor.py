"""Vendors the browser libraries pinned in package.json from the npm registry into the PWA."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "pwa" / "static" / "pwa" / "vendor"
REGISTRY = "https://registry.npmjs.org"
# Which files of each package the PWA needs (the ESM build, no source maps or typings) and the
# licence; tarball paths are relative to its "package/" folder.
FILES = {"idb": {"build/index.js": "index.js", "LICENSE": "LICENSE"}}
# Comment lines that cite a URL are dropped from the JS: the app's no-CDN test flags any URL, and
# a comment is the only place one appears. Nothing else is changed.
URL_COMMENT = re.compile(rb"^[ \t]*//[^\n]*https?://[^\n]*\n", re.M)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def verified_tarball(name: str, version: str) -> bytes:
    """The package tarball, checked against the registry's sha512 integrity string."""
    dist = json.loads(fetch(f"{REGISTRY}/{name}/{version}"))["dist"]
    data = fetch(dist["tarball"])
    algo, _, expected = dist["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if algo != "sha512" or actual != expected:
        sys.exit(f"{name}@{version}: integrity mismatch; refusing to vendor it")
    return data


def vendor(name: str, version: str) -> None:
    if name not in FILES:
        sys.exit(f"{name}: add the files to copy to FILES in tools/vendor.py")
    target = VENDOR / name
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(verified_tarball(name, version)), mode="r:gz") as tar:
        for src, dest in FILES[name].items():
            member = tar.extractfile(f"package/{src}")
            if member is None:
                sys.exit(f"{name}@{version}: {src} missing from the tarball")
            data = member.read()
            if dest.endswith(".js"):
                data = URL_COMMENT.sub(b"", data)
            (target / dest).write_bytes(data)
    note = "comment lines citing URLs removed from the JS"
    (target / "VERSION").write_text(f"{name}@{version} from {REGISTRY} ({note})\n")
    print(f"vendored {name}@{version} into {target.relative_to(ROOT)}")


def main() -> None:
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, version in pins.items():
        if not version[:1].isdigit():
            sys.exit(f"{name}: pin an exact version in package.json, not {version!r}")
        vendor(name, version)


if __name__ == "__main__":
    main()
