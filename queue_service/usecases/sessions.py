"""Staff sessions in the queue service, which owns the accounts (see ``loket.staff_sessions``).

The queue checks every staff token against its own table (``token_version``, ``active``),
remembered a couple of seconds per process, and keeps the Redis copy the other processes read
filled. Logout, a password change or reset, deactivation and the admin's changes to an account
move the version forward (:func:`end_sessions`) and announce it after the commit
(:func:`announce`).
"""

from __future__ import annotations

import time

from sqlalchemy import select

from loket import staff_sessions
from loket.auth import Principal
from loket.errors import Unauthorized
from loket.staff_sessions import SessionState
from queue_service.models import Staff
from queue_service.usecases.context import QueueContext

_GONE = SessionState(0, False)  # no such account: refused like a deactivated one
# After a failed Redis write, refills are skipped this long (no half-second stalls per request).
_REDIS_PAUSE_SECONDS = 30.0
_redis_paused_until = 0.0


def state_of(ctx: QueueContext, staff_id: int) -> SessionState:
    # One cache per app context: a second hall in the same process (tests) never sees this one's.
    cached = ctx.session_cache.get(staff_id)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    with ctx.db.lookup_session() as session:
        row = session.execute(select(Staff.token_version, Staff.active)
                              .where(Staff.id == staff_id)).first()
    state = SessionState(int(row[0] or 0), bool(row[1])) if row is not None else _GONE
    ctx.session_cache.put(staff_id, state)
    if row is not None and state.version:
        _refill(ctx, staff_id, state)
    return state


def check_session(ctx: QueueContext, who: Principal) -> None:
    """``loket.staff_session`` of the queue app: every staff token passes here."""
    staff_sessions.check(state_of(ctx, who.id), who.token_version)


def end_sessions(staff: Staff) -> SessionState:
    """Inside the caller's transaction: every token issued so far stops working."""
    staff.token_version = staff_sessions.new_version(int(staff.token_version or 0))
    return SessionState(staff.token_version, bool(staff.active))


def announce(ctx: QueueContext, staff_id: int, state: SessionState) -> None:
    """After the commit: this process at once, every other process within seconds."""
    ctx.session_cache.pop(staff_id)
    staff_sessions.publish(ctx.redis, staff_id, state)


def logout(ctx: QueueContext, who: Principal) -> None:
    """End the account's sessions (every console it is signed in on)."""
    with ctx.db.session() as session:
        staff = session.get(Staff, who.id)
        if staff is None:
            raise Unauthorized("Akun ini tidak dikenal.", code="inactive_staff")
        state = end_sessions(staff)
    announce(ctx, who.id, state)


def _refill(ctx: QueueContext, staff_id: int, state: SessionState) -> None:
    """Put the key back if Redis lost it (an older value never replaces a newer one)."""
    global _redis_paused_until
    if time.monotonic() < _redis_paused_until:
        return
    if not staff_sessions.publish(ctx.redis, staff_id, state):
        _redis_paused_until = time.monotonic() + _REDIS_PAUSE_SECONDS
