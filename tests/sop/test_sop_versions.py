"""Content hashes identify an SOP version exactly; archived versions come back intact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sop import Catalog, SopValidationError, load_catalog, load_version, publish
from sop.versions import DEFAULT_VERSIONS_DIR, SopVersionNotFound
from tests.sop.conftest import Mutator

pytestmark = pytest.mark.unit


def test_hash_is_sha256_of_the_snapshot_and_stable(catalog: Catalog) -> None:
    again = load_catalog()
    for sop in catalog:
        snapshot = catalog.snapshot(sop.code)
        assert sop.content_hash == hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
        assert again.get(sop.code).content_hash == sop.content_hash
        # Canonical: sorted keys, no whitespace between tokens.
        assert snapshot == json.dumps(json.loads(snapshot), sort_keys=True,
                                      ensure_ascii=False, separators=(",", ":"))
    assert len({s.content_hash for s in catalog}) == len(catalog)


def test_hash_ignores_yaml_formatting(data_dir: Path, catalog: Catalog) -> None:
    path = data_dir / "kk.yaml"
    path.write_text("# a new comment\n" + path.read_text(encoding="utf-8") + "\n\n",
                    encoding="utf-8")
    assert load_catalog(data_dir).get("kk").content_hash == catalog.get("kk").content_hash


def test_hash_changes_when_content_changes(mutate: Mutator, data_dir: Path,
                                           catalog: Catalog) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["steps"][3]["time_standard_text"] = "2 hari"

    mutate("kk", edit)
    changed = load_catalog(data_dir)
    assert changed.get("kk").content_hash != catalog.get("kk").content_hash
    assert changed.get("ektp").content_hash == catalog.get("ektp").content_hash


def test_publish_and_load_exact_version(mutate: Mutator, data_dir: Path,
                                        tmp_path: Path) -> None:
    archive = tmp_path / "versions"
    old = load_catalog(data_dir)
    first = publish(old, archive)
    assert all(r.created for r in first)
    assert not any(r.created for r in publish(old, archive))  # idempotent
    old_hash = old.get("kk").content_hash

    def edit(d: dict[str, Any]) -> None:
        d["version"] = "2026.1"
        d["steps"][3]["time_standard_text"] = "2 hari"

    mutate("kk", edit)
    new = load_catalog(data_dir)
    publish(new, archive)
    pinned = load_version(old_hash, archive, catalog=new)
    assert pinned.step("4").time_standard == "P3D"
    assert pinned.version == "2017.2"
    assert pinned.content_hash == old_hash
    assert load_version(new.get("kk").content_hash, archive, catalog=new) is new.get("kk")


def test_same_version_label_with_other_content_is_refused(mutate: Mutator, data_dir: Path,
                                                          tmp_path: Path) -> None:
    archive = tmp_path / "versions"
    publish(load_catalog(data_dir), archive)
    mutate("kk", lambda d: d["steps"][3].update(time_standard_text="2 hari"))
    with pytest.raises(SopValidationError, match="SOP 'kk', kolom 'version'"):
        publish(load_catalog(data_dir), archive)


def test_tampered_archive_is_detected(catalog: Catalog, tmp_path: Path) -> None:
    archive = tmp_path / "versions"
    (result, *_) = publish(catalog, archive)
    result.path.write_text(result.path.read_text().replace("5 menit", "50 menit"))
    with pytest.raises(SopValidationError, match="tidak cocok"):
        load_version(result.content_hash, archive)


def test_unknown_hash(tmp_path: Path) -> None:
    with pytest.raises(SopVersionNotFound):
        load_version("0" * 64, tmp_path)
    with pytest.raises(SopVersionNotFound):
        load_version("not-a-hash", tmp_path)


def test_shipped_archive_holds_the_current_versions(catalog: Catalog) -> None:
    """`sop publish` was run for the shipped data: every current version is archived."""
    for sop in catalog:
        try:
            archived = load_version(sop.content_hash, DEFAULT_VERSIONS_DIR)
        except SopVersionNotFound:
            pytest.fail(f"SOP {sop.code!r} changed: bump 'version' and run `loket sop publish`")
        assert archived.content() == sop.content()
        assert archived.to_json() == sop.to_json()
