"""Personal data at rest, shared by every service that stores some: Fernet encryption with the
data key, a keyed blind index to find a NIK without storing it in clear, and masking.

Key rotation: the keys of ``LOKET_DATA_KEYS_OLD`` are still read (MultiFernet), never written;
``loket rotate-data-key`` (:mod:`loket.key_rotation`) re-encrypts everything under the new key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from loket.settings import Settings, get_settings


class DataCipher:
    """Encrypts personal data with the data key; indexes NIKs with a key derived from it."""

    def __init__(self, data_key: str, old_keys: tuple[str, ...] = ()) -> None:
        self._primary = Fernet(data_key.encode())
        self._fernet = MultiFernet([self._primary, *(Fernet(k.encode()) for k in old_keys)])
        self._index_key = hmac.new(data_key.encode(), b"loket-nik-index", hashlib.sha256).digest()

    def encrypt(self, value: str | None) -> bytes | None:
        return None if value is None else self._primary.encrypt(value.encode())

    def is_current(self, token: bytes) -> bool:
        """Is ``token`` encrypted with the current data key?"""
        try:
            self._primary.decrypt(bytes(token))
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes | None:
        """``token`` re-encrypted with the current key; None when no key opens it."""
        try:
            return self._fernet.rotate(bytes(token))
        except InvalidToken:
            return None

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
def _cipher(key: str, old_keys: tuple[str, ...]) -> DataCipher:
    return DataCipher(key, old_keys)


def data_cipher(settings: Settings) -> DataCipher:
    """The cipher for ``settings``: the data key, and the old keys being rotated out."""
    return _cipher(settings.secret("data_key"), settings.old_data_keys())


def cipher() -> DataCipher:
    """The cipher for this process's data key."""
    return data_cipher(get_settings())
