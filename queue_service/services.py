"""Use cases of the queue: one unit of work each, events recorded in the same transaction.

Every function takes a :class:`QueueContext` (database, Redis, settings) and returns plain
dicts ready for JSON. Events are published to Redis only after the commit (best effort).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, bindparam, case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from loket import events as ev
from loket.auth import Principal
from loket.db import Database, advance_counter, utcnow
from loket.errors import TooManyAttempts, Unauthorized
from loket.settings import Settings
from queue_service import catalog
from queue_service.domain import calling, states
from queue_service.domain import hours as opening_hours_module
from queue_service.domain.errors import (
    CounterBusy,
    CounterNotFound,
    CounterNotOpen,
    InvalidInput,
    NotYourCounter,
    OfficeClosed,
    ServiceClosed,
    TicketNotFound,
    TicketNotWaiting,
    UnknownService,
)
from queue_service.domain.nik import mask_nik, mask_phone
from queue_service.domain.numbering import (
    format_number,
    is_tracking_code,
    new_tracking_code,
    normalize_tracking_code,
    service_day,
)
from queue_service.models import (
    Announcement,
    Counter,
    Device,
    IdempotencyRecord,
    Office,
    Service,
    ServiceSequence,
    Staff,
    Ticket,
    TicketHistory,
    Visitor,
)
from queue_service.security import (
    DataCipher,
    hash_device_token,
    password_hasher,
    verify_password,
)
from queue_service.validation import IssueInput, service_code

logger = logging.getLogger(__name__)

SUPERVISOR_ROLES = ("admin", "sekcam", "camat", "kasi")
COUNTER_STATUSES = ("open", "paused", "closed")
NIK_READER_ROLES = ("petugas", "operator")
LAST_CALLS = 10


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
DEVICE_CACHE_SECONDS = 5.0
# The typical minutes per visitor change when a visitor is finished; issuing, hundreds of times a
# second at peak, reuses the figure this long (a finish in this process refreshes it at once).
MINUTES_CACHE_SECONDS = 2.0


@dataclasses.dataclass
class QueueContext:
    db: Database
    redis: Any
    settings: Settings
    # token digest -> Principal of an active device
    device_cache: TtlCache = dataclasses.field(
        default_factory=lambda: TtlCache(DEVICE_CACHE_SECONDS, 1000))
    # (service id, day) -> typical minutes per visitor; see _issue_minutes
    minutes_cache: TtlCache = dataclasses.field(
        default_factory=lambda: TtlCache(MINUTES_CACHE_SECONDS, 200))

    @functools.cached_property
    def cipher(self) -> DataCipher:
        return DataCipher(self.settings.secret("data_key"))


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
    with ctx.db.session() as session:
        uow = UnitOfWork(session)
        yield uow
        uow.flush_events()
    if uow.events:
        ev.publish_soon(ctx.db, ctx.redis, uow.events)


# -- lookups -----------------------------------------------------------------------------------

def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def get_office(session: Session, settings: Settings) -> Office:
    office = session.scalar(select(Office).where(Office.slug == settings.office))
    if office is None:
        office = session.scalar(select(Office).order_by(Office.id).limit(1))
    if office is None:  # not seeded yet: defaults, not stored
        office = Office(slug=settings.office, name="Kecamatan Genteng", timezone="Asia/Jakarta",
                        opening_hours={}, max_regular_wait_minutes=30,
                        recalls_before_no_show=3, end_of_day_policy="close")
    return office


def today(session: Session, settings: Settings, now: dt.datetime | None = None) -> dt.date:
    return service_day(now or utcnow(), get_office(session, settings).timezone)


def _service_by_code(session: Session, code: str, field: str = "service") -> Service:
    code = service_code(code, field)
    service = session.scalar(select(Service).where(Service.code == code))
    if service is None:
        raise UnknownService(f"Layanan '{code[:40]}' tidak dikenal.", field=field)
    return service


MAX_ID = 2**31 - 1


def _counter(session: Session, counter_id: int, lock: bool = False) -> Counter:
    if not 0 < counter_id <= MAX_ID:
        raise CounterNotFound("Loket tidak ditemukan.", field="counter_id")
    query = select(Counter).where(Counter.id == counter_id).options(selectinload(Counter.services))
    if lock and _is_postgres(session):
        query = query.with_for_update(of=Counter)
    counter = session.scalar(query)
    if counter is None:
        raise CounterNotFound("Loket tidak ditemukan.", field="counter_id")
    return counter


def _ticket(session: Session, ticket_id: int, lock: bool = False) -> Ticket:
    if not 0 < ticket_id <= MAX_ID:
        raise TicketNotFound("Antrean tidak ditemukan.", field="ticket_id")
    query = select(Ticket).where(Ticket.id == ticket_id)
    if lock and _is_postgres(session):
        query = query.with_for_update(of=Ticket)
    ticket = session.scalar(query.execution_options(populate_existing=True))
    if ticket is None:
        raise TicketNotFound("Antrean tidak ditemukan.", field="ticket_id")
    return ticket


def _active_ticket(session: Session, counter_id: int) -> Ticket | None:
    return session.scalar(select(Ticket).where(
        Ticket.counter_id == counter_id, Ticket.status.in_(states.ACTIVE_AT_COUNTER)))


def check_counter_access(session: Session, principal: Principal, counter: Counter) -> None:
    """Officers act at their own counter only; supervisors and admins anywhere."""
    if principal.has_any(*SUPERVISOR_ROLES):
        return
    staff = session.get(Staff, principal.id)
    if staff is None or not staff.active:
        raise Unauthorized("Akun petugas tidak aktif.", code="inactive_staff")
    if counter.officer_id == staff.id or staff.counter_id == counter.id:
        return
    raise NotYourCounter(f"Anda hanya dapat bertindak di loket Anda sendiri, bukan {counter.name}.",
                         field="counter_id")


# -- JSON shapes -------------------------------------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def counter_ref(counter: Counter | None) -> dict[str, Any] | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def _event_payload(ticket: Ticket, counter: Counter | None = None, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "ticket": {"id": ticket.id, "number": ticket.number, "service": ticket.service.code,
                   "priority": ticket.priority, "status": ticket.status},
    }
    if counter is not None:
        payload["counter"] = counter_ref(counter)
    payload.update(extra)
    return payload


def _history(session: Session, ticket: Ticket, action: str, from_status: str | None,
             principal: Principal | None, at: dt.datetime) -> None:
    session.add(TicketHistory(ticket_id=ticket.id, action=action, from_status=from_status,
                              to_status=ticket.status, counter_id=ticket.counter_id,
                              service_id=ticket.service_id,
                              actor=principal.username if principal else None, at=at))


def counter_json(session: Session, counter: Counter) -> dict[str, Any]:
    current = _active_ticket(session, counter.id)
    officer = session.get(Staff, counter.officer_id) if counter.officer_id else None
    return {
        "id": counter.id, "number": counter.number, "name": counter.name,
        "status": counter.status, "services": [s.code for s in counter.services],
        "officer": ({"id": officer.id, "username": officer.username,
                     "display_name": officer.display_name} if officer else None),
        "current": _current_json(current),
    }


def _current_json(ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    return {"id": ticket.id, "number": ticket.number, "service": ticket.service.code,
            "status": ticket.status, "called_at": _iso(ticket.last_called_at or ticket.called_at),
            "recalls": ticket.recalls, "priority": ticket.priority}


def staff_ticket_json(ctx: QueueContext, session: Session, ticket: Ticket,
                      reveal_nik: bool = False,
                      cache: dict[Any, Any] | None = None) -> dict[str, Any]:
    """What staff consoles see: the whole ticket, the visitor's NIK masked unless revealed."""
    position = _position(ctx, session, ticket, cache)
    visitor = None
    if ticket.visitor is not None:
        cipher = ctx.cipher
        visitor = {
            "name": cipher.decrypt(ticket.visitor.name_enc),
            "nik_masked": ticket.visitor.nik_masked,
            "phone_masked": mask_phone(cipher.decrypt(ticket.visitor.phone_enc)),
            "consent": ticket.visitor.consent,
            "consent_at": _iso(ticket.visitor.consent_at),
        }
        if reveal_nik:
            visitor["nik"] = cipher.decrypt(ticket.visitor.nik_enc)
            visitor["phone"] = cipher.decrypt(ticket.visitor.phone_enc)
    return_service = (session.get(Service, ticket.return_to_service_id)
                      if ticket.return_to_service_id else None)
    return {
        "id": ticket.id, "number": ticket.number, "service": ticket.service.code,
        "service_name": ticket.service.name, "status": ticket.status,
        "priority": ticket.priority, "tracking_code": ticket.tracking_code,
        "service_day": ticket.service_day.isoformat(),
        "counter": counter_ref(ticket.counter), "recalls": ticket.recalls,
        "position": position["position"], "people_ahead": position["people_ahead"],
        "estimated_wait_minutes": position["estimated_wait_minutes"],
        "issued_at": _iso(ticket.issued_at), "original_issued_at": _iso(ticket.original_issued_at),
        "called_at": _iso(ticket.called_at), "last_called_at": _iso(ticket.last_called_at),
        "serving_at": _iso(ticket.serving_at), "finished_at": _iso(ticket.finished_at),
        "held_at": _iso(ticket.held_at), "transferred_at": _iso(ticket.transferred_at),
        "return_to_service": return_service.code if return_service else None,
        "returning": ticket.is_returning,
        "details": ticket.details, "visitor": visitor,
        "nik_masked": ticket.visitor.nik_masked if ticket.visitor else None,
    }


