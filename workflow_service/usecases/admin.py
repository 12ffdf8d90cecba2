"""Administration of the workflow: local calendar days and parked notifications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from loket.errors import Conflict, NotFound
from workflow_service.models import CalendarOverride, Notification
from workflow_service.notify import retry_incident
from workflow_service.usecases.context import WorkflowContext
from workflow_service.validation import Override, parse_day


def _override_json(row: CalendarOverride) -> dict[str, str | None]:
    return {"date": row.day.isoformat(), "kind": row.kind, "name": row.name,
            "created_by": row.created_by}


def list_overrides(ctx: WorkflowContext) -> dict[str, Any]:
    with ctx.db.read_session() as session:
        rows = session.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
        return {"overrides": [_override_json(r) for r in rows]}


def add_override(ctx: WorkflowContext, override: Override,
                 actor: Principal | None) -> dict[str, Any]:
    with ctx.db.session() as session:
        if session.get(CalendarOverride, override.day) is not None:
            raise Conflict("Tanggal ini sudah diatur; hapus dulu sebelum mengubah.",
                           field="date")
        row = CalendarOverride(day=override.day, kind=override.kind, name=override.name,
                               created_by=actor.username if actor else None)
        session.add(row)
        return _override_json(row)


def delete_override(ctx: WorkflowContext, day: str) -> dict[str, Any]:
    key = parse_day(day)
    with ctx.db.session() as session:
        row = session.get(CalendarOverride, key)
        if row is None:
            raise NotFound("Tanggal ini tidak diatur.", field="date")
        session.delete(row)
    return {"deleted": day}


def _incident_json(n: Notification) -> dict[str, object]:
    return {"id": n.id, "channel": n.channel, "recipient_role": n.recipient_role,
            "subject": n.subject, "status": n.status, "attempts": n.attempts,
            "last_error": n.last_error, "created_at": n.created_at.isoformat()}


def list_incidents(ctx: WorkflowContext) -> dict[str, Any]:
    """Notifications that kept failing and were parked."""
    with ctx.db.read_session() as session:
        rows = session.scalars(select(Notification).where(Notification.status == "parked")
                               .order_by(Notification.id))
        return {"incidents": [_incident_json(n) for n in rows]}


def retry(ctx: WorkflowContext, notification_id: int) -> dict[str, Any]:
    with ctx.db.session() as session:
        item = retry_incident(session, notification_id)
        if item is None:
            raise NotFound("Insiden tidak ditemukan.", field="id")
        if item.status != "pending":
            raise Conflict("Notifikasi ini tidak sedang diparkir.", field="id")
        return _incident_json(item)
