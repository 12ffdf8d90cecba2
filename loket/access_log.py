"""The access log of personal data: every read of a visitor's full NIK or phone number, with
who read it, when, which record and why (issue #17).

A shared table of the core, like the event outbox: the queue (a ticket at the reader's counter)
and the workflow (a case step the reader holds) both write it in their own transactions, and
the administrator reads it through the queue's admin API. It holds record ids and reasons,
never the personal data itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Index, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from loket.db import Base, Database, utcnow

# What a record is: a queue ticket or a workflow case.
RECORD_KINDS = ("ticket", "case")
PAGE_SIZE_MAX = 200
# The counter console re-reads the ticket it serves on every event of the hall: the same reader
# reading the same record for the same reason within this window is one entry, not hundreds.
REPEAT_WINDOW = dt.timedelta(minutes=5)


class AccessLogEntry(Base):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff: Mapped[str] = mapped_column(String(60), index=True)
    service: Mapped[str] = mapped_column(String(20))  # queue | workflow
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(Integer)
    fields: Mapped[str] = mapped_column(String(60))  # e.g. "nik,phone"
    reason: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_access_log_record", "record_kind", "record_id"),)


@dataclasses.dataclass(frozen=True)
class Reader:
    """Who read: a staff account, or another Loket service (id None)."""

    username: str
    staff_id: int | None


def record(session: Session, reader: Reader, service: str, record_kind: str, record_id: int,
           fields: tuple[str, ...], reason: str) -> AccessLogEntry:
    """One full read, in the caller's transaction."""
    assert record_kind in RECORD_KINDS
    entry = AccessLogEntry(at=utcnow(), staff_id=reader.staff_id, staff=reader.username[:60],
                           service=service, record_kind=record_kind, record_id=int(record_id),
                           fields=",".join(fields)[:60], reason=reason[:200])
    session.add(entry)
    return entry


def record_now(db: Database, reader: Reader, service: str, record_kind: str, record_id: int,
               fields: tuple[str, ...], reason: str) -> None:
    """One full read in a transaction of its own (for reads served from a read session),
    unless the same reader logged the same record for the same reason within
    :data:`REPEAT_WINDOW`."""
    since = utcnow() - REPEAT_WINDOW
    with db.read_session() as session:
        seen = session.scalar(select(AccessLogEntry.id).where(
            AccessLogEntry.record_kind == record_kind, AccessLogEntry.record_id == record_id,
            AccessLogEntry.staff == reader.username[:60], AccessLogEntry.reason == reason[:200],
            AccessLogEntry.at >= since).limit(1))
    if seen is not None:
        return
    with db.session() as session:
        record(session, reader, service, record_kind, record_id, fields, reason)


def entry_json(entry: AccessLogEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.isoformat(), "staff": entry.staff,
            "staff_id": entry.staff_id, "service": entry.service,
            "record": {"kind": entry.record_kind, "id": entry.record_id},
            "fields": entry.fields.split(",") if entry.fields else [], "reason": entry.reason}


@dataclasses.dataclass(frozen=True)
class AccessQuery:
    start: dt.datetime | None = None  # inclusive, UTC
    end: dt.datetime | None = None  # exclusive, UTC
    staff: str | None = None
    page: int = 1
    per_page: int = 50


def search(db: Database, query: AccessQuery) -> dict[str, Any]:
    """Newest first, one page of the entries matching the filters, and the total."""
    conditions = []
    if query.start is not None:
        conditions.append(AccessLogEntry.at >= query.start)
    if query.end is not None:
        conditions.append(AccessLogEntry.at < query.end)
    if query.staff:
        conditions.append(AccessLogEntry.staff == query.staff)
    with db.read_session() as session:
        total = int(session.scalar(select(func.count()).select_from(AccessLogEntry)
                                   .where(*conditions)) or 0)
        rows = session.scalars(select(AccessLogEntry).where(*conditions)
                               .order_by(AccessLogEntry.id.desc())
                               .offset((query.page - 1) * query.per_page)
                               .limit(query.per_page))
        return {"entries": [entry_json(e) for e in rows], "total": total,
                "page": query.page, "per_page": query.per_page}
