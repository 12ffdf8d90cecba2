"""Rotating the data key (issue #17): re-encrypt every encrypted column under the current key.

Every table's ``*_enc`` binary columns hold Fernet tokens of the data key (see
:mod:`loket.crypto`); a table with ``nik_enc`` and ``nik_index`` also keeps the NIK's blind
index, keyed from the data key. With the new key in ``LOKET_DATA_KEY`` and the old one in
``LOKET_DATA_KEYS_OLD``, :func:`rotate` walks every such table in batches (one short
transaction each), re-encrypts each token not yet under the new key and recomputes the blind
index. Tokens already under the new key are left alone, so a second run changes nothing and an
interrupted run can simply be started again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import LargeBinary, Table, or_, select, update

from loket.crypto import DataCipher
from loket.db import Base, Database

BATCH = 500


@dataclasses.dataclass
class RotationReport:
    checked: int = 0  # encrypted values looked at
    rotated: int = 0  # re-encrypted under the new key
    indexed: int = 0  # blind indexes recomputed
    unreadable: int = 0  # no key opens them (left as they are)
    tables: dict[str, int] = dataclasses.field(default_factory=dict)


def encrypted_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns
            if c.name.endswith("_enc") and isinstance(c.type, LargeBinary)]


def encrypted_tables() -> list[Table]:
    from loket.models_registry import import_all_models

    import_all_models()
    return [t for t in Base.metadata.sorted_tables
            if encrypted_columns(t) and len(t.primary_key.columns) == 1]


def _row_changes(row: Any, columns: list[str], indexed: bool, cipher: DataCipher,
                 report: RotationReport) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in columns:
        token = row._mapping[name]
        if not token:
            continue
        report.checked += 1
        if cipher.is_current(token):
            continue
        rotated = cipher.rotate(token)
        if rotated is None:
            report.unreadable += 1
            continue
        changes[name] = rotated
        report.rotated += 1
    if indexed:
        nik = cipher.decrypt(changes.get("nik_enc") or row._mapping["nik_enc"])
        index = cipher.nik_index(nik) if nik else None
        if nik and index != row._mapping["nik_index"]:
            changes["nik_index"] = index
            report.indexed += 1
    return changes


def _rotate_table(db: Database, table: Table, cipher: DataCipher,
                  report: RotationReport) -> None:
    columns = encrypted_columns(table)
    indexed = "nik_enc" in columns and "nik_index" in table.columns
    pk = next(iter(table.primary_key.columns))
    wanted = [pk, *(table.c[n] for n in columns)] + ([table.c.nik_index] if indexed else [])
    last = None
    while True:
        with db.session() as session:
            query = (select(*wanted).where(or_(*(table.c[n].is_not(None) for n in columns)))
                     .order_by(pk).limit(BATCH))
            if last is not None:
                query = query.where(pk > last)
            rows = session.execute(query).all()
            for row in rows:
                changes = _row_changes(row, columns, indexed, cipher, report)
                if changes:
                    session.execute(update(table).where(pk == row[0]).values(**changes))
                    report.tables[table.name] = report.tables.get(table.name, 0) + 1
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def rotate(db: Database, cipher: DataCipher) -> RotationReport:
    """Re-encrypt every encrypted column (and the NIK blind index) under ``cipher``'s key."""
    report = RotationReport()
    for table in encrypted_tables():
        _rotate_table(db, table, cipher, report)
    return report
