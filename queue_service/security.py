"""Secrets at rest: Fernet for personal data, HMAC blind index, argon2 for staff, device tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loket.crypto import DataCipher
from loket.settings import Settings

__all__ = ["DataCipher", "derived_secret", "hash_device_token", "new_device_token",
           "password_hasher", "verify_password"]

DEVICE_TOKEN_PREFIX = "dev_"


def password_hasher(settings: Settings) -> PasswordHasher:
    # The test suite seeds many times; a cheaper hash keeps it fast. Real installs use defaults.
    if settings.env == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


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
