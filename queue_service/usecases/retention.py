"""Retention of the queue's personal data (issue #17, ``LOKET_RETENTION_DAYS``).

A ticket that ended (done, no-show, cancelled, closed) on a service day older than the
retention period loses its visitor's personal data: name, NIK (encrypted value, blind index,
masked form), phone number, and the kiosk's free-text answers (``details``). The ticket row
itself stays, with its service, day, status and every timestamp: the counts, the durations
and the reports of that day are unchanged. Idempotent: a second run finds nothing to do.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, String, and_, cast, or_, select, update
from sqlalchemy.orm import Session

from loket.db import utcnow
from queue_service.domain import states
from queue_service.domain.numbering import service_day
from queue_service.models import Ticket, Visitor
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext

_PERSONAL = (Visitor.name_enc, Visitor.nik_enc, Visitor.nik_index, Visitor.nik_masked,
             Visitor.phone_enc)


def cutoff_day(session: Session, ctx: QueueContext, days: int,
               now: dt.datetime | None = None) -> dt.date:
    """Tickets of service days before this one are past the retention period."""
    timezone = queries.office_row(session, ctx.settings)[1]
    return service_day(now or utcnow(), timezone) - dt.timedelta(days=days)


BATCH = 500


def _old_ticket(before: dt.date) -> ColumnElement[bool]:
    return and_(Ticket.service_day < before, Ticket.status.in_(states.FINAL_STATUSES))


def _visitors_to_clear(session: Session, before: dt.date) -> list[int]:
    """Visitors of old, ended tickets with personal data left (issuing writes one visitor row
    per ticket, so no newer ticket shares it)."""
    return list(session.scalars(
        select(Visitor.id).join(Ticket, Ticket.visitor_id == Visitor.id)
        .where(_old_ticket(before), or_(*(c.is_not(None) for c in _PERSONAL)))
        .order_by(Visitor.id)))


def _details_to_clear(session: Session, before: dt.date) -> list[int]:
    """Old, ended tickets still holding the kiosk's answers (``{}`` once cleared)."""
    return list(session.scalars(
        select(Ticket.id).where(_old_ticket(before), Ticket.details.is_not(None),
                                cast(Ticket.details, String) != "{}")
        .order_by(Ticket.id)))


def run(ctx: QueueContext, days: int, dry_run: bool = False,
        now: dt.datetime | None = None) -> dict[str, int]:
    """Remove the personal data of tickets past the retention period; how many visitors and
    tickets were (with ``dry_run``: would be) cleared."""
    with ctx.db.session() as session:
        before = cutoff_day(session, ctx, days, now)
        visitors = _visitors_to_clear(session, before)
        tickets = _details_to_clear(session, before)
        if not dry_run:
            for i in range(0, len(visitors), BATCH):
                session.execute(update(Visitor).where(Visitor.id.in_(visitors[i:i + BATCH]))
                                .values({c.key: None for c in _PERSONAL})
                                .execution_options(synchronize_session=False))
            for i in range(0, len(tickets), BATCH):
                session.execute(update(Ticket).where(Ticket.id.in_(tickets[i:i + BATCH]))
                                .values(details={})
                                .execution_options(synchronize_session=False))
        return {"visitors": len(visitors), "ticket_details": len(tickets)}
