"""Staff sign-in, who am I, announcements, kiosk faults."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from loket.addresses import client_address
from loket.auth import current_principal, issue_token, require
from loket.errors import Forbidden, Unauthorized
from queue_service import validation
from queue_service.usecases import accounts, hall, sessions
from queue_service.web.common import STAFF, SUPERVISORS, ctx, json_body, principal

bp = Blueprint("queue_staff", __name__)



@bp.post("/auth/token")
def token() -> Response:
    """Exchange username and password for a bearer token (valid one working day)."""
    username, password = validation.parse_login(json_body())
    address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                             current_app.config["LOKET_SETTINGS"].trusted_proxies)[:64]
    who = accounts.authenticate(ctx(), username, password, address)
    return jsonify({"token": issue_token(current_app.config["SECRET_KEY"], who),
                    "staff": accounts.staff_json(ctx(), who.id),
                    "must_change_password": who.password_change_only})


@bp.post("/auth/logout")
def logout() -> tuple[str, int]:
    """End the caller's sessions: every token of the account is refused from now on (in every
    service and the stream process within seconds). Staff only."""
    who = current_principal()
    if who is None:
        raise Unauthorized("Perlu masuk (login) terlebih dahulu.")
    if not who.is_staff:
        raise Forbidden("Hanya petugas yang dapat keluar (logout).")
    sessions.logout(ctx(), who)
    return "", 204


@bp.get("/me")
@require(*STAFF, devices=("kiosk", "display"))
def me() -> Response:
    """The caller: a staff member or a device."""
    who = principal()
    if who.kind == "device":
        return jsonify({"kind": "device", "device": {"id": who.id, "label": who.username,
                                                     "kind": sorted(who.roles)[0]}})
    return jsonify({"kind": "staff", "staff": accounts.staff_json(ctx(), who.id)})


@bp.get("/announcements")
def get_announcements() -> Response:
    """The running text under the board."""
    return jsonify({"announcements": hall.get_announcements(ctx())})


@bp.put("/announcements")
@require(*SUPERVISORS)
def put_announcements() -> Response:
    """Replace the running text (``{"announcements": [...]}`` or ``{"text": "..."}``)."""
    texts = validation.parse_announcements(json_body())
    return jsonify({"announcements": hall.set_announcements(ctx(), texts)})


@bp.post("/kiosk/faults")
@require(devices=("kiosk",))
def report_fault() -> tuple[Response, int]:
    """A kiosk reports a fault (printer offline, paper out...) for the staff consoles."""
    code, detail = validation.parse_fault(json_body())
    return jsonify(hall.report_fault(ctx(), principal(), code, detail)), 201


@bp.get("/kiosk/faults")
@require(*STAFF)
def list_faults() -> Response:
    """Recent kiosk faults, newest first."""
    return jsonify({"faults": hall.list_faults(ctx())})
