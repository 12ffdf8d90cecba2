"""The admin API (administrator only): office, services, counters, staff, devices, audit log.

Also the two staff endpoints that come with accounts: changing one's own password, and the
staff list the workflow reads.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, jsonify, request

from loket.auth import issue_token, require
from loket.errors import Forbidden, Unauthorized, ValidationFailed
from queue_service import sop_services
from queue_service import validation_admin as parse
from queue_service.usecases import accounts, admin_audit, admin_people, admin_setup
from queue_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("queue_admin", __name__)

ADMIN = ("admin",)


# -- office, services, counters ----------------------------------------------------------------

@bp.get("/admin/office")
@require(*ADMIN)
def get_office() -> Response:
    """The office profile."""
    return jsonify(admin_setup.get_office(ctx()))


@bp.put("/admin/office")
@require(*ADMIN)
def put_office() -> Response:
    """Change the office profile (only the fields sent)."""
    return jsonify(admin_setup.update_office(ctx(), parse.parse_office(json_body()), principal()))


@bp.get("/admin/services")
@require(*ADMIN)
def list_services() -> Response:
    """Every service with its settings."""
    return jsonify({"services": admin_setup.list_services(ctx())})


@bp.post("/admin/services")
@require(*ADMIN)
def create_service() -> tuple[Response, int]:
    """Offer a service of the SOP catalog that the office does not offer yet."""
    data = parse.parse_service(json_body(), creating=True)
    return jsonify(admin_setup.create_service(ctx(), data, principal())), 201


@bp.put("/admin/services/<string:code>")
@require(*ADMIN)
def put_service(code: str) -> Response:
    """Change a service: prefix, open, bring-list, fee, product, daily quota."""
    changes = parse.parse_service(json_body(), creating=False)
    return jsonify(admin_setup.update_service(ctx(), code, changes, principal()))


@bp.get("/admin/counters")
@require(*ADMIN)
def list_counters() -> Response:
    """Every counter with the services it serves and its place on the TV."""
    return jsonify({"counters": admin_setup.list_counters(ctx())})


@bp.post("/admin/counters")
@require(*ADMIN)
def create_counter() -> tuple[Response, int]:
    """A new counter (``{"name", "services": [codes]}``)."""
    data = parse.parse_counter(json_body(), creating=True)
    return jsonify(admin_setup.create_counter(ctx(), data, principal())), 201


@bp.put("/admin/counters/<int:counter_id>")
@require(*ADMIN)
def put_counter(counter_id: int) -> Response:
    """Rename a counter, change its services or its order on the TV."""
    changes = parse.parse_counter(json_body(), creating=False)
    return jsonify(admin_setup.update_counter(ctx(), counter_id, changes, principal()))


# -- staff and devices -------------------------------------------------------------------------

@bp.get("/admin/staff")
@require(*ADMIN)
def list_staff() -> Response:
    """Every account, active or not."""
    return jsonify({"staff": admin_people.list_staff(ctx())})


@bp.post("/admin/staff")
@require(*ADMIN)
def create_staff() -> tuple[Response, int]:
    """A new account; the password must be changed at the first login."""
    data = parse.parse_staff(json_body(), creating=True)
    return jsonify(admin_people.create_staff(ctx(), data, principal())), 201


@bp.put("/admin/staff/<int:staff_id>")
@require(*ADMIN)
def put_staff(staff_id: int) -> Response:
    """Change an account: name, NIP, roles, section, counter."""
    changes = parse.parse_staff(json_body(), creating=False)
    return jsonify(admin_people.update_staff(ctx(), staff_id, changes, principal()))


@bp.post("/admin/staff/<int:staff_id>/deactivate")
@require(*ADMIN)
def deactivate_staff(staff_id: int) -> Response:
    """The account can no longer log in; its tokens are refused."""
    return jsonify(admin_people.deactivate_staff(ctx(), staff_id, principal()))


@bp.post("/admin/staff/<int:staff_id>/password")
@require(*ADMIN)
def reset_password(staff_id: int) -> Response:
    """Set a new password, which its owner must change at the next login."""
    password = parse.parse_password_reset(json_body())
    return jsonify(admin_people.reset_password(ctx(), staff_id, password, principal()))


@bp.get("/admin/devices")
@require(*ADMIN)
def list_devices() -> Response:
    """Kiosks and TVs with when they were last seen (never their tokens)."""
    return jsonify({"devices": admin_people.list_devices(ctx())})


@bp.post("/admin/devices")
@require(*ADMIN)
def create_device() -> tuple[Response, int]:
    """A kiosk or TV (``{"kind", "name", "place"}``); the token is in this answer only."""
    data = parse.parse_device(json_body())
    device = admin_people.create_device(ctx(), data, principal())
    return jsonify({**device, "qr_svg": _qr_svg(device["token"])}), 201


def _qr_svg(text: str) -> str:
    """The token as a QR code (SVG, rendered here: no network) for the device's set-up screen."""
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).save(out)
    return out.getvalue().decode()


@bp.post("/admin/devices/<int:device_id>/revoke")
@require(*ADMIN)
def revoke_device(device_id: int) -> Response:
    """Revoke a device's token (refused everywhere within 5 seconds)."""
    return jsonify(admin_people.revoke_device(ctx(), device_id, principal()))


@bp.get("/admin/audit")
@require(*ADMIN)
def audit() -> Response:
    """The audit log, newest first; ``?actor=``, ``?entity=``, ``?since=YYYY-MM-DD``."""
    entity = request.args.get("entity") or None
    if entity is not None and entity not in admin_audit.ENTITIES:
        raise ValidationFailed("Jenis objek tidak dikenal; pilih salah satu: "
                               + ", ".join(admin_audit.ENTITIES) + ".", field="entity")
    since_raw = request.args.get("since") or None
    try:
        since = dt.date.fromisoformat(since_raw) if since_raw else None
    except ValueError:
        raise ValidationFailed("Tanggal harus berformat YYYY-MM-DD.", field="since") from None
    actor = (request.args.get("actor") or "").strip()[:60] or None
    return jsonify({"entries": admin_audit.list_audit(ctx(), actor, entity, since)})


# -- for every staff member --------------------------------------------------------------------

@bp.post("/auth/password")
def change_password() -> Response:
    """Change one's own password (also with the token of a first login); a full token back."""
    from loket.auth import current_principal

    who = current_principal()
    if who is None:
        raise Unauthorized("Perlu masuk (login) terlebih dahulu.")
    if not who.is_staff:
        raise Forbidden("Hanya petugas yang dapat mengganti kata sandinya.")
    current, new = parse.parse_password_change(json_body())
    fresh = accounts.change_own_password(ctx(), who, current, new)
    return jsonify({"token": issue_token(current_app.config["SECRET_KEY"], fresh),
                    "must_change_password": False})


@bp.get("/office")
@require(*STAFF)
def office_profile() -> Response:
    """The office profile for documents and headers (the workflow reads it here)."""
    return jsonify(admin_setup.get_office(ctx()))


@bp.get("/staff")
@require(*STAFF)
def people() -> Response:
    """Active staff by ``?role=`` and ``?section=`` (the workflow's reassign-by-person)."""
    role = (request.args.get("role") or "").strip()[:40] or None
    section = (request.args.get("section") or "").strip()[:120] or None
    return jsonify({"staff": admin_people.people(ctx(), role, section),
                    "sections": [{"code": code, "name": name}
                                 for code, name in sop_services.sections().items()]})
