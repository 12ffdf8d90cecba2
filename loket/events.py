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
import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, insert, select, text, update
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

    Deadlock-free as long as a transaction takes no row lock after it: :func:`record` callers
    take it before their row locks, :func:`add_events` after all of them.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": STREAM_LOCKS.get(stream, 0x4C4F4B00)})


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
    _check_payload(payload)
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


Message = tuple[int, str, str, dict[str, Any]]  # id, stream, type, message


def messages_of(events: Iterable[Event]) -> list[Message]:
    return [(e.id, e.stream, e.type, e.as_message()) for e in events]


def _send(redis_client: Any, messages: Sequence[Message]) -> None:
    """Dispatch to consumers, then publish to Redis in one round trip."""
    for _event_id, stream, type_, message in messages:
        _dispatch_to_consumers(stream, type_, message)
    pipe = redis_client.pipeline(transaction=False)
    for _event_id, stream, _type, message in messages:
        pipe.publish(CHANNEL_PREFIX + stream, json.dumps(message, ensure_ascii=False))
    pipe.execute()


def _mark_published(db: Database, ids: Sequence[int]) -> int:
    with db.session() as session:
        result = session.execute(
            update(Event).where(Event.id.in_(list(ids)), Event.published_at.is_(None))
            .values(published_at=utcnow())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _hand_on(db: Database, redis_client: Any, messages: Sequence[Message]) -> int:
    """Hand on, then mark the rows published (only after every one was handed on)."""
    _send(redis_client, messages)
    return _mark_published(db, [m[0] for m in messages])


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
        messages = messages_of(session.scalars(query.order_by(Event.id).limit(limit)))
    if not messages:
        return 0
    return _hand_on(db, redis_client, messages)


def publish_after_commit(db: Database, redis_client: Any, ids: Iterable[int]) -> None:
    """Best effort right after a commit; on failure the beat relay publishes them later."""
    try:
        publish_pending(db, redis_client, ids=ids)
    except Exception as exc:
        logger.warning("event publish deferred to the relay: %s", type(exc).__name__)


class Publisher:
    """Publishes committed events of this process from memory, off the request thread.

    A request hands its events over (:meth:`submit`) and answers at once. One thread per
    process and database sends them on to Redis and the consumers as soon as they come, many
    per round trip when requests come fast, and marks them published afterwards, in one UPDATE
    per :attr:`MARK_EVERY` seconds. Nothing is lost if it fails or the process dies: unmarked
    rows are the relay's (``loket.relay_events``), which may therefore send an event twice;
    consumers are idempotent and SSE readers read rows by id, so a Redis message is only a
    wake-up.
    """

    IDLE_SECONDS = 30.0  # the thread ends after this long without work; submit restarts it
    BATCH = 500
    MARK_EVERY = 0.2
    # After the first event, how long to gather more into the same Redis round trip: a busy
    # hall sends bursts in one pipeline, a TV sees a call at most this much later.
    GATHER_SECONDS = 0.003

    _instances: dict[tuple[int, int, int], Publisher] = {}
    _instances_lock = threading.Lock()

    def __init__(self, db: Database, redis_client: Any) -> None:
        self.db = db
        self.redis = redis_client
        self.queue: queue.SimpleQueue[list[Message]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._in_flight = 0  # submissions not yet sent and marked (or given up)

    @classmethod
    def for_(cls, db: Database, redis_client: Any) -> Publisher:
        key = (os.getpid(), id(db), id(redis_client))
        with cls._instances_lock:
            publisher = cls._instances.get(key)
            if publisher is None:
                publisher = cls._instances[key] = cls(db, redis_client)
            return publisher

    def submit(self, messages: list[Message]) -> None:
        if not messages:
            return
        with self._lock:
            self._in_flight += 1
            self.queue.put(messages)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="loket-publisher",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        import time

        sent: list[int] = []  # ids handed on, not yet marked
        done = 0  # submissions behind ``sent``
        mark_at = 0.0
        while True:
            timeout = self.IDLE_SECONDS if not sent else max(0.0, mark_at - time.monotonic())
            try:
                batch = list(self.queue.get(timeout=timeout))
                taken = 1
            except queue.Empty:
                if sent:
                    done = self._mark(sent, done)
                    sent = []
                    continue
                with self._lock:
                    if self.queue.empty():
                        self._thread = None
                        return
                continue
            gather_until = time.monotonic() + self.GATHER_SECONDS
            while len(batch) < self.BATCH:
                try:
                    batch.extend(self.queue.get(timeout=max(0.0, gather_until - time.monotonic())))
                    taken += 1
                except queue.Empty:
                    break
            try:
                _send(self.redis, batch)
            except Exception as exc:  # Redis away: the relay takes these over
                logger.warning("event publish deferred to the relay: %s", type(exc).__name__)
                self._finished(taken)
                continue
            if not sent:
                mark_at = time.monotonic() + self.MARK_EVERY
            sent.extend(m[0] for m in batch)
            done += taken
            if len(sent) >= self.BATCH:
                done = self._mark(sent, done)
                sent = []

    def _mark(self, ids: list[int], submissions: int) -> int:
        try:
            _mark_published(self.db, ids)
        except Exception as exc:  # the relay sends them again and marks them
            logger.warning("marking events published failed: %s", type(exc).__name__)
        self._finished(submissions)
        return 0

    def _finished(self, submissions: int) -> None:
        with self._lock:
            self._in_flight -= submissions

    @classmethod
    def wait_all_idle(cls, timeout: float = 5.0) -> bool:
        """Every publisher of this process: see :meth:`wait_idle`."""
        with cls._instances_lock:
            publishers = list(cls._instances.values())
        idle = True
        for publisher in publishers:  # wait for each, even after one timed out
            idle = publisher.wait_idle(timeout) and idle
        return idle

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Tests and shutdown: wait until everything submitted was sent and marked."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._in_flight == 0:
                    return True
            time.sleep(0.005)
        return False


def publish_soon(db: Database, redis_client: Any, events: Iterable[Event]) -> None:
    """After a commit: publish these events from memory on the process's publisher thread."""
    Publisher.for_(db, redis_client).submit(messages_of(events))


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


def wait_for_wakeup(pubsub: Any, timeout: float, drain: int = 1000) -> bool:
    """Block until a Redis message arrives or ``timeout`` passes; False if Redis is down.

    Messages that are already waiting are drained too: the caller reads every new row from the
    database in one query, however many wake-ups a burst of events sent.
    """
    try:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
        if message is None:
            return False
        for _ in range(drain):
            if pubsub.get_message(ignore_subscribe_messages=True, timeout=0) is None:
                break
        return True
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
