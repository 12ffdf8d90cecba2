"""Personal data by need (issue #17): who reads a visitor's full NIK and phone number.

Only the officer serving the visitor: the ticket is called or being served at the reader's
counter (the counter of their token, or the counter they opened). The workflow service reads a
ticket's visitor once, to open its case (a service token, no account). Every such read is
written to the access log (a short transaction of its own, before the answer goes out).
Everyone else gets the masked values only.
"""

from __future__ import annotations

from loket import access_log
from loket.auth import Principal
from queue_service.domain import states
from queue_service.models import Ticket
from queue_service.usecases.context import QueueContext

FIELDS = ("nik", "phone")
SERVICE = "queue"


def reveal_reason(principal: Principal, ticket: Ticket) -> str | None:
    """Why ``principal`` may read the visitor in full, or None (masked)."""
    if ticket.visitor is None:
        return None
    if principal.kind == "service":
        return f"layanan alur kerja membuka kasus dari tiket {ticket.number}"
    if not principal.is_staff or ticket.status not in states.ACTIVE_AT_COUNTER:
        return None
    counter = ticket.counter
    if counter is None:
        return None
    if counter.id == principal.counter_id or counter.officer_id == principal.id:
        return f"melayani tiket {ticket.number} di loket {counter.number}"
    return None


def log_full_read(ctx: QueueContext, principal: Principal, ticket: Ticket, reason: str) -> None:
    reader = access_log.Reader(principal.username,
                               principal.id if principal.is_staff else None)
    access_log.record_now(ctx.db, reader, SERVICE, "ticket", ticket.id, FIELDS, reason)
