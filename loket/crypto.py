"""Personal data at rest: Fernet encryption with the data key, and masking for display."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet

from loket.settings import get_settings

MASK = "\u2022"


@functools.cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def fernet() -> Fernet:
    return _fernet(get_settings().secret("data_key"))


def encrypt_text(value: str) -> bytes:
    return fernet().encrypt(value.encode())


def decrypt_text(token: bytes) -> str:
    return fernet().decrypt(token).decode()


def encrypt_json(value: Any) -> bytes:
    return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))


def decrypt_json(token: bytes) -> Any:
    return json.loads(decrypt_text(token))


def blind_index(value: str) -> str:
    """A keyed hash to find a record by NIK without storing the NIK in clear."""
    key = get_settings().secret("data_key").encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_nik(nik: str | None) -> str | None:
    """``3510••••••••0001``: the region and the last four digits only."""
    if not nik:
        return None
    if len(nik) <= 8:
        return MASK * len(nik)
    return nik[:4] + MASK * (len(nik) - 8) + nik[-4:]