def public_ticket_json(ctx: QueueContext, session: Session, ticket: Ticket) -> dict[str, Any]:
    position = _position(ctx, session, ticket)
    return {
        "number": ticket.number, "service": ticket.service.code,
        "service_name": ticket.service.name, "status": ticket.status,
        "position": position["position"], "people_ahead": position["people_ahead"],
        "estimated_wait_minutes": position["estimated_wait_minutes"],
        "counter": counter_ref(ticket.counter) if ticket.status in states.ACTIVE_AT_COUNTER
        else None,
        "issued_at": _iso(ticket.issued_at), "called_at": _iso(ticket.last_called_at),
        "service_day": ticket.service_day.isoformat(),
    }


# -- waiting lines and estimates -------------------------------------------------------------

def _candidates(session: Session, service_ids: list[int], day: dt.date) -> list[calling.Candidate]:
    rows = session.execute(
        select(Ticket.id, Service.code, Ticket.priority, Ticket.original_issued_at,
               Ticket.is_returning)
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.status == states.WAITING, Ticket.service_id.in_(service_ids),
               Ticket.service_day == day)
    ).all()
    return [calling.Candidate(id=r[0], service=r[1], priority=r[2], waiting_since=r[3],
                              returning=bool(r[4])) for r in rows]


def _max_wait(office: Office) -> dt.timedelta:
    return dt.timedelta(minutes=office.max_regular_wait_minutes)


def service_minutes(session: Session, service: Service, day: dt.date) -> float:
    return _service_minutes(session, service.id, service.code, day)


_RECENT_SERVICE_TIMES = (
    select(Ticket.serving_at, Ticket.finished_at)
    .where(Ticket.service_id == bindparam("service_id"), Ticket.service_day == bindparam("day"),
           Ticket.status == states.DONE, Ticket.serving_at.is_not(None),
           Ticket.finished_at.is_not(None))
    .order_by(Ticket.finished_at.desc()).limit(10))


def _service_minutes(session: Session, service_id: int, code: str, day: dt.date) -> float:
    """Typical minutes per visitor: the last ten served today, else the SOP's standard."""
    rows = session.execute(_RECENT_SERVICE_TIMES, {"service_id": service_id, "day": day}).all()
    durations = [f - s for s, f in reversed(rows) if s is not None and f is not None]
    info = catalog.by_code().get(code)
    return calling.typical_service_minutes(durations, info.service_minutes if info else None)


def _issue_minutes(ctx: QueueContext, session: Session, service_id: int, code: str,
                   day: dt.date) -> float:
    cached = ctx.minutes_cache.get((service_id, day))
    if cached is not None:
        return float(cached)
    minutes = _service_minutes(session, service_id, code, day)
    ctx.minutes_cache.put((service_id, day), minutes)
    return minutes


