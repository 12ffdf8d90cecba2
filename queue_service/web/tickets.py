"""Tickets: issuing (kiosk), staff lists, and the lifecycle actions at the counter."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from loket.errors import NotFound, ValidationFailed
from queue_service import validation
from queue_service.usecases import issuing, tickets
from queue_service.web.common import FRONTLINE, STAFF, ctx, json_body, principal

bp = Blueprint("queue_tickets", __name__)

ACTION_PATHS = {
    "recall": "recall", "start": "start", "finish": "finish", "no-show": "no_show",
    "hold": "hold", "resume": "resume", "transfer": "transfer", "cancel": "cancel",
}


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 100 or not key.isascii() or not key.isprintable():
        raise ValidationFailed("Idempotency-Key harus berupa teks ASCII, 1–100 karakter.",
                               field="Idempotency-Key", code="invalid_idempotency_key")
    return key


@bp.post("/tickets")
@require(*FRONTLINE, devices=("kiosk",))
def issue() -> tuple[Response, int]:
    """Take a number: kiosk (with Idempotency-Key) or an officer on a visitor's behalf."""
    data = validation.parse_issue(json_body())
    key = _idempotency_key()
    who = principal()
    device_id = who.id if who.kind == "device" else None
    return jsonify(issuing.issue_ticket(ctx(), data, device_id, key)), 201


@bp.get("/tickets")
@require(*STAFF)
def list_tickets() -> Response:
    """Today's tickets, optionally by status and service; NIK masked."""
    found = tickets.list_tickets(ctx(), request.args.get("status") or None,
                                 request.args.get("service") or None)
    return jsonify({"tickets": found})


@bp.get("/tickets/id/<int:ticket_id>")
@require(*STAFF)
def get_ticket(ticket_id: int) -> Response:
    """One ticket; only the officer serving it reads the full NIK and phone (logged)."""
    return jsonify(tickets.get_ticket(ctx(), ticket_id, principal()))


@bp.post("/tickets/<int:ticket_id>/<string:action>")
@require(*STAFF)
def ticket_action(ticket_id: int, action: str) -> Response:
    """recall, start, finish, no-show, hold, resume, transfer, cancel."""
    name = ACTION_PATHS.get(action)
    if name is None:
        raise NotFound("Tindakan tidak dikenal.", field="action")
    transfer = validation.parse_transfer(json_body()) if name == "transfer" else None
    return jsonify(tickets.act(ctx(), ticket_id, name, principal(), transfer))
