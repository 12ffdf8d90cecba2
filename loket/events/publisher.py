"""Publishing committed events: the relay, and the publisher thread of each process."""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, update

from loket.db import Database, utcnow
from loket.events.names import CHANNEL_PREFIX
from loket.events.outbox import Event
from loket.events.routing import dispatch_to_consumers

logger = logging.getLogger("loket.events")

Message = tuple[int, str, str, dict[str, Any]]  # id, stream, type, message


def messages_of(events: Iterable[Event]) -> list[Message]:
    return [(e.id, e.stream, e.type, e.as_message()) for e in events]


def _send(redis_client: Any, messages: Sequence[Message]) -> None:
    """Dispatch to consumers, then publish to Redis in one round trip."""
    for _event_id, stream, type_, message in messages:
        dispatch_to_consumers(stream, type_, message)
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