def _open_counters_statement() -> Any:
    from queue_service.models import counter_service

    return (select(func.count()).select_from(Counter)
            .join(counter_service, counter_service.c.counter_id == Counter.id)
            .where(counter_service.c.service_id == bindparam("service_id"),
                   Counter.status == "open"))


_OPEN_COUNTERS = _open_counters_statement()


def _open_counters(session: Session, service_id: int) -> int:
    return int(session.execute(_OPEN_COUNTERS, {"service_id": service_id}).scalar() or 0)


def _calling_group(overdue_before: Any) -> Any:
    """calling.order_candidates' groups in SQL: 0 returning from a transfer, 1 regular waiting
    longer than the maximum (issued before ``overdue_before``), 2 priority, 3 everybody else."""
    return case(
        (Ticket.is_returning.is_(True), 0),
        (and_(Ticket.priority.is_(None), Ticket.original_issued_at < overdue_before), 1),
        (Ticket.priority.is_not(None), 2),
        else_=3)


def _people_ahead_statement() -> Any:
    """calling.order_candidates' order as one COUNT: (group, original issue time, id) before."""
    group = _calling_group(bindparam("overdue_before", type_=Ticket.original_issued_at.type))
    mine: Any = bindparam("group")
    since = bindparam("since", type_=Ticket.original_issued_at.type)
    ticket_id: Any = bindparam("ticket_id")
    before = or_(group < mine, and_(group == mine, or_(
        Ticket.original_issued_at < since,
        and_(Ticket.original_issued_at == since, Ticket.id < ticket_id))))
    return select(func.count()).select_from(Ticket).where(
        Ticket.service_id == bindparam("service_id"), Ticket.service_day == bindparam("day"),
        Ticket.status == states.WAITING, Ticket.id != ticket_id, before)


def _next_in_line_statement(lock: bool) -> Any:
    """The head of the line of some services, in calling.order_candidates' order.

    On PostgreSQL (``lock``) the row is locked, skipping rows another counter is claiming.
    """
    group = _calling_group(bindparam("overdue_before", type_=Ticket.original_issued_at.type))
    query = (select(Ticket.id)
             .where(Ticket.status == states.WAITING,
                    Ticket.service_id.in_(bindparam("service_ids", expanding=True)),
                    Ticket.service_day == bindparam("day"))
             .order_by(group, Ticket.original_issued_at, Ticket.id).limit(1))
    return query.with_for_update(skip_locked=True) if lock else query


_NEXT_IN_LINE = {False: _next_in_line_statement(False), True: _next_in_line_statement(True)}


_PEOPLE_AHEAD = _people_ahead_statement()
# Both counts a new ticket needs, in one round trip.
_AHEAD_AND_OPEN_COUNTERS = select(_PEOPLE_AHEAD.scalar_subquery(),
                                  _OPEN_COUNTERS.scalar_subquery())


def _people_ahead(session: Session, service_id: int, day: dt.date, ticket_id: int,
                  priority: str | None, returning: bool, waiting_since: dt.datetime,
                  now: dt.datetime, max_wait: dt.timedelta) -> int:
    """How many waiting tickets of the line the calling rules put before this one.

    The order of :func:`calling.order_candidates`, counted by the database instead of sorting
    the whole line in Python.
    """
    if returning:
        group = 0
    elif priority is None and now - waiting_since > max_wait:
        group = 1
    elif priority is not None:
        group = 2
    else:
        group = 3
    return int(session.execute(_PEOPLE_AHEAD, {
        "service_id": service_id, "day": day, "ticket_id": ticket_id, "group": group,
        "since": waiting_since, "overdue_before": now - max_wait}).scalar() or 0)


def _position(ctx: QueueContext, session: Session, ticket: Ticket,
              cache: dict[Any, Any] | None = None) -> dict[str, Any]:
    """Place in its service's line by the calling rules, and the estimated wait.

    One ticket: a COUNT. Many tickets of a list (``cache`` given): the line is ordered once in
    Python and every ticket of it looked up there.
    """
    if ticket.status != states.WAITING:
        return {"position": None, "people_ahead": None, "estimated_wait_minutes": None}
    now = utcnow()
    key = (ticket.service_id, ticket.service_day)
    if cache is None:
        max_wait = _max_wait(get_office(session, ctx.settings))
        ahead = _people_ahead(session, ticket.service_id, ticket.service_day, ticket.id,
                              ticket.priority, ticket.is_returning, ticket.original_issued_at,
                              now, max_wait)
        minutes = _service_minutes(session, ticket.service_id, ticket.service.code,
                                   ticket.service_day)
        counters = _open_counters(session, ticket.service_id)
    else:
        if key not in cache:  # one computation per service line, however many are shown
            office = get_office(session, ctx.settings)
            ordered = calling.order_candidates(
                _candidates(session, [ticket.service_id], ticket.service_day), now,
                _max_wait(office))
            cache[key] = ({c.id: i for i, c in enumerate(ordered)}, len(ordered),
                          service_minutes(session, ticket.service, ticket.service_day),
                          _open_counters(session, ticket.service_id))
        places, size, minutes, counters = cache[key]
        ahead = places.get(ticket.id, size)
    wait = calling.estimate_wait_minutes(ahead, minutes, counters)
    return {"position": ahead + 1, "people_ahead": ahead, "estimated_wait_minutes": wait}


# -- services and board ------------------------------------------------------------------------

def list_services(ctx: QueueContext) -> list[dict[str, Any]]:
    info = catalog.by_code()
    with ctx.db.read_session() as session:
        day = today(session, ctx.settings)
        waiting = dict(session.execute(
            select(Ticket.service_id, func.count()).where(
                Ticket.status == states.WAITING, Ticket.service_day == day)
            .group_by(Ticket.service_id)).all())
        result = []
        for service in session.scalars(select(Service).order_by(Service.position, Service.id)):
            meta = info.get(service.code)
            count = int(waiting.get(service.id, 0))
            minutes = service_minutes(session, service, day)
            result.append({
                "code": service.code, "name": service.name, "prefix": service.prefix,
                "open": service.is_open, "waiting": count,
                "estimated_wait_minutes": calling.estimate_wait_minutes(
                    count, minutes, _open_counters(session, service.id)),
                # The administrator's bring-list once set (issue #15), else the catalog's example.
                "bring": service.bring if service.bring is not None
                else (list(meta.bring) if meta else []),
                "bring_is_demo": service.bring is None and (meta.bring_is_demo if meta else True),
                "fee": service.fee or "gratis",
                "service_minutes": (round(meta.service_minutes)
                                    if meta and meta.service_minutes is not None else None),
                "steps": list(meta.steps) if meta else [],
                "questions": list(meta.questions) if meta else [],
            })
        return result


