"""Cases over HTTP: worklists, staff intake, step actions, public tracking."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from loket import events
from loket.app_support import get_db, get_redis
from loket.auth import current_principal, require
from loket.errors import ValidationFailed
from workflow_service import services
from workflow_service.privacy import encrypt_applicant

bp = Blueprint("cases", __name__, template_folder="../templates")

STAFF = ("petugas", "operator", "kasi", "sekcam", "camat")
CASE_STATUSES = ("open", "done", "rejected", "cancelled")


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 422 naming what is wrong."""
    data = request.get_json(silent=True)
    if data is None:
        if request.content_length:
            raise ValidationFailed("Isi permintaan bukan JSON yang valid.", field="body",
                                   code="malformed_json")
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed("Isi permintaan harus berupa objek JSON.", field="body",
                               code="malformed_json")
    return data


def _publish(ids: list[int]) -> None:
    events.publish_after_commit(get_db(), get_redis(), ids)


@bp.get("/cases")
@require(*STAFF)
def list_cases() -> Response:
    """Worklist: cases whose current step belongs to ``role`` (and ``status``)."""
    role = request.args.get("role") or None
    status = request.args.get("status") or None
    if status and status not in CASE_STATUSES:
        raise ValidationFailed(f"Status harus salah satu dari: {', '.join(CASE_STATUSES)}.",
                               field="status")
    if role and role not in services.catalog().roles.codes():
        raise ValidationFailed(f"Peran '{role}' tidak dikenal.", field="role")
    mine = request.args.get("mine") in ("1", "true")
    principal = current_principal()
    with get_db().session() as session:
        cases = services.list_cases(session, role=role, status=status,
                                    assignee=principal.username if mine and principal else None)
        return jsonify({"cases": [services.case_json(session, c) for c in cases]})


@bp.get("/cases/<int:case_id>")
@require(*STAFF)
def show_case(case_id: int) -> Response:
    """One case with every step and its audit log."""
    with get_db().session() as session:
        case = services.get_case(session, case_id)
        return jsonify(services.case_json(session, case, detail=True))


@bp.post("/cases")
@require(*STAFF)
def create_case() -> tuple[Response, int]:
    """Staff intake: a case with no ticket (a complaint by phone, letter, WhatsApp, …)."""
    data = json_body()
    sop_code = data.get("sop")
    if not isinstance(sop_code, str) or not sop_code:
        raise ValidationFailed("Jenis layanan (SOP) wajib diisi.", field="sop")
    channel = data.get("channel", "langsung")
    if not isinstance(channel, str):
        raise ValidationFailed("Saluran harus berupa teks.", field="channel")
    subject = data.get("subject")
    if subject is not None and (not isinstance(subject, str) or len(subject) > 2000):
        raise ValidationFailed("Pokok perkara harus teks, paling banyak 2000 karakter.",
                               field="subject")
    applicant = data.get("applicant")
    if applicant is not None and not isinstance(applicant, dict):
        raise ValidationFailed("Data pemohon harus berupa objek.", field="applicant")
    principal = current_principal()
    assert principal is not None
    with get_db().session() as session:
        opened = services.open_case(
            session, sop_code=sop_code, channel=channel, actor=principal.username,
            actor_role=sorted(principal.roles)[0], subject=subject,
            applicant_enc=encrypt_applicant(applicant) if applicant else None)
        body = services.case_json(session, opened.case, detail=True)
    _publish(opened.event_ids)
    return jsonify(body), 201


@bp.post("/cases/<int:case_id>/steps/current/<action>")
@require(*STAFF, "admin")
def act_on_current_step(case_id: int, action: str) -> Response:
    """complete | return | resubmit | reject | reassign | cancel the case's current step."""
    data = json_body()
    principal = current_principal()
    assert principal is not None
    with get_db().session() as session:
        case, ids = services.act(session, case_id, action, principal, data)
        body = services.case_json(session, case, detail=True)
    _publish(ids)
    return jsonify(body)


@bp.get("/track/<code>")
def track(code: str) -> Response:
    """Public: where a case is, what comes next, expected completion. No personal data."""
    with get_db().session() as session:
        return jsonify(services.track(session, code))


@bp.get("/t/<code>")
def track_page(code: str) -> str:
    """The same for a phone screen (the QR on the receipt points here)."""
    with get_db().session() as session:
        try:
            data = services.track(session, code)
        except Exception as exc:  # shown as a friendly page, not an error document
            return render_template("track.html", error=getattr(exc, "message", str(exc)),
                                   data=None, code=code)
    return render_template("track.html", data=data, error=None, code=code)


# The live workflow events (/events) are served by the stream process (stream_service).
