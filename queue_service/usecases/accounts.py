"""Who is calling: staff logins (limits in ``login_guard``, sessions in ``sessions``) and device
tokens."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from sqlalchemy import bindparam, select, update

from loket import staff_sessions
from loket.auth import Principal
from loket.db import utcnow
from loket.errors import Unauthorized
from loket.staff_sessions import SessionState
from queue_service.domain.errors import InvalidInput
from queue_service.models import Device, Staff
from queue_service.security import (
    dummy_hash,
    hash_device_token,
    hash_slot,
    password_hasher,
    verify_password,
)
from queue_service.usecases import login_guard, sessions
from queue_service.usecases.context import QueueContext, TtlCache

logger = logging.getLogger(__name__)

def authenticate(ctx: QueueContext, username: str, password: str,
                 address: str = "-") -> Principal:
    """Check a staff login. Attempts are counted per client address and per username at that
    address before the password is checked (``login_guard``); argon2 runs in one of the
    process's bounded slots, and an unknown username costs exactly one check too."""
    login_guard.take_attempt(ctx.redis, username, address, ctx.settings.login_rate_per_minute)
    principal = _authenticate(ctx, username, password)
    login_guard.succeeded(ctx.redis, username, address)
    return principal


def _authenticate(ctx: QueueContext, username: str, password: str) -> Principal:
    hasher = password_hasher(ctx.settings)
    with ctx.db.read_session() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username))
    known = staff is not None and staff.active
    with hash_slot(ctx.settings):
        # The same effort for an unknown or inactive username: one verify with equal parameters.
        stored = staff.password_hash if known and staff is not None else dummy_hash(hasher)
        right = verify_password(hasher, stored, password)
        rehashed = (hasher.hash(password)
                    if right and known and hasher.check_needs_rehash(stored) else None)
    if not right or not known or staff is None:
        raise Unauthorized("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
    version = _after_login(ctx, staff, rehashed)
    return dataclasses.replace(staff_principal(staff), token_version=version)


def _after_login(ctx: QueueContext, staff: Staff, rehashed: str | None) -> int:
    """Store a hash made with today's parameters, give a first login its token version, and
    make sure the other processes know it."""
    state = SessionState(int(staff.token_version or 0), True)
    if rehashed is not None or not state.version:
        with ctx.db.session() as session:  # locked: two first logins agree on one version
            row = session.get(Staff, staff.id, with_for_update=True)
            if row is not None:
                if rehashed is not None:
                    row.password_hash = rehashed
                if not row.token_version:
                    row.token_version = staff_sessions.new_version()
                state = SessionState(int(row.token_version), bool(row.active))
    staff_sessions.publish(ctx.redis, staff.id, state)
    return state.version


def staff_principal(staff: Staff) -> Principal:
    """A new or reset password (must_change_password) gives a token that only changes it."""
    return Principal(kind="staff", id=staff.id, username=staff.username,
                     roles=frozenset(staff.roles), counter_id=staff.counter_id,
                     section=staff.section, password_change_only=staff.must_change_password,
                     token_version=int(staff.token_version or 0))


def change_own_password(ctx: QueueContext, who: Principal, current: str,
                        new: str) -> Principal:
    """The caller changes their own password (also with a first-login token); every other
    session of the account ends, the answer carries a token of the new version."""
    hasher = password_hasher(ctx.settings)
    with ctx.db.read_session() as session:
        staff = session.get(Staff, who.id)
    if staff is None or not staff.active:
        raise Unauthorized("Akun ini tidak aktif.", code="inactive_staff")
    with hash_slot(ctx.settings):
        right = verify_password(hasher, staff.password_hash, current)
        new_hash = hasher.hash(new) if right else None
    if new_hash is None:
        raise InvalidInput("Kata sandi saat ini salah.", field="current_password",
                           code="wrong_password")
    with ctx.db.session() as session:
        row = session.get(Staff, who.id)
        if row is None or not row.active:
            raise Unauthorized("Akun ini tidak aktif.", code="inactive_staff")
        row.password_hash = new_hash
        row.must_change_password = False
        state = sessions.end_sessions(row)
        fresh = staff_principal(row)
    sessions.announce(ctx, who.id, state)
    return fresh


def staff_json(ctx: QueueContext, staff_id: int) -> dict[str, Any] | None:
    with ctx.db.read_session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            return None
        return {"id": staff.id, "username": staff.username, "display_name": staff.display_name,
                "roles": sorted(staff.roles), "section": staff.section,
                "counter_id": staff.counter_id}


_DEVICE_BY_TOKEN = select(Device.id, Device.label, Device.kind).where(
    Device.token_hash == bindparam("digest"), Device.active.is_(True))


def resolve_device(ctx: QueueContext, token: str) -> Principal | None:
    """The device presenting this token, if active (remembered a few seconds per process)."""
    digest = hash_device_token(token)
    cached = ctx.device_cache.get(digest)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    with ctx.db.lookup_session() as session:
        device = session.execute(_DEVICE_BY_TOKEN, {"digest": digest}).first()
    if device is None:
        ctx.device_cache.pop(digest)
        return None
    principal = Principal(kind="device", id=device.id, username=device.label,
                          roles=frozenset({device.kind}))
    ctx.device_cache.put(digest, principal)
    _seen(ctx, device.id)
    return principal


# A device's "last seen" is written at most this often per process.
SEEN_EVERY_SECONDS = 60.0
_SEEN = TtlCache(SEEN_EVERY_SECONDS, 2000)


def _seen(ctx: QueueContext, device_id: int) -> None:
    if _SEEN.get((id(ctx.db), device_id)) is None:
        _SEEN.put((id(ctx.db), device_id), True)
        with ctx.db.session() as session:
            session.execute(update(Device).where(Device.id == device_id)
                            .values(last_seen_at=utcnow()))
