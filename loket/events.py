"""Events that cross services: names, payload rules and the transactional outbox.

Every state change writes an :class:`Event` row in the same transaction as the change. After the
commit, :func:`publish_pending` (the relay) publishes unpublished rows to Redis as a wake-up
signal; SSE endpoints read the rows themselves by id, so a client that reconnects with
``Last-Event-ID`` never misses one, and nothing is lost while Redis is down.

Payloads carry ticket numbers, counters, case codes and steps, never a name, NIK or phone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from loket.db import Base, Database, utcnow

logger = logging.getLogger(__name__)

STREAM_QUEUE = "queue"
STREAM_WORKFLOW = "workflow"

# Queue events (consumed by displays, consoles and the workflow service).
TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_RECALLED = "ticket.recalled"
TICKET_SERVING = "ticket.serving"
TICKET_DONE = "ticket.done"
TICKET_NO_SHOW = "ticket.no_show"
TICKET_ON_HOLD = "ticket.on_hold"
TICKET_RESUMED = "ticket.resumed"
TICKET_TRANSFERRED = "ticket.transferred"
TICKET_CANCELLED = "ticket.cancelled"
TICKET_CLOSED = "ticket.closed"
COUNTER_UPDATED = "counter.updated"
ANNOUNCEMENT_UPDATED = "announcement.updated"
KIOSK_FAULT = "kiosk.fault"

# Workflow events (consumed by the consoles and the dashboard).
CASE_OPENED = "case.opened"
STEP_ACTIVATED = "step.activated"
STEP_COMPLETED = "step.completed"
STEP_RETURNED = "step.returned"
STEP_RESUBMITTED = "step.resubmitted"
STEP_REJECTED = "step.rejected"
STEP_REASSIGNED = "step.reassigned"
SLA_REMINDER = "sla.reminder"
SLA_BREACH = "sla.breach"
SLA_ESCALATION = "sla.escalation"
CASE_CLOSED = "case.closed"

# Keys that identify a person. An event payload carrying one is a bug; we refuse it.
FORBIDDEN_KEYS = frozenset({"nik", "phone", "visitor", "nik_masked", "email", "address",
                            "applicant", "contact"})
# "name" is a person's name except where it names a counter, a service or the office.
NAMED_THINGS = frozenset({"counter", "service", "office", "from_service", "to_service"})

CHANNEL_PREFIX = "loket:events:"


class PersonalDataInEvent(ValueError):
    pass


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
    )

    def as_message(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "at": self.created_at.isoformat(),
                **self.payload}


def _check_payload(value: Any, path: str = "", parent: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FORBIDDEN_KEYS or (key == "name" and parent not in NAMED_THINGS):
                raise PersonalDataInEvent(f"event payload carries personal data at {path}{key}")
            _check_payload(item, f"{path}{key}.", key)
    elif isinstance(value, list):
        for item in value:
            _check_payload(item, path, parent)


STREAM_LOCKS = {STREAM_QUEUE: 0x4C4F4B01, STREAM_WORKFLOW: 0x4C4F4B02}


def lock_stream(session: Session, stream: str) -> None:
    """Take the stream's transaction lock (PostgreSQL; a no-op elsewhere). Re-entrant.

    A unit of work that will record events takes it *first*, before any row lock, so that
    transactions always acquire locks in the same order and cannot deadlock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": STREAM_LOCKS.get(stream, 0x4C4F4B00)})


def record(session: Session, stream: str, type_: str, payload: dict[str, Any]) -> Event:
    """Add an event to the caller's transaction (the outbox).

    Readers stream a stream's events in id order and remember the last id sent. On PostgreSQL
    two transactions could commit their ids out of order, and a reader that had already moved
    past the later id would never see the earlier one: a call missing from the TV. A
    transaction-scoped advisory lock per stream, taken before the id is drawn, makes the ids of
    one stream commit in order. (SQLite writers are serialised by BEGIN IMMEDIATE already.)
    """
    _check_payload(payload)
    lock_stream(session, stream)
    event = Event(stream=stream, type=type_, payload=payload, created_at=utcnow())
    session.add(event)
    return event


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


