"""The admin's view of the word to the citizen: parked "berkas siap diambil" messages."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from loket.auth import require
from loket.errors import NotFound
from workflow_service.usecases import ready_notice
from workflow_service.web.common import SUPERVISORS, ctx

bp = Blueprint("ready_notices", __name__)
MAX_ID = 2**31 - 1


@bp.get("/ready-notices/parked")
@require(*SUPERVISORS)
def list_parked() -> Response:
    """Messages to citizens that kept failing and were parked (no contact, no text)."""
    with ctx().db.read_session() as session:
        return jsonify({"notices": ready_notice.parked(session)})


@bp.post("/ready-notices/<int:notice_id>/retry")
@require(*SUPERVISORS)
def retry(notice_id: int) -> Response:
    """Put a parked message back in the delivery queue."""
    if notice_id > MAX_ID:
        raise NotFound("Pesan tidak ditemukan atau tidak sedang ditahan.", field="notice_id")
    with ctx().db.session() as session:
        if not ready_notice.retry(session, notice_id):
            raise NotFound("Pesan tidak ditemukan atau tidak sedang ditahan.",
                           field="notice_id")
    return jsonify({"id": notice_id, "status": "pending"})
