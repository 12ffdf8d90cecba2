"""The queue's reads in SQL: lookups, the waiting line in calling order, and wait estimates.

The calling order is the domain's (``domain.calling.order_candidates``); the statements here
count and take the head of a line in the database instead of sorting it in Python, and
``tests/queue/test_queue_calling_sql.py`` checks that both agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from loket.auth import Principal
from loket.db import utcnow
from loket.settings import Settings
from queue_service import sop_services
from queue_service.domain import calling, states
from queue_service.domain.errors import CounterNotFound, TicketNotFound, UnknownService
from queue_service.domain.numbering import service_day
from queue_service.models import Counter, Office, Service, Ticket, TicketHistory, counter_service
from queue_service.usecases.context import QueueContext
from queue_service.validation import service_code

MAX_ID = 2**31 - 1


# -- lookups -----------------------------------------------------------------------------------

def is_postgres(session: Session) -> bool:
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


# The office's name, time zone, maximum regular wait and opening hours (issuing's hot path).
OFFICE_COLUMNS = (Office.name, Office.timezone, Office.max_regular_wait_minutes,
                  Office.opening_hours)
_OFFICE_BY_SLUG = select(*OFFICE_COLUMNS).where(Office.slug == bindparam("slug"))
_FIRST_OFFICE = select(*OFFICE_COLUMNS).order_by(Office.id).limit(1)


def office_row(session: Session, settings: Settings) -> tuple[str, str, int, Any]:
    """(name, timezone, max regular wait in minutes, opening hours) of the office."""
    row = session.execute(_OFFICE_BY_SLUG, {"slug": settings.office}).first()
    if row is None:
        row = session.execute(_FIRST_OFFICE).first()
    if row is None:  # not seeded yet: the defaults of get_office()
        return "Kecamatan Genteng", "Asia/Jakarta", 30, {}
    return str(row[0]), str(row[1]), int(row[2]), row[3]


def service_by_code(session: Session, code: str, field: str = "service") -> Service:
    code = service_code(code, field)
    service = session.scalar(select(Service).where(Service.code == code))
    if service is None:
        raise UnknownService(f"Layanan '{code[:40]}' tidak dikenal.", field=field)
    return service


def load_counter(session: Session, counter_id: int, lock: bool = False) -> Counter:
    if not 0 < counter_id <= MAX_ID:
        raise CounterNotFound("Loket tidak ditemukan.", field="counter_id")
    query = select(Counter).where(Counter.id == counter_id).options(selectinload(Counter.services))
    if lock and is_postgres(session):
        query = query.with_for_update(of=Counter)
    counter = session.scalar(query)
    if counter is None:
        raise CounterNotFound("Loket tidak ditemukan.", field="counter_id")
    return counter


def load_ticket(session: Session, ticket_id: int, lock: bool = False) -> Ticket:
    if not 0 < ticket_id <= MAX_ID:
        raise TicketNotFound("Antrean tidak ditemukan.", field="ticket_id")
    query = select(Ticket).where(Ticket.id == ticket_id)
    if lock and is_postgres(session):
        query = query.with_for_update(of=Ticket)
    ticket = session.scalar(query.execution_options(populate_existing=True))
    if ticket is None:
        raise TicketNotFound("Antrean tidak ditemukan.", field="ticket_id")
    return ticket


def active_ticket(session: Session, counter_id: int) -> Ticket | None:
    return session.scalar(select(Ticket).where(
        Ticket.counter_id == counter_id, Ticket.status.in_(states.ACTIVE_AT_COUNTER)))


def add_history(session: Session, ticket: Ticket, action: str, from_status: str | None,
                principal: Principal | None, at: dt.datetime) -> None:
    """One row of the ticket's history (every transition is recorded, with who and when)."""
    session.add(TicketHistory(ticket_id=ticket.id, action=action, from_status=from_status,
                              to_status=ticket.status, counter_id=ticket.counter_id,
                              service_id=ticket.service_id,
                              actor=principal.username if principal else None, at=at))


def waiting_counts(session: Session, day: dt.date) -> dict[int, int]:
    """service id -> tickets waiting today."""
    return {int(k): int(v) for k, v in session.execute(
        select(Ticket.service_id, func.count()).where(
            Ticket.status == states.WAITING, Ticket.service_day == day)
        .group_by(Ticket.service_id)).all()}


# -- waiting lines and estimates -------------------------------------------------------------

