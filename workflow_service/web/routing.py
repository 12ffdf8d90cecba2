"""Routing over HTTP: a complaint's classification and lembar disposisi; a file sent to an
outside office and received back; the stuck list."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from loket.auth import require
from workflow_service.usecases import handoffs, routing
from workflow_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("routing", __name__)


@bp.put("/cases/<int:case_id>/classification")
@require(*STAFF)
def classify(case_id: int) -> Response:
    """Kind and topic of a complaint; the topic (or ``route``) decides the disposisi desk."""
    return jsonify(routing.classify(ctx(), case_id, principal(), json_body()))


@bp.post("/cases/<int:case_id>/disposisi")
@require("camat", "sekcam")
def dispose(case_id: int) -> tuple[Response, int]:
    """The Camat/Sekcam's lembar disposisi: to whom, instruction, date, urgency, notes."""
    return jsonify(routing.dispose(ctx(), case_id, principal(), json_body())), 201


@bp.post("/cases/<int:case_id>/handoff/sent")
@require(*STAFF)
def sent(case_id: int) -> Response:
    """The file left for the outside office (the KK to the Dinas): its own clock starts."""
    return jsonify(handoffs.mark_sent(ctx(), case_id, principal()))


@bp.post("/cases/<int:case_id>/handoff/received")
@require(*STAFF)
def received(case_id: int) -> Response:
    """The file came back from the outside office: its clock stops and the step completes."""
    return jsonify(handoffs.mark_received(ctx(), case_id, principal()))


@bp.get("/cases/stuck")
@require("kasi", "sekcam", "camat")
def stuck() -> Response:
    """Open cases past their step's deadline or long at an outside office (the dashboard)."""
    return jsonify(handoffs.stuck(ctx()))
