"""Counters (loket): list, open/pause/close, call next, call a specific ticket."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from loket.auth import require
from queue_service import validation
from queue_service.usecases import calling, counters
from queue_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("queue_counters", __name__)

STATUS_FOR = {"open": "open", "pause": "paused", "close": "closed"}


@bp.get("/counters")
@require(*STAFF)
def list_counters() -> Response:
    """Every counter with its status, officer and current ticket."""
    return jsonify({"counters": counters.list_counters(ctx())})


@bp.post("/counters/<int:counter_id>/call-next")
@require(*STAFF)
def call_next(counter_id: int) -> Response | tuple[str, int]:
    """Call the next waiting ticket by the calling rules; 204 when nobody is waiting."""
    ticket = calling.call_next(ctx(), counter_id, principal())
    if ticket is None:
        return "", 204
    return jsonify(ticket)


@bp.post("/counters/<int:counter_id>/call")
@require(*STAFF)
def call_specific(counter_id: int) -> Response:
    """Call one particular waiting ticket (``{"ticket_id": 12}``)."""
    ticket_id = validation.parse_ticket_id(json_body())
    return jsonify(calling.call_specific(ctx(), counter_id, ticket_id, principal()))


@bp.post("/counters/<int:counter_id>/<any(open, pause, close):change>")
@require(*STAFF)
def change_status(counter_id: int, change: str) -> Response:
    """Open (the officer sits down), pause or close a counter."""
    return jsonify(counters.set_counter_status(ctx(), counter_id, STATUS_FOR[change],
                                               principal()))
