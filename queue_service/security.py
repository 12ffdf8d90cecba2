"""Secrets at rest: Fernet for personal data, HMAC blind index, argon2 for staff, device tokens."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
import threading
from collections.abc import Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loket.crypto import DataCipher
from loket.errors import ServerBusy
from loket.settings import Settings

__all__ = ["DataCipher", "derived_secret", "dummy_hash", "hash_device_token", "hash_slot",
           "new_device_token", "password_hasher", "verify_password"]

DEVICE_TOKEN_PREFIX = "dev_"

# argon2id as OWASP's password storage cheat sheet bounds it: 19 MiB, two passes, one lane. A
# check costs ~19 MiB for ~50 ms; with at most LOKET_LOGIN_HASH_SLOTS at once per process, a
# burst of logins cannot take more than slots x 19 MiB.
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
# A login waits this long for a free hashing slot, then gets 503 with Retry-After.
HASH_WAIT_SECONDS = 10.0


def password_hasher(settings: Settings) -> PasswordHasher:
    # The test suite seeds many times; a cheaper hash keeps it fast. Real installs use OWASP's.
    if settings.env == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB,
                          parallelism=ARGON2_PARALLELISM)


_DUMMY: dict[tuple[int, int, int], str] = {}
_DUMMY_LOCK = threading.Lock()


def dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with the hasher's own parameters, made once per process: an unknown username is
    verified against it, at exactly the cost of a real account's check."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    with _DUMMY_LOCK:
        if key not in _DUMMY:
            _DUMMY[key] = hasher.hash(secrets.token_urlsafe(16))
        return _DUMMY[key]


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


@contextlib.contextmanager
def hash_slot(settings: Settings) -> Iterator[None]:
    """One of the process's LOKET_LOGIN_HASH_SLOTS argon2 slots, held while hashing."""
    with _SLOTS_LOCK:
        slots = _SLOTS.setdefault(settings.login_hash_slots,
                                  threading.BoundedSemaphore(settings.login_hash_slots))
    if not slots.acquire(timeout=HASH_WAIT_SECONDS):
        raise ServerBusy("Server sedang sibuk memeriksa kata sandi; coba lagi sebentar lagi.",
                         retry_after=5)
    try:
        yield
    finally:
        slots.release()


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_device_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_device_token() -> str:
    return DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)


def derived_secret(secret_key: str, purpose: str, length: int = 32) -> str:
    """A deterministic value for demo data (passwords, device tokens) from the secret key."""
    digest = hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower().rstrip("=")[:length]
