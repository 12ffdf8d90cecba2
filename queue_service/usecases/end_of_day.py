"""End of the service day: what is left of earlier local days is closed or carried over."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import events as ev
from loket.db import utcnow
from queue_service.domain import states
from queue_service.domain.numbering import service_day
from queue_service.models import Ticket
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, UnitOfWork, unit_of_work
from queue_service.usecases.serializers import event_payload


def end_of_day(ctx: QueueContext, now: dt.datetime | None = None) -> dict[str, int]:
    """Close or carry over what is left of earlier local days. Safe to run any number of times."""
    now = now or utcnow()
    counts = {"closed": 0, "carried_over": 0}
    with unit_of_work(ctx) as uow:
        session = uow.session
        office = queries.get_office(session, ctx.settings)
        day = service_day(now, office.timezone)
        query = select(Ticket).where(Ticket.service_day < day,
                                     Ticket.status.in_(states.OPEN_STATUSES)).order_by(Ticket.id)
        if queries.is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        for ticket in session.scalars(query):
            if office.end_of_day_policy == "carry_over":
                _carry_over(session, uow, ticket, day, now)
                counts["carried_over"] += 1
            else:
                _close(session, uow, ticket, now)
                counts["closed"] += 1
    return counts


def _carry_over(session: Session, uow: UnitOfWork, ticket: Ticket, day: dt.date,
                now: dt.datetime) -> None:
    before, counter = ticket.status, ticket.counter
    ticket.status = states.next_status(before, "carry_over")
    ticket.service_day = day
    ticket.counter = None
    ticket.recalls = 0
    ticket.updated_at = now
    session.flush()
    queries.add_history(session, ticket, "carry_over", before, None, now)
    uow.record(ev.TICKET_RESUMED, event_payload(ticket, counter, carried_over=True))


def _close(session: Session, uow: UnitOfWork, ticket: Ticket, now: dt.datetime) -> None:
    before, counter = ticket.status, ticket.counter
    ticket.status = states.next_status(before, "close")
    ticket.closed_at = now
    ticket.counter = None
    ticket.updated_at = now
    session.flush()
    queries.add_history(session, ticket, "close", before, None, now)
    uow.record(ev.TICKET_CLOSED, event_payload(ticket, counter))
