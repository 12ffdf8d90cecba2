"""Acting within one's remit: an officer acts on tickets of the services their counter serves.

A ticket at a counter (called, being served) belongs to that counter's officer
(:func:`counters.check_counter_access`). A ticket at no counter (waiting, on hold) belongs to
the officers of every counter that serves its service: the counter the account is assigned to
and the counter the officer opened (sat down at). Supervisors (the roles someone reports to in
``sop/data/roles.yaml``: kasi, sekcam, camat) and admin act on any ticket, as at any counter.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loket.auth import Principal
from loket.errors import Unauthorized
from queue_service.domain.errors import OutsideRemit
from queue_service.models import Counter, Staff, Ticket, counter_service
from queue_service.usecases.counters import SUPERVISOR_ROLES, check_counter_access


def served_service_ids(session: Session, staff: Staff) -> set[int]:
    """The services of the counters this officer works at (assigned or opened)."""
    rows = session.scalars(
        select(counter_service.c.service_id)
        .join(Counter, Counter.id == counter_service.c.counter_id)
        .where(or_(Counter.id == staff.counter_id, Counter.officer_id == staff.id)))
    return set(rows)


def check_ticket_remit(session: Session, principal: Principal, ticket: Ticket) -> None:
    """Refuse (403 ``outside_remit``, nothing changed) a ticket outside the caller's remit."""
    if principal.has_any(*SUPERVISOR_ROLES):
        return
    if ticket.counter is not None:
        check_counter_access(session, principal, ticket.counter)
        return
    staff = session.get(Staff, principal.id) if principal.is_staff else None
    if staff is None or not staff.active:
        raise Unauthorized("Akun petugas tidak aktif.", code="inactive_staff")
    if ticket.service_id in served_service_ids(session, staff):
        return
    raise OutsideRemit(
        f"Antrean {ticket.number} adalah layanan {ticket.service.name}, yang tidak dilayani "
        "loket Anda; hanya petugas loket layanan itu atau atasan yang dapat menindaklanjutinya.",
        field="ticket_id")
