"""Cases over HTTP: worklists, staff intake, step actions."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from workflow_service import validation
from workflow_service.usecases import actions, case_access, opening, queries, reassign
from workflow_service.usecases import applicant as applicant_uc
from workflow_service.usecases.context import catalog
from workflow_service.web.common import STAFF, STAFF_AND_ADMIN, ctx, json_body, principal

bp = Blueprint("cases", __name__)


@bp.get("/cases")
@require(*STAFF)
def list_cases() -> Response:
    """Worklist: cases whose current step belongs to ``role`` (and ``status``)."""
    query = validation.parse_worklist(request.args, catalog().roles.codes(),
                                     catalog().codes())
    return jsonify(queries.worklist(ctx(), query, principal()))


@bp.get("/cases/external")
@require(*STAFF)
def external_steps() -> Response:
    """Open cases whose file is with an outside office (the dashboard's list)."""
    return jsonify(queries.external_steps(ctx()))


@bp.get("/cases/<int:case_id>")
@require(*STAFF)
def show_case(case_id: int) -> Response:
    """One case with every step and its audit log; ``?reveal=1``: the applicant in full, for
    the holder of the current step only (logged)."""
    reveal = validation.parse_reveal(request.args.get("reveal"))
    return jsonify(case_access.show_case(ctx(), case_id, principal(), reveal=reveal))


@bp.post("/cases")
@require(*STAFF)
def create_case() -> tuple[Response, int]:
    """Staff intake: a case with no ticket (a complaint by phone, letter, WhatsApp, …)."""
    intake = validation.parse_intake(json_body())
    return jsonify(opening.create_case(ctx(), intake, principal())), 201


@bp.put("/cases/<int:case_id>/applicant")
@require(*STAFF)
def set_applicant(case_id: int) -> Response:
    """Add or correct the applicant at intake (NIK checked as the kiosk checks it)."""
    applicant = validation.parse_applicant(json_body())
    return jsonify(applicant_uc.set_applicant(ctx(), case_id, applicant, principal()))


@bp.post("/cases/<int:case_id>/steps/current/<action>")
@require(*STAFF_AND_ADMIN)
def act_on_current_step(case_id: int, action: str) -> Response:
    """complete | return | resubmit | reject | reassign | cancel the case's current step."""
    data = validation.parse_action(json_body())
    if action == "reassign":  # to a person picked from the staff list
        return jsonify(reassign.reassign(ctx(), case_id, principal(), data))
    return jsonify(actions.act(ctx(), case_id, action, principal(), data))


@bp.get("/cases/<int:case_id>/steps/current/candidates")
@require(*STAFF_AND_ADMIN)
def reassign_candidates(case_id: int) -> Response:
    """The people the current step may be reassigned to (its role, its section)."""
    return jsonify(reassign.candidates(ctx(), case_id, principal()))


# The live workflow events (/events) are served by the stream process (stream_service).