def _announcements(session: Session) -> list[str]:
    return list(session.scalars(select(Announcement.text).order_by(Announcement.position)))


def board(ctx: QueueContext, services: list[str] | None = None) -> dict[str, Any]:
    wanted = set(services) if services else None
    with ctx.db.read_session() as session:
        office = get_office(session, ctx.settings)
        day = today(session, ctx.settings)
        counters = []
        for counter in session.scalars(select(Counter).order_by(Counter.number)
                                       .options(selectinload(Counter.services))):
            codes = [s.code for s in counter.services]
            if wanted is not None and not wanted.intersection(codes):
                continue
            current = _active_ticket(session, counter.id)
            counters.append({"id": counter.id, "number": counter.number, "name": counter.name,
                             "status": counter.status, "services": codes,
                             "current": _current_json(current)})
        last_calls = []
        calls = session.scalars(
            select(ev.Event).where(ev.Event.stream == ev.STREAM_QUEUE,
                                   ev.Event.type.in_([ev.TICKET_CALLED, ev.TICKET_RECALLED]))
            .order_by(ev.Event.id.desc()).limit(200))
        for event in calls:
            called = event.payload.get("ticket") or {}
            at = event.payload.get("counter") or {}
            if wanted is not None and called.get("service") not in wanted:
                continue
            last_calls.append({
                "event_id": event.id, "number": called.get("number"),
                "service": called.get("service"), "counter_id": at.get("id"),
                "counter_number": at.get("number"), "counter_name": at.get("name"),
                "called_at": _iso(event.created_at),
                "recall": event.type == ev.TICKET_RECALLED,
            })
            if len(last_calls) >= LAST_CALLS:
                break
        waiting_counts = dict(session.execute(
            select(Ticket.service_id, func.count()).where(
                Ticket.status == states.WAITING, Ticket.service_day == day)
            .group_by(Ticket.service_id)).all())
        waiting = [{"service": s.code, "name": s.name, "prefix": s.prefix,
                    "waiting": int(waiting_counts.get(s.id, 0))}
                   for s in session.scalars(select(Service).order_by(Service.position))
                   if wanted is None or s.code in wanted]
        return {
            "office": {"name": office.name, "timezone": office.timezone,
                       "logo_url": office.logo_url},
            "counters": counters, "last_calls": last_calls, "waiting": waiting,
            "announcements": _announcements(session),
            "last_event_id": ev.last_event_id(session, ev.STREAM_QUEUE),
            "service_day": day.isoformat(),
        }


# -- issuing -----------------------------------------------------------------------------------

def _next_seq(session: Session, service_id: int, day: dt.date) -> int:
    """Advance the per-service, per-day sequence atomically and return the new value."""
    return advance_counter(session, ServiceSequence,
                           {"service_id": service_id, "service_day": day}, "last")


def issue_ticket(ctx: QueueContext, data: IssueInput, device_id: int | None,
                 idempotency_key: str | None) -> dict[str, Any]:
    """Issue a ticket; a retry with the same Idempotency-Key returns the first response.

    A retry is normally found inside the transaction; two copies of one request racing each
    other meet at the unique key instead, and the loser returns the winner's response. A
    tracking code drawn twice (31⁸ codes) also meets a unique key: then we draw again.
    """
    for attempt in range(3):
        try:
            return _issue(ctx, data, device_id, idempotency_key)
        except IntegrityError:
            if idempotency_key is not None and device_id is not None:
                stored = _stored_response(ctx, device_id, idempotency_key)
                if stored is not None:
                    return stored
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _stored_response(ctx: QueueContext, device_id: int, key: str) -> dict[str, Any] | None:
    with ctx.db.lookup_session() as session:
        response = session.execute(_STORED_RESPONSE,
                                   {"device_id": device_id, "key": key}).scalar()
        return dict(response) if response is not None else None


# The kiosk's hot path runs these prepared statements: built once, so a request pays for neither
# building SQL expressions nor the ORM (measured by `make bench`, see docs/benchmarks.md).
_OFFICE_COLUMNS = (Office.name, Office.timezone, Office.max_regular_wait_minutes,
                   Office.opening_hours)
# The service asked for, with the office's name, time zone and maximum regular wait.
_STORED_RESPONSE = select(IdempotencyRecord.response).where(
    IdempotencyRecord.device_id == bindparam("device_id"),
    IdempotencyRecord.key == bindparam("key"))
# The service asked for, the office's name, time zone and maximum regular wait, and the response
# already given to this Idempotency-Key (a retry): one round trip.
_SERVICE_OFFICE_AND_RETRY = (
    select(Service.id, Service.code, Service.name, Service.prefix, Service.is_open,
           *_OFFICE_COLUMNS, _STORED_RESPONSE.scalar_subquery())
    .select_from(Service).outerjoin(Office, Office.slug == bindparam("slug"))
    .where(Service.code == bindparam("code")))
_OFFICE_BY_SLUG = select(*_OFFICE_COLUMNS).where(Office.slug == bindparam("slug"))
_FIRST_OFFICE = select(*_OFFICE_COLUMNS).order_by(Office.id).limit(1)
_INSERT_VISITOR = insert(Visitor).returning(Visitor.id)
_INSERT_TICKET = insert(Ticket).returning(Ticket.id)
_INSERT_HISTORY = insert(TicketHistory)
_INSERT_IDEMPOTENCY = insert(IdempotencyRecord)


