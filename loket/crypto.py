"""Personal data at rest, shared by every service that stores some: Fernet encryption with the
data key, a keyed blind index to find a NIK without storing it in clear, and masking."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from loket.settings import get_settings


class DataCipher:
    """Encrypts personal data with the data key; indexes NIKs with a key derived from it."""

    def __init__(self, data_key: str) -> None:
        self._fernet = Fernet(data_key.encode())
        self._index_key = hmac.new(data_key.encode(), b"loket-nik-index", hashlib.sha256).digest()

    def encrypt(self, value: str | None) -> bytes | None:
        return None if value is None else self._fernet.encrypt(value.encode())

    def decrypt(self, value: bytes | None) -> str | None:
        if value is None:
            return None
        try:
            return self._fernet.decrypt(bytes(value)).decode()
        except InvalidToken:
            return None

    def encrypt_json(self, value: Any) -> bytes:
        token = self.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))
        assert token is not None
        return token

    def decrypt_json(self, token: bytes | None) -> Any:
        text = self.decrypt(token)
        return None if text is None else json.loads(text)

    def nik_index(self, nik: str) -> str:
        return hmac.new(self._index_key, nik.encode(), hashlib.sha256).hexdigest()


@functools.cache
def _cipher(key: str) -> DataCipher:
    return DataCipher(key)


def cipher() -> DataCipher:
    """The cipher for this process's data key."""
    return _cipher(get_settings().secret("data_key"))
