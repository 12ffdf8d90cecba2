"""Login attempts: a rate limit per client address and a lockout per username *and* address.

Both are counted in Redis *before* the password is checked, with one atomic script per key
(INCR, and the window's expiry on the first attempt), so parallel requests cannot get more
guesses than allowed: the sixth of six simultaneous wrong logins is refused before argon2 runs.

- Per address: at most ``LOKET_LOGIN_RATE_PER_MINUTE`` attempts a minute, right or wrong, then
  429 ``rate_limited`` with Retry-After (a password spray from one machine).
- Per username and address: five wrong passwords within 15 minutes lock that username *from that
  address* for the rest of the window (429 ``too_many_attempts``); the owner, at another
  console, still gets in, so guessing cannot lock the Camat out of the office. A successful
  login clears its count.

If Redis is away logins are not limited (availability first), as before.
"""

from __future__ import annotations

import logging
from typing import Any

from loket.errors import TooManyAttempts

logger = logging.getLogger(__name__)

LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60
RATE_WINDOW_SECONDS = 60
FAILURE_PREFIX = "loket:login-failures:"
RATE_PREFIX = "loket:login-failures:rate:"  # under the same prefix the tests' cleaner knows

# KEYS[1] = counter, ARGV[1] = window seconds. Returns {count, seconds left in the window}.
_TAKE = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""


def failure_key(username: str, address: str) -> str:
    return f"{FAILURE_PREFIX}{username.strip().lower()[:60]}|{address}"


def rate_key(address: str) -> str:
    return f"{RATE_PREFIX}{address}"


def _take(redis_client: Any, key: str, window: int) -> tuple[int, int] | None:
    try:
        count, ttl = redis_client.eval(_TAKE, 1, key, window)
    except Exception as exc:  # Redis away: availability first
        logger.warning("login limits unavailable: %s", type(exc).__name__)
        return None
    return int(count), int(ttl)


def take_attempt(redis_client: Any, username: str, address: str, per_minute: int) -> None:
    """Count this attempt; refuse it (429) when the address or the username-at-address is
    over its limit."""
    taken = _take(redis_client, rate_key(address), RATE_WINDOW_SECONDS)
    if taken is not None and taken[0] > per_minute:
        seconds = max(1, taken[1])
        raise TooManyAttempts(
            f"Terlalu banyak percobaan masuk dari alamat ini; coba lagi dalam {seconds} detik.",
            code="rate_limited", retry_after=seconds)
    taken = _take(redis_client, failure_key(username, address), LOGIN_WINDOW_SECONDS)
    if taken is not None and taken[0] > LOGIN_MAX_FAILURES:
        seconds = max(1, taken[1])
        minutes = -(-seconds // 60)
        raise TooManyAttempts(
            f"Terlalu banyak percobaan masuk yang salah untuk akun ini dari perangkat ini; "
            f"coba lagi dalam {minutes} menit atau hubungi administrator.",
            field="username", retry_after=seconds)


def succeeded(redis_client: Any, username: str, address: str) -> None:
    """A right password: the username's count at this address starts again."""
    try:
        redis_client.delete(failure_key(username, address))
    except Exception as exc:
        logger.warning("login failures not cleared: %s", type(exc).__name__)