def _office_row(session: Session, settings: Settings) -> tuple[str, str, int, Any]:
    """(name, timezone, max regular wait in minutes, opening hours) of the office."""
    row = session.execute(_OFFICE_BY_SLUG, {"slug": settings.office}).first()
    if row is None:
        row = session.execute(_FIRST_OFFICE).first()
    if row is None:  # not seeded yet: the defaults of get_office()
        return "Kecamatan Genteng", "Asia/Jakarta", 30, {}
    return str(row[0]), str(row[1]), int(row[2]), row[3]


def closed_message(settings: Settings, opening_hours: Any, timezone: str,
                   now: dt.datetime) -> str | None:
    """Why the hall hands out no numbers now (outside its hours, a holiday); None when open.

    Always None unless the office enforces its hours (``LOKET_ENFORCE_OPENING_HOURS``).
    """
    if not settings.opening_hours_enforced or not opening_hours:
        return None
    import json
    from zoneinfo import ZoneInfo

    try:
        hours = opening_hours_module.parse_cached(json.dumps(opening_hours, sort_keys=True))
    except opening_hours_module.HoursError:  # a bad office row must not stop the hall
        logger.warning("office opening hours are invalid; not enforced")
        return None
    local = now.astimezone(ZoneInfo(timezone))
    holiday = opening_hours_module.is_holiday(local.date())
    if hours.open_at(local) and not holiday:
        return None
    message = "Maaf, kantor sedang tutup" + (" (hari libur)" if holiday else "") + \
        f"; tiket antrean belum dapat diambil. Jam layanan: {hours.describe()}."
    reopen = hours.next_opening(local)
    if reopen is not None:
        message += f" Buka lagi {opening_hours_module.describe_moment(reopen)}."
    return message


def check_opening_hours(settings: Settings, opening_hours: Any, timezone: str,
                        now: dt.datetime) -> None:
    """Refuse a ticket when the hall is closed (if the office enforces its hours)."""
    message = closed_message(settings, opening_hours, timezone, now)
    if message is not None:
        raise OfficeClosed(message, field="service")


def office_state(ctx: QueueContext) -> dict[str, Any]:
    """Whether the kiosk may hand out numbers now, and if not, the message to show."""
    with ctx.db.read_session() as session:
        _name, timezone, _wait, hours = _office_row(session, ctx.settings)
    message = closed_message(ctx.settings, hours, timezone, utcnow())
    return {"open": message is None, "message": message}


def _issue(ctx: QueueContext, data: IssueInput, device_id: int | None,
           idempotency_key: str | None) -> dict[str, Any]:
    """The hot path of the kiosk: prepared statements in one short transaction.

    Everything that needs no database (encryption, masking, the tracking code) is done before
    the transaction begins; the per-service sequence is advanced as late as possible, because
    its row lock makes issuers of the same service wait for each other until the commit.
    """
    now = utcnow()
    visitor_row: dict[str, Any] | None = None
    if data.visitor is not None:
        cipher = ctx.cipher
        visitor_row = {
            "name_enc": cipher.encrypt(data.visitor.name),
            "nik_enc": cipher.encrypt(data.visitor.nik),
            "nik_index": cipher.nik_index(data.visitor.nik) if data.visitor.nik else None,
            "nik_masked": mask_nik(data.visitor.nik),
            "phone_enc": cipher.encrypt(data.visitor.phone),
            "consent": data.visitor.consent, "consent_at": now, "created_at": now}
    with unit_of_work(ctx) as uow:
        session = uow.session
        conn = session.connection()  # Core statements: no ORM bookkeeping on this path
        row = conn.execute(_SERVICE_OFFICE_AND_RETRY, {
            "code": data.service, "slug": ctx.settings.office, "device_id": device_id,
            "key": idempotency_key if device_id is not None else None}).first()
        if row is None:
            raise UnknownService(f"Layanan '{data.service[:40]}' tidak dikenal.", field="service")
        if row[9] is not None:  # a retry: the first response, nothing new
            return dict(row[9])
        service_id, service_code, service_name, prefix, is_open = row[:5]
        if row[5] is not None:
            office_name, timezone, max_wait, hours = str(row[5]), str(row[6]), int(row[7]), row[8]
        else:  # the office is not under the configured slug: the first one, or defaults
            office_name, timezone, max_wait, hours = _office_row(session, ctx.settings)
        check_opening_hours(ctx.settings, hours, timezone, now)
        if not is_open:
            raise ServiceClosed(f"Layanan {service_name} sedang tutup.", field="service")
        day = service_day(now, timezone)
        visitor_id = None
        if visitor_row is not None:
            visitor_id = conn.execute(_INSERT_VISITOR, visitor_row).scalar_one()
        code = new_tracking_code()  # unique key; a clash (never seen) makes us draw again
        seq = _next_seq(session, service_id, day)
        number = format_number(prefix, seq)
        ticket_id = conn.execute(_INSERT_TICKET, {
            "number": number, "issued_service_id": service_id, "issued_day": day, "seq": seq,
            "service_id": service_id, "service_day": day, "status": states.WAITING,
            "priority": data.priority, "is_returning": False, "tracking_code": code,
            "details": data.details, "visitor_id": visitor_id, "recalls": 0, "issued_at": now,
            "original_issued_at": now, "updated_at": now}).scalar_one()
        conn.execute(_INSERT_HISTORY, {
            "ticket_id": ticket_id, "action": "issue", "from_status": None,
            "to_status": states.WAITING, "counter_id": None, "service_id": service_id,
            "actor": None, "at": now})
        uow.record(ev.TICKET_ISSUED, {"ticket": {
            "id": ticket_id, "number": number, "service": service_code,
            "priority": data.priority, "status": states.WAITING}})
        ahead, open_counters = conn.execute(_AHEAD_AND_OPEN_COUNTERS, {
            "service_id": service_id, "day": day, "ticket_id": ticket_id,
            "group": 2 if data.priority is not None else 3, "since": now,
            "overdue_before": now - dt.timedelta(minutes=max_wait)}).one()
        wait = calling.estimate_wait_minutes(
            ahead, _issue_minutes(ctx, session, service_id, service_code, day), open_counters)
        response = {
            "id": ticket_id, "number": number, "service": service_code,
            "service_name": service_name, "tracking_code": code,
            "position": ahead + 1, "people_ahead": ahead, "estimated_wait_minutes": wait,
            "status": states.WAITING, "priority": data.priority,
            "issued_at": _iso(now), "service_day": day.isoformat(),
            "nik_masked": visitor_row["nik_masked"] if visitor_row else None,
            "office": office_name,
            "status_url": f"{ctx.settings.base_url}/api/queue/tickets/{code}",
        }
        if idempotency_key is not None and device_id is not None:
            conn.execute(_INSERT_IDEMPOTENCY, {
                "device_id": device_id, "key": idempotency_key, "ticket_id": ticket_id,
                "response": response, "created_at": now})
    return response


