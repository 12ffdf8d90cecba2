"""What every workflow use case works with: the catalog, the calendar, and a unit of work.

A :class:`UnitOfWork` is one transaction. Events are collected while it runs, inserted as its
last statements (the stream lock is taken after every row lock), committed with it, and only
THEN published: nobody hears of a case or a step that a rollback took back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import events as ev
from loket.db import Database
from loket.settings import Settings
from workflow_service.domain import BusinessCalendar
from workflow_service.models import CalendarOverride


@dataclasses.dataclass
class WorkflowContext:
    db: Database
    redis: Any
    settings: Settings
    # The queue's WSGI app when the hall mounts both in one process (set by the composition
    # root); the staff list is then read without a network hop, else over HTTP.
    queue_wsgi: Any = None


class UnitOfWork:
    """One transaction of the workflow and the events it will publish once committed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.events: list[ev.Event] = []
        self._added = 0
        self._adopted: list[int] = []

    def record(self, type_: str, payload: dict[str, Any]) -> ev.Event:
        event = ev.new_event(ev.STREAM_WORKFLOW, type_, payload)
        self.events.append(event)
        return event

    def mark(self) -> int:
        """A point to :meth:`discard` back to when a savepoint is rolled back."""
        return len(self.events)

    def discard(self, mark: int) -> None:
        del self.events[max(mark, self._added):]

    def flush_events(self) -> None:
        """Insert the events recorded so far (they get their ids)."""
        ev.add_events(self.session, ev.STREAM_WORKFLOW, self.events[self._added:])
        self._added = len(self.events)

    def adopt(self, event_ids: list[int]) -> None:
        """Events the reception use cases already inserted on this session; published with
        the rest once the unit of work commits."""
        self._adopted.extend(event_ids)

    @property
    def event_ids(self) -> list[int]:
        return self._adopted + [e.id for e in self.events[:self._added]]


@contextlib.contextmanager
def session_work(session: Session) -> Iterator[UnitOfWork]:
    """A unit of work inside a session the caller commits (tests, benchmarks, scripts).

    Its events are inserted at the end of the block; the relay publishes them after commit.
    """
    uow = UnitOfWork(session)
    yield uow
    uow.flush_events()


@contextlib.contextmanager
def unit_of_work(db: Database, redis: Any = None) -> Iterator[UnitOfWork]:
    """Commit, then publish (best effort; the relay publishes whatever this misses)."""
    with db.session() as session, session_work(session) as uow:
        yield uow
    if uow.event_ids and redis is not None:
        ev.publish_after_commit(db, redis, uow.event_ids)


# -- the catalog, the office, the calendar ------------------------------------------------------

@functools.cache
def catalog() -> Any:
    from sop import load_catalog

    return load_catalog()


def office() -> Any:
    from loket.settings import get_settings

    return _office(get_settings().office_file)


@functools.cache
def _office(path: Any) -> Any:
    from sop import load_office

    return load_office(path)


def office_timezone() -> str:
    """The office's zone (the office file, LOKET_OFFICE_FILE; Asia/Jakarta by default)."""
    return str(getattr(office(), "timezone", None) or "Asia/Jakarta")


def business_calendar(session: Session) -> BusinessCalendar:
    """Office hours (default: Perpres 21/2023), national holidays, and local overrides."""
    config: dict[str, Any] = {"timezone": office_timezone()}
    hours = getattr(office(), "office_hours", None)
    if hours:
        config["office_hours"] = hours
    closed: list[dict[str, str]] = []
    opened: list[dict[str, str]] = []
    for row in session.scalars(select(CalendarOverride)):
        item = {"date": row.day.isoformat(), "name": row.name}
        (closed if row.kind == "closed" else opened).append(item)
    config["closed_dates"] = closed
    config["open_dates"] = opened
    return BusinessCalendar.from_config(config)
