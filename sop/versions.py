"""Immutable SOP versions: a content-addressed archive of snapshots.

A published version is the canonical JSON of an SOP's content (``Sop.snapshot()``), stored as
``<archive>/<code>/<sha256>.json`` where the file's bytes hash to its name. A case pins the
hash when it starts (and may store the snapshot itself); ``load_version(hash)`` returns that
exact version later, from the live catalog if it is still current or from the archive.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from sop.catalog import Catalog
from sop.errors import SopValidationError
from sop.model import Sop

DEFAULT_VERSIONS_DIR = Path(__file__).parent / "versions"
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")


class SopVersionNotFound(KeyError):
    """No SOP version with this content hash is loaded or archived."""


@dataclass(frozen=True)
class Published:
    code: str
    version: str
    content_hash: str
    path: Path
    created: bool


def _archived(directory: Path, code: str) -> list[tuple[str, str]]:
    """(version, hash) of every archived snapshot of ``code``."""
    out = []
    folder = directory / code
    if folder.is_dir():
        for file in sorted(folder.glob("*.json")):
            try:
                version = json.loads(file.read_text(encoding="utf-8")).get("version")
            except (OSError, ValueError, AttributeError):
                continue
            out.append((str(version), file.stem))
    return out


def publish(catalog: Catalog, directory: str | Path | None = None) -> list[Published]:
    """Write a snapshot of every SOP not yet archived. Idempotent.

    Refuses (SopValidationError) when an SOP's ``version`` string is already archived with
    different content: changed content needs a new version label.
    """
    root = Path(directory) if directory is not None else DEFAULT_VERSIONS_DIR
    results = []
    for sop in catalog.all():
        digest = sop.content_hash
        target = root / sop.code / f"{digest}.json"
        if target.exists():
            results.append(Published(sop.code, sop.version, digest, target, False))
            continue
        for version, other in _archived(root, sop.code):
            if version == sop.version and other != digest:
                raise SopValidationError(
                    catalog.source / f"{sop.code}.yaml" if catalog.source else None,
                    f"versi '{sop.version}' sudah diterbitkan dengan isi lain ({other[:12]}); "
                    "naikkan 'version'",
                    sop_code=sop.code, field="version",
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(sop.snapshot().encode("utf-8"))
        tmp.replace(target)
        results.append(Published(sop.code, sop.version, digest, target, True))
    return results


def load_version(
    content_hash: str,
    directory: str | Path | None = None,
    catalog: Catalog | None = None,
) -> Sop:
    """Return the exact SOP version with this content hash."""
    if not isinstance(content_hash, str) or not _HASH_RE.match(content_hash):
        raise SopVersionNotFound(f"hash versi SOP tidak valid: {content_hash!r}")
    if catalog is not None:
        current = catalog.by_hash(content_hash)
        if current is not None:
            return current
    root = Path(directory) if directory is not None else DEFAULT_VERSIONS_DIR
    matches = sorted(root.glob(f"*/{content_hash}.json")) if root.is_dir() else []
    if not matches:
        raise SopVersionNotFound(f"versi SOP tidak ditemukan: {content_hash}")
    file = matches[0]
    data = file.read_bytes()
    if hashlib.sha256(data).hexdigest() != content_hash:
        raise SopValidationError(file, "isi arsip tidak cocok dengan hash-nya (berkas diubah?)")
    try:
        sop = Sop.from_snapshot(data)
    except (ValidationError, ValueError) as exc:
        raise SopValidationError(file, f"arsip versi SOP tidak valid: {exc}") from exc
    return sop
