"""Administration of people and devices: staff accounts, passwords, kiosk and TV tokens; and
the staff list the workflow reads. (Logins and tokens themselves: ``accounts``.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loket.auth import Principal
from loket.db import utcnow
from loket.errors import Conflict, NotFound
from queue_service.domain.errors import InvalidInput
from queue_service.models import Counter, Device, Staff
from queue_service.security import (
    hash_device_token,
    hash_slot,
    new_device_token,
    password_hasher,
)
from queue_service.usecases import admin_audit, sessions
from queue_service.usecases.admin_setup import stored_office
from queue_service.usecases.context import QueueContext

# -- staff -------------------------------------------------------------------------------------

# An admin's change to any of these ends the account's sessions (its tokens carry them).
SESSION_FIELDS = ("username", "roles", "section", "counter_id", "active")


def staff_json(staff: Staff) -> dict[str, Any]:
    return {"id": staff.id, "username": staff.username, "full_name": staff.display_name,
            "nip": staff.nip, "roles": sorted(staff.roles), "section": staff.section,
            "counter_id": staff.counter_id, "active": staff.active,
            "must_change_password": staff.must_change_password}


def list_staff(ctx: QueueContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return [staff_json(s) for s in session.scalars(select(Staff).order_by(Staff.username))]


def _staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id) if 0 < staff_id < 2**31 else None
    if staff is None:
        raise NotFound("Petugas tidak ditemukan.", field="staff_id", code="staff_not_found")
    return staff


def _check_username_free(session: Session, username: str, staff_id: int | None) -> None:
    other = session.scalar(select(Staff).where(Staff.username == username))
    if other is not None and other.id != staff_id:
        raise Conflict(f"Nama pengguna '{username}' sudah dipakai.", field="username",
                       code="username_taken")


def _check_counter(session: Session, counter_id: int | None) -> None:
    if counter_id is not None and session.get(Counter, counter_id) is None:
        raise InvalidInput("Loket tidak ditemukan.", field="counter_id")


def create_staff(ctx: QueueContext, data: dict[str, Any], actor: Principal) -> dict[str, Any]:
    """A new account; its password must be changed at the first login."""
    with hash_slot(ctx.settings):
        password_hash = password_hasher(ctx.settings).hash(data.pop("password"))
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        _check_username_free(session, data["username"], None)
        _check_counter(session, data.get("counter_id"))
        staff = Staff(password_hash=password_hash, active=True, office_id=office.id,
                      must_change_password=True, **data)
        session.add(staff)
        session.flush()
        after = staff_json(staff)
        admin_audit.record(session, office, actor, "create", "staff", staff.id, None, after)
        return after


def update_staff(ctx: QueueContext, staff_id: int, changes: dict[str, Any],
                 actor: Principal) -> dict[str, Any]:
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        staff = _staff(session, staff_id)
        if "username" in changes:
            _check_username_free(session, changes["username"], staff.id)
        _check_counter(session, changes.get("counter_id"))
        before = staff_json(staff)
        for key, value in changes.items():
            setattr(staff, key, value)
        session.flush()
        after = staff_json(staff)
        # New roles, counter, section or name: the account's tokens say otherwise; it logs in
        # again ("masuk lagi") instead of acting on the old ones for hours.
        ended = (sessions.end_sessions(staff)
                 if any(before.get(k) != after.get(k) for k in SESSION_FIELDS) else None)
        admin_audit.record(session, office, actor, "update", "staff", staff.id, before, after)
    if ended is not None:
        sessions.announce(ctx, staff_id, ended)
    return after


def deactivate_staff(ctx: QueueContext, staff_id: int, actor: Principal) -> dict[str, Any]:
    """The account can no longer log in; its tokens are refused within a few seconds."""
    if staff_id == actor.id:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.", field="staff_id",
                       code="cannot_deactivate_self")
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        staff = _staff(session, staff_id)
        before = staff_json(staff)
        staff.active = False
        ended = sessions.end_sessions(staff)
        session.execute(update(Counter).where(Counter.officer_id == staff.id)
                        .values(officer_id=None))
        session.flush()
        after = staff_json(staff)
        admin_audit.record(session, office, actor, "deactivate", "staff", staff.id, before, after)
    sessions.announce(ctx, staff_id, ended)
    return after


def reset_password(ctx: QueueContext, staff_id: int, password: str,
                   actor: Principal) -> dict[str, Any]:
    """A password set by the administrator, to be changed by its owner at the next login."""
    with hash_slot(ctx.settings):
        password_hash = password_hasher(ctx.settings).hash(password)
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        staff = _staff(session, staff_id)
        before = staff_json(staff)
        staff.password_hash = password_hash
        staff.must_change_password = True
        ended = sessions.end_sessions(staff)
        session.flush()
        after = staff_json(staff)
        admin_audit.record(session, office, actor, "reset_password", "staff", staff.id,
                           before, after)
    sessions.announce(ctx, staff_id, ended)
    return after


def people(ctx: QueueContext, role: str | None, section: str | None) -> list[dict[str, Any]]:
    """Active staff by role and section, for the workflow's reassign-by-person."""
    with ctx.db.read_session() as session:
        query = select(Staff).where(Staff.active.is_(True)).order_by(Staff.display_name)
        if section:
            # The workflow asks by the office file's section code; records carry the name.
            from queue_service.sop_services import section_name

            query = query.where(Staff.section.in_({section, section_name(section) or section}))
        result = []
        for staff in session.scalars(query):
            if role and role not in staff.roles:
                continue
            result.append({"id": staff.id, "username": staff.username,
                           "full_name": staff.display_name, "roles": sorted(staff.roles),
                           "section": staff.section, "counter_id": staff.counter_id})
        return result


# -- devices -----------------------------------------------------------------------------------

def device_json(device: Device) -> dict[str, Any]:
    return {"id": device.id, "kind": device.kind, "name": device.label, "place": device.place,
            "active": device.active, "created_at": device.created_at.isoformat(),
            "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
            "revoked_at": device.revoked_at.isoformat() if device.revoked_at else None}


def list_devices(ctx: QueueContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return [device_json(d) for d in session.scalars(select(Device).order_by(Device.id))]


def create_device(ctx: QueueContext, data: dict[str, Any], actor: Principal) -> dict[str, Any]:
    """A kiosk or TV; the answer holds its token, which is never shown again."""
    token = new_device_token()
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        device = Device(token_hash=hash_device_token(token), active=True, office_id=office.id,
                        **data)
        session.add(device)
        session.flush()
        after = device_json(device)
        admin_audit.record(session, office, actor, "create", "device", device.id, None, after)
    return {**after, "token": token}


def revoke_device(ctx: QueueContext, device_id: int, actor: Principal) -> dict[str, Any]:
    """The token stops working here at once and in every other process within 5 seconds."""
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        device = session.get(Device, device_id) if 0 < device_id < 2**31 else None
        if device is None:
            raise NotFound("Perangkat tidak ditemukan.", field="device_id",
                           code="device_not_found")
        before = device_json(device)
        if device.active:
            device.active = False
            device.revoked_at = utcnow()
        session.flush()
        after = device_json(device)
        digest = device.token_hash
        admin_audit.record(session, office, actor, "revoke", "device", device.id, before, after)
    ctx.device_cache.pop(digest)
    return after



