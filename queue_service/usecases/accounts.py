"""Who is calling: staff logins (with lockout after repeated wrong passwords) and device tokens."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, select, update

from loket.auth import Principal
from loket.db import utcnow
from loket.errors import TooManyAttempts, Unauthorized
from queue_service.domain.errors import InvalidInput
from queue_service.models import Device, Staff
from queue_service.security import hash_device_token, password_hasher, verify_password
from queue_service.usecases.context import QueueContext, TtlCache

logger = logging.getLogger(__name__)

_DUMMY_HASH: dict[str, str] = {}

# Lockout: this many wrong passwords for one username within the window lock that username for
# the rest of the window (counted in Redis; if Redis is away, logins are not limited).
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60
_LOGIN_KEY = "loket:login-failures:"


def _login_key(username: str) -> str:
    return _LOGIN_KEY + username.strip().lower()[:60]


def _check_not_locked(ctx: QueueContext, username: str) -> None:
    try:
        failures = int(ctx.redis.get(_login_key(username)) or 0)
        ttl = int(ctx.redis.ttl(_login_key(username)))
    except Exception as exc:  # Redis away: availability first
        logger.warning("login lockout unavailable: %s", type(exc).__name__)
        return
    if failures >= LOGIN_MAX_FAILURES:
        minutes = max(1, -(-max(ttl, 0) // 60))
        raise TooManyAttempts(
            f"Terlalu banyak percobaan masuk yang salah untuk akun ini; coba lagi dalam "
            f"{minutes} menit atau hubungi administrator.", field="username")


def _count_failure(ctx: QueueContext, username: str) -> None:
    try:
        pipe = ctx.redis.pipeline()
        pipe.incr(_login_key(username))
        pipe.expire(_login_key(username), LOGIN_WINDOW_SECONDS, nx=True)
        pipe.execute()
    except Exception as exc:
        logger.warning("login failure not counted: %s", type(exc).__name__)


def _clear_failures(ctx: QueueContext, username: str) -> None:
    try:
        ctx.redis.delete(_login_key(username))
    except Exception as exc:
        logger.warning("login failures not cleared: %s", type(exc).__name__)


def authenticate(ctx: QueueContext, username: str, password: str) -> Principal:
    """Check a staff login; wrong passwords are counted per username and lock it for a while."""
    _check_not_locked(ctx, username)
    try:
        principal = _authenticate(ctx, username, password)
    except Unauthorized:
        _count_failure(ctx, username)
        raise
    _clear_failures(ctx, username)
    return principal


def _authenticate(ctx: QueueContext, username: str, password: str) -> Principal:
    hasher = password_hasher(ctx.settings)
    with ctx.db.read_session() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username))
        if staff is None or not staff.active:
            # Spend the same effort as a real check, so timing does not reveal usernames.
            dummy = _DUMMY_HASH.setdefault(ctx.settings.env, hasher.hash("x"))
            verify_password(hasher, dummy, password)
            raise Unauthorized("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
        if not verify_password(hasher, staff.password_hash, password):
            raise Unauthorized("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
        return staff_principal(staff)


def staff_principal(staff: Staff) -> Principal:
    """A new or reset password (must_change_password) gives a token that only changes it."""
    return Principal(kind="staff", id=staff.id, username=staff.username,
                     roles=frozenset(staff.roles), counter_id=staff.counter_id,
                     section=staff.section, password_change_only=staff.must_change_password)


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
        return staff_principal(staff)


# A deactivated account's tokens stop working within these seconds in every process.
STAFF_CACHE_SECONDS = 5.0
_ACTIVE = TtlCache(STAFF_CACHE_SECONDS, 2000)


def staff_is_active(ctx: QueueContext, staff_id: int) -> bool:
    """Checked for every staff token (``loket.staff_active``); remembered a few seconds."""
    key = (id(ctx.db), staff_id)
    cached = _ACTIVE.get(key)
    if cached is not None:
        return bool(cached)
    with ctx.db.lookup_session() as session:
        active = session.scalar(select(Staff.active).where(Staff.id == staff_id))
    _ACTIVE.put(key, bool(active))
    return bool(active)


def forget_staff(ctx: QueueContext, staff_id: int) -> None:
    """After a deactivation: this process refuses the account's tokens at once."""
    _ACTIVE.pop((id(ctx.db), staff_id))


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
