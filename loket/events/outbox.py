"""The transactional outbox: the event table and recording events in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from loket.db import Base, utcnow
from loket.events.locks import STREAM_LOCKS, lock_stream
from loket.events.privacy import check_payload


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)

    __table_args__ = (
        Index("ix_event_stream_id", "stream", "id"),
        Index("ix_event_unpublished", "published_at", "id"),
        # The workflow's case sweep reads the recent ``ticket.serving`` events.
        Index("ix_event_type_created", "type", "created_at"),
    )

    def as_message(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "at": self.created_at.isoformat(),
                **self.payload}



_INSERT_EVENT = insert(Event).returning(Event.id)


def _insert_event_locked() -> Any:
    """PostgreSQL: take the stream lock and insert the event in one round trip.

    The row to insert is selected from the CTE that takes the lock, so the id (the column's
    sequence) is drawn only once the lock is held.
    """
    from sqlalchemy import bindparam, func

    from loket.db import UTCDateTime

    lock = select(func.pg_advisory_xact_lock(bindparam("lock_key")).label("locked")) \
        .cte("stream_lock")
    row = select(bindparam("stream", type_=String(16)), bindparam("type", type_=String(40)),
                 bindparam("payload", type_=JSON()),
                 bindparam("created_at", type_=UTCDateTime())).select_from(lock)
    return (insert(Event).from_select(["stream", "type", "payload", "created_at"], row)
            .returning(Event.id))


_INSERT_EVENT_LOCKED = _insert_event_locked()


def new_event(stream: str, type_: str, payload: dict[str, Any]) -> Event:
    """An event not yet in any transaction (its payload checked); see :func:`add_events`."""
    check_payload(payload)
    return Event(stream=stream, type=type_, payload=payload, created_at=utcnow())


def record(session: Session, stream: str, type_: str, payload: dict[str, Any]) -> Event:
    """Add an event to the caller's transaction (the outbox).

    Readers stream a stream's events in id order and remember the last id sent. On PostgreSQL
    two transactions could commit their ids out of order, and a reader that had already moved
    past the later id would never see the earlier one: a call missing from the TV. A
    transaction-scoped advisory lock per stream, taken before the id is drawn, makes the ids of
    one stream commit in order. (SQLite writers are serialised by BEGIN IMMEDIATE already.)
    """
    event = new_event(stream, type_, payload)
    lock_stream(session, stream)
    session.add(event)
    return event


def add_events(session: Session, stream: str, pending: Sequence[Event]) -> None:
    """Insert events collected during a unit of work, as its last statements before COMMIT.

    The stream lock is taken here, after every row lock the transaction needed, and held only
    for the insert and the commit: ids still commit in order, and writers of the stream wait for
    each other only that long (a unit of work that records events mid-way with :func:`record`
    holds the lock from there to its commit instead).
    """
    if not pending:
        return
    session.flush()  # every other change first: no row lock is taken after the stream lock
    conn = session.connection()
    locked = conn.dialect.name != "postgresql"  # SQLite: BEGIN IMMEDIATE serialises writers
    for event in pending:  # one prepared INSERT each, in order: ids follow the recording order
        values = {"stream": event.stream, "type": event.type, "payload": event.payload,
                  "created_at": event.created_at}
        if locked:
            event.id = conn.execute(_INSERT_EVENT, values).scalar_one()
        else:
            values["lock_key"] = STREAM_LOCKS.get(stream, 0x4C4F4B00)
            event.id = conn.execute(_INSERT_EVENT_LOCKED, values).scalar_one()
            locked = True


def events_after(session: Session, stream: str, after_id: int, limit: int = 500,
                 types: Iterable[str] | None = None) -> list[Event]:
    query = select(Event).where(Event.stream == stream, Event.id > after_id)
    if types is not None:
        query = query.where(Event.type.in_(list(types)))
    return list(session.scalars(query.order_by(Event.id).limit(limit)))


def last_event_id(session: Session, stream: str) -> int:
    value = session.scalar(
        select(Event.id).where(Event.stream == stream).order_by(Event.id.desc()).limit(1)
    )
    return int(value or 0)
