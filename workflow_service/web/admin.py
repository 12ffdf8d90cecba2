"""Admin endpoints: local calendar overrides and parked notification incidents."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from loket.app_support import get_db
from loket.auth import current_principal, require
from loket.errors import Conflict, NotFound, ValidationFailed
from workflow_service.api.cases import json_body
from workflow_service.models import CalendarOverride, Notification
from workflow_service.notify import retry_incident

bp = Blueprint("admin", __name__)


def _override_json(row: CalendarOverride) -> dict[str, str | None]:
    return {"date": row.day.isoformat(), "kind": row.kind, "name": row.name,
            "created_by": row.created_by}


@bp.get("/calendar/overrides")
@require("petugas", "operator", "kasi", "sekcam", "camat")
def list_overrides() -> Response:
    """Local closed and open days on top of the national calendar."""
    with get_db().session() as session:
        rows = session.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
        return jsonify({"overrides": [_override_json(r) for r in rows]})


@bp.post("/calendar/overrides")
@require("sekcam", "camat")
def add_override() -> tuple[Response, int]:
    """Declare a local closed day (e.g. Hari Jadi Banyuwangi) or an extra open day."""
    data = json_body()
    try:
        day = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        raise ValidationFailed("Tanggal harus berformat YYYY-MM-DD.", field="date") from None
    kind = data.get("kind")
    if kind not in ("closed", "open"):
        raise ValidationFailed("Jenis harus 'closed' (libur) atau 'open' (buka).", field="kind")
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 120:
        raise ValidationFailed("Keterangan wajib diisi (1–120 karakter).", field="name")
    principal = current_principal()
    with get_db().session() as session:
        if session.get(CalendarOverride, day) is not None:
            raise Conflict("Tanggal ini sudah diatur; hapus dulu sebelum mengubah.",
                           field="date")
        row = CalendarOverride(day=day, kind=kind, name=name.strip(),
                               created_by=principal.username if principal else None)
        session.add(row)
        return jsonify(_override_json(row)), 201


@bp.delete("/calendar/overrides/<day>")
@require("sekcam", "camat")
def delete_override(day: str) -> Response:
    try:
        key = dt.date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("Tanggal harus berformat YYYY-MM-DD.", field="date") from None
    with get_db().session() as session:
        row = session.get(CalendarOverride, key)
        if row is None:
            raise NotFound("Tanggal ini tidak diatur.", field="date")
        session.delete(row)
    return jsonify({"deleted": day})


def _incident_json(n: Notification) -> dict[str, object]:
    return {"id": n.id, "channel": n.channel, "recipient_role": n.recipient_role,
            "subject": n.subject, "status": n.status, "attempts": n.attempts,
            "last_error": n.last_error, "created_at": n.created_at.isoformat()}


@bp.get("/incidents")
@require("sekcam", "camat")
def list_incidents() -> Response:
    """Notifications that kept failing and were parked."""
    with get_db().session() as session:
        rows = session.scalars(select(Notification).where(Notification.status == "parked")
                               .order_by(Notification.id))
        return jsonify({"incidents": [_incident_json(n) for n in rows]})


@bp.post("/incidents/<int:notification_id>/retry")
@require("sekcam", "camat")
def retry(notification_id: int) -> Response:
    with get_db().session() as session:
        item = retry_incident(session, notification_id)
        if item is None:
            raise NotFound("Insiden tidak ditemukan.", field="id")
        if item.status != "pending":
            raise Conflict("Notifikasi ini tidak sedang diparkir.", field="id")
        return jsonify(_incident_json(item))
