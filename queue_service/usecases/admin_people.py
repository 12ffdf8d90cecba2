"""Administration of people and devices: staff accounts, passwords, kiosk and TV tokens.

Also what the rest of the hall asks about them: is this staff token's account still active, the
device behind a token (and when it was last seen), and the staff list the workflow reads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loket.auth import Principal
from loket.db import utcnow
from loket.errors import Conflict, NotFound, Unauthorized
from queue_service import services
from queue_service.domain.errors import InvalidInput
from queue_service.models import Counter, Device, Staff
from queue_service.security import (
    hash_device_token,
    new_device_token,
    password_hasher,
    verify_password,
)
from queue_service.services import QueueContext, TtlCache
from queue_service.usecases import admin_audit
from queue_service.usecases.admin_setup import stored_office

# A deactivated account's tokens stop working within these seconds in every process.
STAFF_CACHE_SECONDS = 5.0
# A device's "last seen" is written at most this often per process.
SEEN_EVERY_SECONDS = 60.0
_ACTIVE = TtlCache(STAFF_CACHE_SECONDS, 2000)
_SEEN = TtlCache(SEEN_EVERY_SECONDS, 2000)


# -- staff -------------------------------------------------------------------------------------

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
        admin_audit.record(session, office, actor, "update", "staff", staff.id, before, after)
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
        session.execute(update(Counter).where(Counter.officer_id == staff.id)
                        .values(officer_id=None))
        session.flush()
        after = staff_json(staff)
        admin_audit.record(session, office, actor, "deactivate", "staff", staff.id, before, after)
    _ACTIVE.pop((id(ctx.db), staff_id))
    return after


def reset_password(ctx: QueueContext, staff_id: int, password: str,
                   actor: Principal) -> dict[str, Any]:
    """A password set by the administrator, to be changed by its owner at the next login."""
    password_hash = password_hasher(ctx.settings).hash(password)
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        staff = _staff(session, staff_id)
        before = staff_json(staff)
        staff.password_hash = password_hash
        staff.must_change_password = True
        session.flush()
        after = staff_json(staff)
        admin_audit.record(session, office, actor, "reset_password", "staff", staff.id,
                           before, after)
        return after


def must_change_password(ctx: QueueContext, staff_id: int) -> bool:
    with ctx.db.read_session() as session:
        staff = session.get(Staff, staff_id)
        return bool(staff is not None and staff.must_change_password)


def change_own_password(ctx: QueueContext, who: Principal, current: str,
                        new: str) -> Principal:
    """The caller changes their own password (also with a first-login token)."""
    hasher = password_hasher(ctx.settings)
    with ctx.db.session() as session:
        staff = session.get(Staff, who.id)
        if staff is None or not staff.active:
            raise Unauthorized("Akun ini tidak aktif.", code="inactive_staff")
        if not verify_password(hasher, staff.password_hash, current):
            raise InvalidInput("Kata sandi saat ini salah.", field="current_password",
                               code="wrong_password")
        staff.password_hash = hasher.hash(new)
        staff.must_change_password = False
        return services.staff_principal(staff)


def staff_is_active(ctx: QueueContext, staff_id: int) -> bool:
    """Checked for every staff token; remembered a few seconds per process."""
    key = (id(ctx.db), staff_id)
    cached = _ACTIVE.get(key)
    if cached is not None:
        return bool(cached)
    with ctx.db.lookup_session() as session:
        active = session.scalar(select(Staff.active).where(Staff.id == staff_id))
    _ACTIVE.put(key, bool(active))
    return bool(active)


def people(ctx: QueueContext, role: str | None, section: str | None) -> list[dict[str, Any]]:
    """Active staff by role and section, for the workflow's reassign-by-person."""
    with ctx.db.read_session() as session:
        query = select(Staff).where(Staff.active.is_(True)).order_by(Staff.display_name)
        if section:
            query = query.where(Staff.section == section)
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


def resolve_device(ctx: QueueContext, token: str) -> Principal | None:
    """The device behind a token, noting when it was last seen (at most once a minute)."""
    principal = services.resolve_device(ctx, token)
    if principal is not None and _SEEN.get((id(ctx.db), principal.id)) is None:
        _SEEN.put((id(ctx.db), principal.id), True)
        with ctx.db.session() as session:
            session.execute(update(Device).where(Device.id == principal.id)
                            .values(last_seen_at=utcnow()))
    return principal


def login_principal(ctx: QueueContext, who: Principal) -> Principal:
    """After a good password: a token for everything, or only for changing the password."""
    if must_change_password(ctx, who.id):
        return dataclasses.replace(who, password_change_only=True)
    return who
