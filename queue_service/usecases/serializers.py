"""The JSON shapes of the queue: tickets for staff and for the public, counters, event payloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from loket.nik import mask_niks_in
from queue_service.domain import states
from queue_service.domain.nik import mask_phone
from queue_service.models import Counter, Service, Staff, Ticket
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def counter_ref(counter: Counter | None) -> dict[str, Any] | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def event_payload(ticket: Ticket, counter: Counter | None = None, **extra: Any) -> dict[str, Any]:
    """A ticket event's payload: numbers and codes only, never personal data."""
    payload: dict[str, Any] = {
        "ticket": {"id": ticket.id, "number": ticket.number, "service": ticket.service.code,
                   "priority": ticket.priority, "status": ticket.status},
    }
    if counter is not None:
        payload["counter"] = counter_ref(counter)
    payload.update(extra)
    return payload


def counter_json(session: Session, counter: Counter) -> dict[str, Any]:
    current = queries.active_ticket(session, counter.id)
    officer = session.get(Staff, counter.officer_id) if counter.officer_id else None
    return {
        "id": counter.id, "number": counter.number, "name": counter.name,
        "status": counter.status, "services": [s.code for s in counter.services],
        "officer": ({"id": officer.id, "username": officer.username,
                     "display_name": officer.display_name} if officer else None),
        "current": current_json(current),
    }


def current_json(ticket: Ticket | None) -> dict[str, Any] | None:
    """The ticket a counter is handling, as the board and the consoles show it."""
    if ticket is None:
        return None
    return {"id": ticket.id, "number": ticket.number, "service": ticket.service.code,
            "status": ticket.status, "called_at": iso(ticket.last_called_at or ticket.called_at),
            "recalls": ticket.recalls, "priority": ticket.priority}


def _visitor_json(ctx: QueueContext, ticket: Ticket, reveal_nik: bool) -> dict[str, Any] | None:
    if ticket.visitor is None:
        return None
    cipher = ctx.cipher
    visitor: dict[str, Any] = {
        "name": cipher.decrypt(ticket.visitor.name_enc),
        "nik_masked": ticket.visitor.nik_masked,
        "phone_masked": mask_phone(cipher.decrypt(ticket.visitor.phone_enc)),
        "consent": ticket.visitor.consent,
        "consent_at": iso(ticket.visitor.consent_at),
    }
    if reveal_nik:
        visitor["nik"] = cipher.decrypt(ticket.visitor.nik_enc)
        visitor["phone"] = cipher.decrypt(ticket.visitor.phone_enc)
    return visitor


def staff_ticket_json(ctx: QueueContext, session: Session, ticket: Ticket,
                      reveal_nik: bool = False,
                      cache: dict[Any, Any] | None = None) -> dict[str, Any]:
    """What staff consoles see: the whole ticket, the visitor's NIK masked unless revealed."""
    position = queries.position(ctx, session, ticket, cache)
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
        "issued_at": iso(ticket.issued_at), "original_issued_at": iso(ticket.original_issued_at),
        "called_at": iso(ticket.called_at), "last_called_at": iso(ticket.last_called_at),
        "serving_at": iso(ticket.serving_at), "finished_at": iso(ticket.finished_at),
        "held_at": iso(ticket.held_at), "transferred_at": iso(ticket.transferred_at),
        "return_to_service": return_service.code if return_service else None,
        "returning": ticket.is_returning,
        "details": ticket.details if reveal_nik else mask_niks_in(ticket.details),
        "visitor": _visitor_json(ctx, ticket, reveal_nik),
        "nik_masked": ticket.visitor.nik_masked if ticket.visitor else None,
    }


def public_ticket_json(ctx: QueueContext, session: Session, ticket: Ticket) -> dict[str, Any]:
    """What the visitor's own status page shows: no personal data."""
    position = queries.position(ctx, session, ticket)
    return {
        "number": ticket.number, "service": ticket.service.code,
        "service_name": ticket.service.name, "status": ticket.status,
        "position": position["position"], "people_ahead": position["people_ahead"],
        "estimated_wait_minutes": position["estimated_wait_minutes"],
        "counter": counter_ref(ticket.counter) if ticket.status in states.ACTIVE_AT_COUNTER
        else None,
        "issued_at": iso(ticket.issued_at), "called_at": iso(ticket.last_called_at),
        "service_day": ticket.service_day.isoformat(),
    }
