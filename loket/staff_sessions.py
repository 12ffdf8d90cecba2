"""Staff sessions that end everywhere within seconds: the token version, shared through Redis.

Every staff token carries the account's *token version* (``v``). The queue service owns the
accounts and keeps the version in its ``queue_staff`` table; it moves the version forward on
logout, on a password change or reset, on deactivation and when the administrator changes the
account's roles, counter, section or username. A token whose version is below the account's
current one is refused ("silakan masuk lagi").

The other processes (the workflow service, the stream process) must not read the queue's tables,
so the queue publishes the current version in Redis, one key per account::

    loket:staff-session:<staff id> = "<version>"        (active account)
                                   = "<version>:off"    (deactivated account)

Versions are milliseconds since the epoch, so they only ever grow, also across a database reset:
:func:`publish` writes a key only when its version is newer than the stored one (a Lua script,
atomic), so a slow process can never put an older version back. Every process remembers what it
read for :data:`CACHE_SECONDS`; a revocation therefore takes effect everywhere within that time
(plus one round trip), well inside the 5 seconds promised.

A missing key (a Redis that lost its data, or an account nobody has logged into since) means
"nothing revoked that this process can see": the token is accepted, and the queue fills the key
again the next time it checks one of the account's tokens or the account logs in. When Redis
cannot be reached at all, the workflow and the stream process accept staff tokens on their
signature and 12-hour lifetime alone (availability first, as for the login lockout); the queue
service keeps checking against its own table.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Any

from loket.errors import Unauthorized

logger = logging.getLogger(__name__)

KEY_PREFIX = "loket:staff-session:"
# How long one process trusts what it read (Redis or, in the queue, its own table).
CACHE_SECONDS = 2.0

# KEYS[1] = the key, ARGV[1] = the version, ARGV[2] = the value. Writes only a newer version.
_PUBLISH = """
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^(%d+)'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""

ENDED_MESSAGE = ("Sesi ini sudah berakhir (keluar, kata sandi, peran, atau loket akun diubah); "
                 "silakan masuk lagi.")
INACTIVE_MESSAGE = "Akun ini sudah dinonaktifkan; hubungi administrator."


@dataclasses.dataclass(frozen=True)
class SessionState:
    version: int
    active: bool


def key(staff_id: int) -> str:
    return f"{KEY_PREFIX}{staff_id}"


def encode(state: SessionState) -> str:
    return str(state.version) if state.active else f"{state.version}:off"


def decode(raw: str | bytes | None) -> SessionState | None:
    if raw is None:
        return None
    text = raw.decode() if isinstance(raw, bytes) else raw
    version, _, flag = text.partition(":")
    if not version.isdigit():
        return None
    return SessionState(int(version), flag != "off")


def new_version(previous: int = 0) -> int:
    """A version newer than ``previous`` and than any issued before now (milliseconds)."""
    return max(time.time_ns() // 1_000_000, previous + 1)


def publish(redis_client: Any, staff_id: int, state: SessionState) -> bool:
    """Tell every process (best effort: Redis may be away; the queue refills it later)."""
    try:
        redis_client.eval(_PUBLISH, 1, key(staff_id), state.version, encode(state))
    except Exception as exc:
        logger.warning("staff session not published: %s", type(exc).__name__)
        return False
    return True


def check(state: SessionState | None, token_version: int) -> None:
    """Refuse a token of a deactivated account, or older than the account's version."""
    if state is None:
        return
    if not state.active:
        raise Unauthorized(INACTIVE_MESSAGE, code="inactive_staff")
    if token_version < state.version:
        raise Unauthorized(ENDED_MESSAGE, code="session_ended")


class _Cache:
    """staff id -> (expiry, state) for a few seconds; thread-safe enough for dict operations."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: dict[int, tuple[float, SessionState | None]] = {}
        self._lock = threading.Lock()

    def get(self, staff_id: int) -> tuple[bool, SessionState | None]:
        item = self._items.get(staff_id)
        if item is None or item[0] <= time.monotonic():
            return False, None
        return True, item[1]

    def put(self, staff_id: int, state: SessionState | None) -> None:
        with self._lock:
            if len(self._items) > 5000:
                self._items.clear()
            self._items[staff_id] = (time.monotonic() + self.seconds, state)

    def pop(self, staff_id: int) -> None:
        self._items.pop(staff_id, None)


class RedisSessions:
    """The check the workflow service and the stream process run for every staff token."""

    def __init__(self, redis_client: Any, cache_seconds: float = CACHE_SECONDS) -> None:
        self.redis = redis_client
        self.cache = _Cache(cache_seconds)

    def state(self, staff_id: int) -> SessionState | None:
        found, state = self.cache.get(staff_id)
        if found:
            return state
        try:
            state = decode(self.redis.get(key(staff_id)))
        except Exception as exc:  # Redis away: signature and lifetime only (see the module)
            logger.warning("staff session unknown (redis): %s", type(exc).__name__)
            return None
        self.cache.put(staff_id, state)
        return state

    def check(self, staff_id: int, token_version: int) -> None:
        check(self.state(staff_id), token_version)