def publish_pending(db: Database, redis_client: Any, ids: Iterable[int] | None = None,
                    limit: int = 500) -> int:
    """The relay: hand unpublished events to consumers and Redis; return how many it marked.

    Safe to run from several processes at once and safe to repeat: consumers are idempotent,
    subscribers treat a message as a wake-up only, and rows are marked published only after
    every one was handed on. If Redis is down this raises and the rows stay for next time.
    """
    with db.read_session() as session:
        query = select(Event).where(Event.published_at.is_(None))
        if ids is not None:
            query = query.where(Event.id.in_(list(ids)))
        pending = list(session.scalars(query.order_by(Event.id).limit(limit)))
        messages = [(e.id, e.stream, e.type, e.as_message()) for e in pending]
    if not messages:
        return 0
    for _event_id, stream, type_, message in messages:
        _dispatch_to_consumers(stream, type_, message)
        redis_client.publish(CHANNEL_PREFIX + stream, json.dumps(message, ensure_ascii=False))
    with db.session() as session:
        result = session.execute(
            update(Event).where(Event.id.in_([m[0] for m in messages]),
                                Event.published_at.is_(None))
            .values(published_at=utcnow())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def publish_after_commit(db: Database, redis_client: Any, ids: Iterable[int]) -> None:
    """Best effort right after a commit; on failure the beat relay publishes them later."""
    try:
        publish_pending(db, redis_client, ids=ids)
    except Exception as exc:
        logger.warning("event publish deferred to the relay: %s", type(exc).__name__)


# Queue events that the workflow service acts on, and the Celery task that receives each.
TASK_ROUTES: dict[tuple[str, str], str] = {
    (STREAM_QUEUE, TICKET_SERVING): "workflow.on_queue_event",
}


def _dispatch_to_consumers(stream: str, type_: str, message: dict[str, Any]) -> None:
    task = TASK_ROUTES.get((stream, type_))
    if task is not None:
        from loket.celery_app import producer

        # retry=False: if the broker is down, fail now and leave the row for the relay.
        producer().send_task(task, args=[message], retry=False)


def sse_format(event: Event) -> str:
    data = json.dumps(event.as_message(), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def wait_for_wakeup(pubsub: Any, timeout: float) -> bool:
    """Block until a Redis message arrives or ``timeout`` passes; False if Redis is down."""
    try:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
        return message is not None
    except Exception:  # Redis went away: the caller falls back to polling the database
        return False


def iter_sse(db: Database, redis_factory: Any, stream: str, after_id: int, *,
             keepalive: float = 15.0, poll: float = 1.0,
             types: Iterable[str] | None = None,
             accept: Any = None) -> Iterator[str]:
    """Yield SSE frames for ``stream`` after ``after_id`` forever.

    Reads rows from the database (the source of truth). Redis pub/sub only shortens the wait;
    when Redis is down it polls every ``poll`` seconds.
    """
    import time

    pubsub = None
    last_sent = time.monotonic()
    try:
        yield "retry: 2000\n\n"
        while True:
            if pubsub is None:
                try:
                    pubsub = redis_factory().pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(CHANNEL_PREFIX + stream)
                except Exception:
                    pubsub = None
            with db.read_session() as session:
                batch = events_after(session, stream, after_id, types=types)
            for event in batch:
                after_id = event.id
                if accept is None or accept(event):
                    yield sse_format(event)
                    last_sent = time.monotonic()
            if batch and len(batch) >= 500:
                continue
            if time.monotonic() - last_sent >= keepalive:
                yield ": keepalive\n\n"
                last_sent = time.monotonic()
            if pubsub is not None:
                woke = wait_for_wakeup(pubsub, poll if batch else min(keepalive, 5.0))
                if not woke:
                    try:
                        pubsub.ping()
                    except Exception:
                        _close(pubsub)
                        pubsub = None
            else:
                time.sleep(poll)
    finally:  # the client went away (GeneratorExit) or the server stops
        if pubsub is not None:
            _close(pubsub)


def _close(pubsub: Any) -> None:
    try:
        pubsub.close()
    except Exception:
        logger.debug("closing a pub/sub connection failed", exc_info=True)