def candidates(session: Session, service_ids: list[int], day: dt.date) -> list[calling.Candidate]:
    rows = session.execute(
        select(Ticket.id, Service.code, Ticket.priority, Ticket.original_issued_at,
               Ticket.is_returning)
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.status == states.WAITING, Ticket.service_id.in_(service_ids),
               Ticket.service_day == day)
    ).all()
    return [calling.Candidate(id=r[0], service=r[1], priority=r[2], waiting_since=r[3],
                              returning=bool(r[4])) for r in rows]


def max_wait(office: Office) -> dt.timedelta:
    return dt.timedelta(minutes=office.max_regular_wait_minutes)


def service_minutes(session: Session, service: Service, day: dt.date) -> float:
    return recent_service_minutes(session, service.id, service.code, day)


_RECENT_SERVICE_TIMES = (
    select(Ticket.serving_at, Ticket.finished_at)
    .where(Ticket.service_id == bindparam("service_id"), Ticket.service_day == bindparam("day"),
           Ticket.status == states.DONE, Ticket.serving_at.is_not(None),
           Ticket.finished_at.is_not(None))
    .order_by(Ticket.finished_at.desc()).limit(10))


def recent_service_minutes(session: Session, service_id: int, code: str, day: dt.date) -> float:
    """Typical minutes per visitor: the last ten served today, else the SOP's standard."""
    rows = session.execute(_RECENT_SERVICE_TIMES, {"service_id": service_id, "day": day}).all()
    durations = [f - s for s, f in reversed(rows) if s is not None and f is not None]
    info = sop_services.by_code().get(code)
    return calling.typical_service_minutes(durations, info.service_minutes if info else None)


OPEN_COUNTERS = (select(func.count()).select_from(Counter)
                 .join(counter_service, counter_service.c.counter_id == Counter.id)
                 .where(counter_service.c.service_id == bindparam("service_id"),
                        Counter.status == "open"))


def open_counters(session: Session, service_id: int) -> int:
    return int(session.execute(OPEN_COUNTERS, {"service_id": service_id}).scalar() or 0)


def _calling_group(overdue_before: Any) -> Any:
    """calling.GROUP_TESTS in SQL: a ticket issued before ``overdue_before`` is overdue."""
    sql_tests: dict[str, Any] = {
        "returning": Ticket.is_returning.is_(True),
        "regular_and_overdue": and_(Ticket.priority.is_(None),
                                    Ticket.original_issued_at < overdue_before),
        "priority": Ticket.priority.is_not(None),
    }
    *tested, (last, always) = calling.GROUP_TESTS
    assert always == "always"
    return case(*((sql_tests[test], int(group)) for group, test in tested), else_=int(last))


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


NEXT_IN_LINE = {False: _next_in_line_statement(False), True: _next_in_line_statement(True)}
PEOPLE_AHEAD = _people_ahead_statement()


def people_ahead(session: Session, service_id: int, day: dt.date, ticket_id: int,
                 priority: str | None, returning: bool, waiting_since: dt.datetime,
                 now: dt.datetime, max_wait: dt.timedelta) -> int:
    """How many waiting tickets of the line the calling rules put before this one.

    The order of :func:`calling.order_candidates`, counted by the database instead of sorting
    the whole line in Python.
    """
    group = calling.calling_group(returning, priority,
                                  calling.is_overdue(waiting_since, now, max_wait))
    return int(session.execute(PEOPLE_AHEAD, {
        "service_id": service_id, "day": day, "ticket_id": ticket_id, "group": int(group),
        "since": waiting_since, "overdue_before": now - max_wait}).scalar() or 0)


def position(ctx: QueueContext, session: Session, ticket: Ticket,
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
        wait_limit = max_wait(get_office(session, ctx.settings))
        ahead = people_ahead(session, ticket.service_id, ticket.service_day, ticket.id,
                             ticket.priority, ticket.is_returning, ticket.original_issued_at,
                             now, wait_limit)
        minutes = recent_service_minutes(session, ticket.service_id, ticket.service.code,
                                         ticket.service_day)
        counters = open_counters(session, ticket.service_id)
    else:
        if key not in cache:  # one computation per service line, however many are shown
            office = get_office(session, ctx.settings)
            ordered = calling.order_candidates(
                candidates(session, [ticket.service_id], ticket.service_day), now,
                max_wait(office))
            cache[key] = ({c.id: i for i, c in enumerate(ordered)}, len(ordered),
                          service_minutes(session, ticket.service, ticket.service_day),
                          open_counters(session, ticket.service_id))
        places, size, minutes, counters = cache[key]
        ahead = places.get(ticket.id, size)
    wait = calling.estimate_wait_minutes(ahead, minutes, counters)
    return {"position": ahead + 1, "people_ahead": ahead, "estimated_wait_minutes": wait}