# -- reading tickets ---------------------------------------------------------------------------

def public_status(ctx: QueueContext, tracking_code: str) -> dict[str, Any]:
    code = normalize_tracking_code(tracking_code)
    if not is_tracking_code(code):
        raise TicketNotFound("Kode antrean tidak ditemukan.", field="tracking_code")
    with ctx.db.read_session() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.tracking_code == code))
        if ticket is None:
            raise TicketNotFound("Kode antrean tidak ditemukan.", field="tracking_code")
        return public_ticket_json(ctx, session, ticket)


def list_tickets(ctx: QueueContext, status: str | None, service: str | None,
                 limit: int = 200) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        day = today(session, ctx.settings)
        query = select(Ticket).where(Ticket.service_day == day)
        if status:
            if status not in states.STATUSES:
                raise InvalidInput("Status tidak dikenal.", field="status")
            query = query.where(Ticket.status == status)
        if service:
            query = query.where(Ticket.service_id == _service_by_code(session, service).id)
        tickets = session.scalars(query.order_by(Ticket.original_issued_at, Ticket.id)
                                  .limit(limit))
        cache: dict[Any, Any] = {}
        return [staff_ticket_json(ctx, session, t, cache=cache) for t in tickets]


def get_ticket(ctx: QueueContext, ticket_id: int, principal: Principal) -> dict[str, Any]:
    with ctx.db.read_session() as session:
        ticket = _ticket(session, ticket_id)
        reveal = principal.has_any(*NIK_READER_ROLES)
        return staff_ticket_json(ctx, session, ticket, reveal_nik=reveal)


# -- calling -----------------------------------------------------------------------------------

def _ensure_can_call(session: Session, counter: Counter) -> None:
    if counter.status == "paused":
        raise CounterNotOpen(f"{counter.name} sedang dijeda; buka loket dulu untuk memanggil.",
                             field="counter_id")
    if counter.status != "open":
        raise CounterNotOpen(f"{counter.name} sedang tutup; buka loket dulu untuk memanggil.",
                             field="counter_id")
    busy = _active_ticket(session, counter.id)
    if busy is not None:
        raise CounterBusy(
            f"{counter.name} masih menangani antrean {busy.number}; selesaikan atau tandai "
            "tidak hadir dulu.", field="counter_id")


def _counter_ready_to_call(session: Session, counter_id: int, principal: Principal) -> Counter:
    """The counter, locked (PostgreSQL), the caller's to act at, open and not busy."""
    counter = _counter(session, counter_id, lock=True)
    check_counter_access(session, principal, counter)
    _ensure_can_call(session, counter)
    return counter


