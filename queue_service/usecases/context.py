"""What every queue use case runs with: the database, Redis, settings and per-process caches,
and the unit of work that records events in the transaction and publishes them after it."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from loket import events as ev
from loket.crypto import data_cipher
from loket.db import Database
from loket.settings import Settings
from queue_service.security import DataCipher


class TtlCache:
    """A few values remembered for ``seconds`` in this process; cleared when it grows past
    ``max_size`` (stale keys, e.g. yesterday's lines, are never looked up again)."""

    def __init__(self, seconds: float, max_size: int) -> None:
        self.seconds = seconds
        self.max_size = max_size
        self._items: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any) -> Any | None:
        item = self._items.get(key)
        return item[1] if item is not None and item[0] > time.monotonic() else None

    def put(self, key: Any, value: Any) -> None:
        if len(self._items) > self.max_size:
            self._items.clear()
        self._items[key] = (time.monotonic() + self.seconds, value)

    def pop(self, key: Any) -> None:
        self._items.pop(key, None)


# A kiosk presents its token with every request; an active device is remembered this long per
# process (a deactivated token therefore stops working within these seconds).
DEVICE_CACHE_SECONDS = 2.0
# The typical minutes per visitor change when a visitor is finished; issuing, hundreds of times a
# second at peak, reuses the figure this long (a finish in this process refreshes it at once).
MINUTES_CACHE_SECONDS = 2.0
# A staff account's token version and active flag (loket.staff_sessions.CACHE_SECONDS).
SESSION_CACHE_SECONDS = 2.0


@dataclasses.dataclass
class QueueContext:
    db: Database
    redis: Any
    settings: Settings
    # token digest -> Principal of an active device
    device_cache: TtlCache = dataclasses.field(
        default_factory=lambda: TtlCache(DEVICE_CACHE_SECONDS, 1000))
    # (service id, day) -> typical minutes per visitor; see issuing.issue_minutes
    minutes_cache: TtlCache = dataclasses.field(
        default_factory=lambda: TtlCache(MINUTES_CACHE_SECONDS, 200))
    # staff id -> SessionState (token version, active); see usecases/sessions.py
    session_cache: TtlCache = dataclasses.field(
        default_factory=lambda: TtlCache(SESSION_CACHE_SECONDS, 5000))

    @functools.cached_property
    def cipher(self) -> DataCipher:
        return data_cipher(self.settings)


class UnitOfWork:
    """One transaction of the queue. Its events are inserted last, just before the commit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.events: list[ev.Event] = []
        self._added = 0

    def record(self, type_: str, payload: dict[str, Any]) -> ev.Event:
        event = ev.new_event(ev.STREAM_QUEUE, type_, payload)
        self.events.append(event)
        return event

    def flush_events(self) -> None:
        """Insert the events recorded so far (they get their ids); the stream lock is taken."""
        ev.add_events(self.session, ev.STREAM_QUEUE, self.events[self._added:])
        self._added = len(self.events)


@contextlib.contextmanager
def unit_of_work(ctx: QueueContext) -> Iterator[UnitOfWork]:
    """Commit explicitly (roll back on any error), then publish the recorded events."""
    with ctx.db.session() as session:
        uow = UnitOfWork(session)
        yield uow
        uow.flush_events()
    if uow.events:
        ev.publish_soon(ctx.db, ctx.redis, uow.events)
