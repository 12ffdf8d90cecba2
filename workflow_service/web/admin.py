"""Admin endpoints: local calendar overrides and parked notification incidents."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from loket.auth import current_principal, require
from workflow_service import validation
from workflow_service.usecases import admin
from workflow_service.web.common import STAFF, SUPERVISORS, ctx, json_body

bp = Blueprint("admin", __name__)


@bp.get("/calendar/overrides")
@require(*STAFF)
def list_overrides() -> Response:
    """Local closed and open days on top of the national calendar."""
    return jsonify(admin.list_overrides(ctx()))


@bp.post("/calendar/overrides")
@require(*SUPERVISORS)
def add_override() -> tuple[Response, int]:
    """Declare a local closed day (e.g. Hari Jadi Banyuwangi) or an extra open day."""
    override = validation.parse_override(json_body())
    return jsonify(admin.add_override(ctx(), override, current_principal())), 201


@bp.delete("/calendar/overrides/<day>")
@require(*SUPERVISORS)
def delete_override(day: str) -> Response:
    """Remove a local closed or open day."""
    return jsonify(admin.delete_override(ctx(), day))


@bp.get("/incidents")
@require(*SUPERVISORS)
def list_incidents() -> Response:
    """Notifications that kept failing and were parked."""
    return jsonify(admin.list_incidents(ctx()))


@bp.post("/incidents/<int:notification_id>/retry")
@require(*SUPERVISORS)
def retry(notification_id: int) -> Response:
    """Put a parked notification back in the delivery queue."""
    return jsonify(admin.retry(ctx(), notification_id))
