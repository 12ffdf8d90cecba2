"""A ticket's life at the counter (recall, start, finish, no-show, hold, resume, transfer,
cancel) and reading tickets: the visitor's own status, staff lists, one ticket."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket import events as ev
from loket.auth import Principal
from loket.db import utcnow
from queue_service import line_state
from queue_service.domain import states
from queue_service.domain.errors import InvalidInput, ServiceClosed, TicketNotFound
from queue_service.domain.numbering import is_tracking_code, normalize_tracking_code
from queue_service.models import Office, Service, Ticket
from queue_service.usecases import personal_data, queries
from queue_service.usecases.context import QueueContext, UnitOfWork, unit_of_work
from queue_service.usecases.remit import check_ticket_remit
from queue_service.usecases.serializers import event_payload, public_ticket_json, staff_ticket_json

TICKET_ACTIONS = ("recall", "start", "finish", "no_show", "hold", "resume", "transfer", "cancel")
# The timestamp each action leaves on the ticket (every transition is timestamped).
_STAMPED_AT = {"start": "serving_at", "finish": "finished_at", "no_show": "no_show_at",
               "hold": "held_at", "resume": "resumed_at", "cancel": "cancelled_at"}
_EVENT_FOR = {
    "start": ev.TICKET_SERVING, "finish": ev.TICKET_DONE, "no_show": ev.TICKET_NO_SHOW,
    "hold": ev.TICKET_ON_HOLD, "resume": ev.TICKET_RESUMED, "transfer": ev.TICKET_TRANSFERRED,
    "cancel": ev.TICKET_CANCELLED,
}


# -- actions -----------------------------------------------------------------------------------

def act(ctx: QueueContext, ticket_id: int, action: str, principal: Principal,
        transfer: tuple[str, bool] | None = None) -> dict[str, Any]:
    """Apply one lifecycle action to a ticket (see domain.states for what is legal)."""
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        ticket = queries.load_ticket(session, ticket_id, lock=True)
        counter = ticket.counter
        check_ticket_remit(session, principal, ticket)
        office = queries.get_office(session, ctx.settings)
        before = ticket.status
        if action == "recall":
            states.next_status(before, "recall")
            if states.recall_outcome(ticket.recalls, office.recalls_before_no_show) == "no_show":
                action = "no_show"
        target = states.next_status(before, action)
        event_type, extra = _apply(session, ticket, action, before, office, transfer, now)
        ticket.status = target
        if target not in states.ACTIVE_AT_COUNTER:
            ticket.counter = None
        if target == states.WAITING:
            ticket.recalls = 0
        ticket.updated_at = now
        session.flush()
        queries.add_history(session, ticket, action, before, principal, now)
        uow.record(event_type, event_payload(ticket, counter, **extra))
        if action == "finish":
            ctx.minutes_cache.pop((ticket.service_id, ticket.service_day))
        if action == "finish" and ticket.return_to_service_id is not None:
            _return_to_first_service(session, uow, ticket, principal, now)
        session.flush()
        return staff_ticket_json(ctx, session, ticket)


def _apply(session: Session, ticket: Ticket, action: str, before: str, office: Office,
           transfer: tuple[str, bool] | None,
           now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """What the action changes on the ticket besides its status; its event type and extras."""
    if action == "recall":
        ticket.recalls += 1
        ticket.last_called_at = now
        return ev.TICKET_RECALLED, {"recall": True, "recalls": ticket.recalls}
    extra: dict[str, Any] = {}
    if action in _STAMPED_AT:
        setattr(ticket, _STAMPED_AT[action], now)
        if (action == "no_show" and before == states.CALLED
                and ticket.recalls >= office.recalls_before_no_show):
            extra = {"automatic": True, "recalls": ticket.recalls}
    elif action == "transfer":
        assert transfer is not None
        extra = _transfer(session, ticket, transfer, now)
    return _EVENT_FOR[action], extra


def _transfer(session: Session, ticket: Ticket, transfer: tuple[str, bool],
              now: dt.datetime) -> dict[str, Any]:
    code, return_after = transfer
    target_service = queries.service_by_code(session, code)
    if target_service.id == ticket.service_id:
        raise InvalidInput("Layanan tujuan sama dengan layanan saat ini.",
                           field="service", code="same_service")
    if not target_service.is_open:
        raise ServiceClosed(f"Layanan {target_service.name} sedang tutup.", field="service")
    extra = {"from_service": ticket.service.code, "to_service": target_service.code,
             "return_after": return_after}
    if ticket.status == states.WAITING:  # two line rows change: lock them in a fixed order
        line_state.lock_lines(session, ticket.service_day, [ticket.service_id, target_service.id])
    ticket.return_to_service_id = ticket.service_id if return_after else None
    ticket.service_id = target_service.id
    ticket.service = target_service
    ticket.transferred_at = now
    ticket.is_returning = False
    return extra


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
    queries.add_history(session, ticket, "return", states.DONE, principal, now)
    uow.record(ev.TICKET_TRANSFERRED, event_payload(
        ticket, from_service=from_code, to_service=back.code, return_after=False, returned=True))


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
        day = queries.today(session, ctx.settings)
        query = select(Ticket).where(Ticket.service_day == day)
        if status:
            if status not in states.STATUSES:
                raise InvalidInput("Status tidak dikenal.", field="status")
            query = query.where(Ticket.status == status)
        if service:
            query = query.where(Ticket.service_id == queries.service_by_code(session, service).id)
        tickets = session.scalars(query.order_by(Ticket.original_issued_at, Ticket.id)
                                  .limit(limit))
        cache: dict[Any, Any] = {}
        return [staff_ticket_json(ctx, session, t, cache=cache) for t in tickets]


def get_ticket(ctx: QueueContext, ticket_id: int, principal: Principal) -> dict[str, Any]:
    """One ticket; the full NIK and phone only to the officer serving it (logged)."""
    with ctx.db.read_session() as session:
        ticket = queries.load_ticket(session, ticket_id)
        reason = personal_data.reveal_reason(principal, ticket)
        body = staff_ticket_json(ctx, session, ticket, reveal_nik=reason is not None)
    if reason is not None:
        personal_data.log_full_read(ctx, principal, ticket, reason)
    return body
