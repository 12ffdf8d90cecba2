"""Counters (loket): who may act at one, listing them, opening, pausing and closing them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from loket import events as ev
from loket.auth import Principal
from loket.db import utcnow
from loket.errors import Unauthorized
from queue_service.domain.errors import CounterBusy, InvalidInput, NotYourCounter
from queue_service.models import Counter, Staff
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, unit_of_work
from queue_service.usecases.serializers import counter_json, counter_ref
from sop import roles

# Supervisors (and admin) act at any counter; sop/data/roles.yaml says who supervises.
SUPERVISOR_ROLES = (*roles.system_roles(), *roles.supervising_roles())
COUNTER_STATUSES = ("open", "paused", "closed")


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
        counter = queries.load_counter(session, counter_id, lock=True)
        check_counter_access(session, principal, counter)
        if status == "closed":
            busy = queries.active_ticket(session, counter.id)
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
