"""Calling visitors to a counter: the head of its line by the calling rules, or one ticket.

The database finds the head (``ORDER BY`` the calling groups, ``LIMIT 1``; see ``queries``), and
one conditional UPDATE claims it, so two counters never get the same ticket.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loket import events as ev
from loket.auth import Principal
from loket.db import utcnow
from queue_service.domain import states
from queue_service.domain.errors import CounterBusy, CounterNotOpen, InvalidInput, TicketNotWaiting
from queue_service.domain.numbering import service_day
from queue_service.models import Counter, Ticket
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, UnitOfWork, unit_of_work
from queue_service.usecases.counters import check_counter_access
from queue_service.usecases.serializers import event_payload, staff_ticket_json


def _ensure_can_call(session: Session, counter: Counter) -> None:
    if counter.status == "paused":
        raise CounterNotOpen(f"{counter.name} sedang dijeda; buka loket dulu untuk memanggil.",
                             field="counter_id")
    if counter.status != "open":
        raise CounterNotOpen(f"{counter.name} sedang tutup; buka loket dulu untuk memanggil.",
                             field="counter_id")
    busy = queries.active_ticket(session, counter.id)
    if busy is not None:
        raise CounterBusy(
            f"{counter.name} masih menangani antrean {busy.number}; selesaikan atau tandai "
            "tidak hadir dulu.", field="counter_id")


def _counter_ready_to_call(session: Session, counter_id: int, principal: Principal) -> Counter:
    """The counter, locked (PostgreSQL), the caller's to act at, open and not busy."""
    counter = queries.load_counter(session, counter_id, lock=True)
    check_counter_access(session, principal, counter)
    _ensure_can_call(session, counter)
    return counter


def _claim(session: Session, ticket_id: int, counter: Counter, now: dt.datetime,
           locked: bool = False) -> bool:
    """Claim a waiting ticket for ``counter``; the row count of one conditional UPDATE decides."""
    if queries.is_postgres(session) and not locked:
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
    # The claim was a Core UPDATE of the ticket alone: load_ticket refreshes that row
    # (populate_existing); the counter and its services the session holds are unchanged, so they
    # are not expired (expiring them cost three more SELECTs per call).
    ticket = queries.load_ticket(session, ticket_id)
    queries.add_history(session, ticket, "call", states.WAITING, principal, now)
    uow.record(ev.TICKET_CALLED, event_payload(ticket, counter, recall=False))
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
        office = queries.get_office(session, ctx.settings)
        params = {"service_ids": [s.id for s in counter.services],
                  "day": service_day(now, office.timezone),
                  "overdue_before": now - queries.max_wait(office)}
        ticket_id = session.execute(queries.NEXT_IN_LINE[queries.is_postgres(session)],
                                    params).scalar()
        if ticket_id is None:
            return None
        # The row is ours: the write lock (SQLite) or the row lock (PostgreSQL) is held.
        if not _claim(session, ticket_id, counter, now, locked=True):
            raise AssertionError(f"ticket {ticket_id} changed under a held lock")
        return _after_call(ctx, uow, ticket_id, counter, principal, now)


def call_specific(ctx: QueueContext, counter_id: int, ticket_id: int,
                  principal: Principal) -> dict[str, Any]:
    """Call one particular waiting ticket that this counter serves."""
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        counter = _counter_ready_to_call(session, counter_id, principal)
        ticket = queries.load_ticket(session, ticket_id)
        if ticket.service_id not in {s.id for s in counter.services}:
            raise InvalidInput(f"{counter.name} tidak melayani {ticket.service.name}.",
                               field="ticket_id", code="service_not_at_counter")
        if ticket.status != states.WAITING or not _claim(session, ticket.id, counter, now):
            raise TicketNotWaiting(f"Antrean {ticket.number} tidak sedang menunggu.",
                                   field="ticket_id")
        return _after_call(ctx, uow, ticket.id, counter, principal, now)