def _claim(session: Session, ticket_id: int, counter: Counter, now: dt.datetime,
           locked: bool = False) -> bool:
    """Claim a waiting ticket for ``counter``; the row count of one conditional UPDATE decides."""
    if _is_postgres(session) and not locked:
        locked = session.scalar(select(Ticket.id).where(
            Ticket.id == ticket_id, Ticket.status == states.WAITING)
            .with_for_update(skip_locked=True))
        if locked is None:
            return False
    result = session.execute(
        update(Ticket).where(Ticket.id == ticket_id, Ticket.status == states.WAITING)
        .values(status=states.CALLED, counter_id=counter.id, called_at=now, last_called_at=now,
                recalls=0, is_returning=False, updated_at=now)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _after_call(ctx: QueueContext, uow: UnitOfWork, ticket_id: int, counter: Counter,
                principal: Principal, now: dt.datetime) -> dict[str, Any]:
    session = uow.session
    session.expire_all()  # the claim was a Core UPDATE: reload what the session holds
    ticket = _ticket(session, ticket_id)
    _history(session, ticket, "call", states.WAITING, principal, now)
    uow.record(ev.TICKET_CALLED, _event_payload(ticket, counter, recall=False))
    return staff_ticket_json(ctx, session, ticket)


def call_next(ctx: QueueContext, counter_id: int, principal: Principal) -> dict[str, Any] | None:
    """Claim the head of the counter's line (by the calling rules) for this counter.

    The database finds the head (``ORDER BY`` the calling groups, ``LIMIT 1``), so a long line
    costs no more than a short one. SQLite writers are serialised; on PostgreSQL the counter row
    is locked (a double tap waits) and a ticket another counter is claiming is skipped.
    """
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        counter = _counter_ready_to_call(session, counter_id, principal)
        if not counter.services:
            return None
        office = get_office(session, ctx.settings)
        params = {"service_ids": [s.id for s in counter.services],
                  "day": service_day(now, office.timezone),
                  "overdue_before": now - _max_wait(office)}
        ticket_id = session.execute(_NEXT_IN_LINE[_is_postgres(session)], params).scalar()
        if ticket_id is None:
            return None
        # The row is ours: the write lock (SQLite) or the row lock (PostgreSQL) is held.
        if not _claim(session, ticket_id, counter, now, locked=True):
            raise AssertionError(f"ticket {ticket_id} changed under a held lock")
        return _after_call(ctx, uow, ticket_id, counter, principal, now)


def call_specific(ctx: QueueContext, counter_id: int, ticket_id: int,
                  principal: Principal) -> dict[str, Any]:
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        counter = _counter_ready_to_call(session, counter_id, principal)
        ticket = _ticket(session, ticket_id)
        if ticket.service_id not in {s.id for s in counter.services}:
            raise InvalidInput(f"{counter.name} tidak melayani {ticket.service.name}.",
                               field="ticket_id", code="service_not_at_counter")
        if ticket.status != states.WAITING or not _claim(session, ticket.id, counter, now):
            raise TicketNotWaiting(f"Antrean {ticket.number} tidak sedang menunggu.",
                                   field="ticket_id")
        return _after_call(ctx, uow, ticket.id, counter, principal, now)


# -- ticket actions ----------------------------------------------------------------------------

TICKET_ACTIONS = ("recall", "start", "finish", "no_show", "hold", "resume", "transfer", "cancel")
# The timestamp each action leaves on the ticket (every transition is timestamped).
_STAMPED_AT = {"start": "serving_at", "finish": "finished_at", "no_show": "no_show_at",
               "hold": "held_at", "resume": "resumed_at", "cancel": "cancelled_at"}
_EVENT_FOR = {
    "start": ev.TICKET_SERVING, "finish": ev.TICKET_DONE, "no_show": ev.TICKET_NO_SHOW,
    "hold": ev.TICKET_ON_HOLD, "resume": ev.TICKET_RESUMED, "transfer": ev.TICKET_TRANSFERRED,
    "cancel": ev.TICKET_CANCELLED,
}


def act(ctx: QueueContext, ticket_id: int, action: str, principal: Principal,
        transfer: tuple[str, bool] | None = None) -> dict[str, Any]:
    """Apply one lifecycle action to a ticket (see domain.states for what is legal)."""
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        ticket = _ticket(session, ticket_id, lock=True)
        counter = ticket.counter
        if counter is not None:
            check_counter_access(session, principal, counter)
        office = get_office(session, ctx.settings)
        before = ticket.status
        if action == "recall":
            states.next_status(before, "recall")
            if states.recall_outcome(ticket.recalls, office.recalls_before_no_show) == "no_show":
                action = "no_show"
        target = states.next_status(before, action)
        event_type = _EVENT_FOR.get(action)
        extra: dict[str, Any] = {}
        if action == "recall":
            ticket.recalls += 1
            ticket.last_called_at = now
            event_type = ev.TICKET_RECALLED
            extra = {"recall": True, "recalls": ticket.recalls}
        elif action in _STAMPED_AT:
            setattr(ticket, _STAMPED_AT[action], now)
            if (action == "no_show" and before == states.CALLED
                    and ticket.recalls >= office.recalls_before_no_show):
                extra = {"automatic": True, "recalls": ticket.recalls}
        elif action == "transfer":
            assert transfer is not None
            code, return_after = transfer
            target_service = _service_by_code(session, code)
            if target_service.id == ticket.service_id:
                raise InvalidInput("Layanan tujuan sama dengan layanan saat ini.",
                                   field="service", code="same_service")
            if not target_service.is_open:
                raise ServiceClosed(f"Layanan {target_service.name} sedang tutup.",
                                    field="service")
            extra = {"from_service": ticket.service.code, "to_service": target_service.code,
                     "return_after": return_after}
            ticket.return_to_service_id = ticket.service_id if return_after else None
            ticket.service_id = target_service.id
            ticket.service = target_service
            ticket.transferred_at = now
            ticket.is_returning = False
        ticket.status = target
        if target not in states.ACTIVE_AT_COUNTER:
            ticket.counter = None
        if target == states.WAITING:
            ticket.recalls = 0
        ticket.updated_at = now
        session.flush()
        _history(session, ticket, action, before, principal, now)
        assert event_type is not None
        uow.record(event_type, _event_payload(ticket, counter, **extra))
        if action == "finish":
            ctx.minutes_cache.pop((ticket.service_id, ticket.service_day))
        if action == "finish" and ticket.return_to_service_id is not None:
            _return_to_first_service(session, uow, ticket, principal, now)
        session.flush()
        return staff_ticket_json(ctx, session, ticket)


def _return_to_first_service(session: Session, uow: UnitOfWork, ticket: Ticket,
                             principal: Principal, now: dt.datetime) -> None:
    """Transfer-and-return: done here, the visitor goes back to the first service, first."""
    assert ticket.return_to_service_id is not None
    back = session.get(Service, ticket.return_to_service_id)
    assert back is not None
    from_code = ticket.service.code
    ticket.service_id = back.id
    ticket.service = back
    ticket.return_to_service_id = None
    ticket.status = states.WAITING
    ticket.is_returning = True
    ticket.serving_at = None
    ticket.finished_at = None
    ticket.transferred_at = now
    ticket.counter = None
    session.flush()
    _history(session, ticket, "return", states.DONE, principal, now)
    uow.record(ev.TICKET_TRANSFERRED, _event_payload(
        ticket, from_service=from_code, to_service=back.code, return_after=False, returned=True))


# -- counters ----------------------------------------------------------------------------------

def list_counters(ctx: QueueContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        counters = session.scalars(select(Counter).order_by(Counter.number)
                                   .options(selectinload(Counter.services)))
        return [counter_json(session, c) for c in counters]


def set_counter_status(ctx: QueueContext, counter_id: int, status: str,
                       principal: Principal) -> dict[str, Any]:
    if status not in COUNTER_STATUSES:
        raise InvalidInput("Status loket tidak dikenal.", field="status")
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        counter = _counter(session, counter_id, lock=True)
        check_counter_access(session, principal, counter)
        if status == "closed":
            busy = _active_ticket(session, counter.id)
            if busy is not None:
                raise CounterBusy(f"{counter.name} masih menangani antrean {busy.number}; "
                                  "selesaikan dulu sebelum menutup loket.", field="counter_id")
        counter.status = status
        counter.status_changed_at = now
        if status == "open" and principal.is_staff:
            counter.officer_id = principal.id
        elif status == "closed":
            counter.officer_id = None
        session.flush()
        uow.record(ev.COUNTER_UPDATED, {
            "counter": {**(counter_ref(counter) or {}), "status": counter.status,
                        "services": [s.code for s in counter.services]}})
        return counter_json(session, counter)


# -- announcements, faults ---------------------------------------------------------------------

def set_announcements(ctx: QueueContext, texts: list[str]) -> list[str]:
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        for old in session.scalars(select(Announcement)):
            session.delete(old)
        for i, text in enumerate(texts):
            session.add(Announcement(position=i, text=text, updated_at=now))
        uow.record(ev.ANNOUNCEMENT_UPDATED, {"announcements": texts})
    return texts


def get_announcements(ctx: QueueContext) -> list[str]:
    with ctx.db.read_session() as session:
        return _announcements(session)


def report_fault(ctx: QueueContext, device: Principal, code: str,
                 detail: str | None) -> dict[str, Any]:
    with unit_of_work(ctx) as uow:
        event = uow.record(ev.KIOSK_FAULT, {
            "device": {"id": device.id, "label": device.username}, "fault": code,
            "detail": detail})
        uow.flush_events()
        return event.as_message()


def list_faults(ctx: QueueContext, limit: int = 50) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        rows = session.scalars(select(ev.Event).where(
            ev.Event.stream == ev.STREAM_QUEUE, ev.Event.type == ev.KIOSK_FAULT)
            .order_by(ev.Event.id.desc()).limit(limit))
        return [e.as_message() for e in rows]


# -- auth --------------------------------------------------------------------------------------

_DUMMY_HASH: dict[str, str] = {}


# Lockout: this many wrong passwords for one username within the window lock that username for
# the rest of the window (counted in Redis; if Redis is away, logins are not limited).
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60
_LOGIN_KEY = "loket:login-failures:"


def _login_key(username: str) -> str:
    return _LOGIN_KEY + username.strip().lower()[:60]


def _check_not_locked(ctx: QueueContext, username: str) -> None:
    try:
        failures = int(ctx.redis.get(_login_key(username)) or 0)
        ttl = int(ctx.redis.ttl(_login_key(username)))
    except Exception as exc:  # Redis away: availability first
        logger.warning("login lockout unavailable: %s", type(exc).__name__)
        return
    if failures >= LOGIN_MAX_FAILURES:
        minutes = max(1, -(-max(ttl, 0) // 60))
        raise TooManyAttempts(
            f"Terlalu banyak percobaan masuk yang salah untuk akun ini; coba lagi dalam "
            f"{minutes} menit atau hubungi administrator.", field="username")


def _count_failure(ctx: QueueContext, username: str) -> None:
    try:
        pipe = ctx.redis.pipeline()
        pipe.incr(_login_key(username))
        pipe.expire(_login_key(username), LOGIN_WINDOW_SECONDS, nx=True)
        pipe.execute()
    except Exception as exc:
        logger.warning("login failure not counted: %s", type(exc).__name__)


def _clear_failures(ctx: QueueContext, username: str) -> None:
    try:
        ctx.redis.delete(_login_key(username))
    except Exception as exc:
        logger.warning("login failures not cleared: %s", type(exc).__name__)


def authenticate(ctx: QueueContext, username: str, password: str) -> Principal:
    """Check a staff login; wrong passwords are counted per username and lock it for a while."""
    _check_not_locked(ctx, username)
    try:
        principal = _authenticate(ctx, username, password)
    except Unauthorized:
        _count_failure(ctx, username)
        raise
    _clear_failures(ctx, username)
    return principal


def _authenticate(ctx: QueueContext, username: str, password: str) -> Principal:
    hasher = password_hasher(ctx.settings)
    with ctx.db.read_session() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username))
        if staff is None or not staff.active:
            # Spend the same effort as a real check, so timing does not reveal usernames.
            dummy = _DUMMY_HASH.setdefault(ctx.settings.env, hasher.hash("x"))
            verify_password(hasher, dummy, password)
            raise Unauthorized("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
        if not verify_password(hasher, staff.password_hash, password):
            raise Unauthorized("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
        return staff_principal(staff)


def staff_principal(staff: Staff) -> Principal:
    return Principal(kind="staff", id=staff.id, username=staff.username,
                     roles=frozenset(staff.roles), counter_id=staff.counter_id,
                     section=staff.section)


def staff_json(ctx: QueueContext, staff_id: int) -> dict[str, Any] | None:
    with ctx.db.read_session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            return None
        return {"id": staff.id, "username": staff.username, "display_name": staff.display_name,
                "roles": sorted(staff.roles), "section": staff.section,
                "counter_id": staff.counter_id}


_DEVICE_BY_TOKEN = select(Device.id, Device.label, Device.kind).where(
    Device.token_hash == bindparam("digest"), Device.active.is_(True))


def resolve_device(ctx: QueueContext, token: str) -> Principal | None:
    digest = hash_device_token(token)
    cached = ctx.device_cache.get(digest)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    with ctx.db.lookup_session() as session:
        device = session.execute(_DEVICE_BY_TOKEN, {"digest": digest}).first()
    if device is None:
        ctx.device_cache.pop(digest)
        return None
    principal = Principal(kind="device", id=device.id, username=device.label,
                          roles=frozenset({device.kind}))
    ctx.device_cache.put(digest, principal)
    return principal


# -- end of day --------------------------------------------------------------------------------

def end_of_day(ctx: QueueContext, now: dt.datetime | None = None) -> dict[str, int]:
    """Close or carry over what is left of earlier local days. Safe to run any number of times."""
    now = now or utcnow()
    counts = {"closed": 0, "carried_over": 0}
    with unit_of_work(ctx) as uow:
        session = uow.session
        office = get_office(session, ctx.settings)
        day = service_day(now, office.timezone)
        query = select(Ticket).where(Ticket.service_day < day,
                                     Ticket.status.in_(states.OPEN_STATUSES)).order_by(Ticket.id)
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        for ticket in session.scalars(query):
            before = ticket.status
            counter = ticket.counter
            if office.end_of_day_policy == "carry_over":
                ticket.status = states.next_status(before, "carry_over")
                ticket.service_day = day
                ticket.counter = None
                ticket.recalls = 0
                ticket.updated_at = now
                session.flush()
                _history(session, ticket, "carry_over", before, None, now)
                uow.record(ev.TICKET_RESUMED, _event_payload(ticket, counter, carried_over=True))
                counts["carried_over"] += 1
            else:
                ticket.status = states.next_status(before, "close")
                ticket.closed_at = now
                ticket.counter = None
                ticket.updated_at = now
                session.flush()
                _history(session, ticket, "close", before, None, now)
                uow.record(ev.TICKET_CLOSED, _event_payload(ticket, counter))
                counts["closed"] += 1
    return counts
