"""NIK (Nomor Induk Kependudukan) rules and masking, on top of python-stdnum.

Shared by every service that takes a NIK (queue tickets, workflow intake). Pure Python.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from loket.errors import ValidationFailed

FIELD = "visitor.nik"


class InvalidNIK(ValidationFailed):
    code = "invalid_nik"

BULLET = "\u2022"


def validate_nik(value: object, field: str = FIELD) -> str:
    """Return the 16-digit NIK or raise InvalidNIK with a message naming the mistake."""
    if not isinstance(value, str):
        raise InvalidNIK("NIK harus berupa teks 16 digit angka.", field=field)
    number = stdnum_nik.compact(value)
    if not number:
        raise InvalidNIK("NIK wajib diisi (16 digit angka).", field=field)
    if not number.isascii() or not number.isdigit():
        raise InvalidNIK("NIK tidak valid: hanya boleh berisi angka.", field=field)
    if len(number) != 16:
        raise InvalidNIK(f"NIK tidak valid: harus 16 digit, yang diisi {len(number)} digit.",
                         field=field)
    try:
        stdnum_nik.get_birth_date(number)
    except StdnumError:
        raise InvalidNIK("NIK tidak valid: tanggal lahir di dalam NIK tidak ada.",
                         field=field) from None
    try:
        stdnum_nik.validate(number)
    except StdnumError:
        raise InvalidNIK("NIK tidak valid: kode wilayah (provinsi/kabupaten) tidak dikenal.",
                         field=field) from None
    return number


def mask_nik(number: str | None) -> str | None:
    """``3510••••••••0001``: the first and last four digits, bullets in between."""
    if not number:
        return None
    if len(number) <= 8:
        return BULLET * len(number)
    return number[:4] + BULLET * (len(number) - 8) + number[-4:]


def mask_phone(number: str | None) -> str | None:
    if not number:
        return None
    if len(number) <= 6:
        return BULLET * len(number)
    return number[:4] + BULLET * (len(number) - 7) + number[-3:]


_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def mask_niks_in(value: Any) -> Any:
    """Free text (a kiosk answer, a list of them, a dict of them) with every 16-digit number in
    it masked as a NIK: what a visitor typed is shown to staff who do not serve them."""
    if isinstance(value, str):
        return _SIXTEEN_DIGITS.sub(lambda m: mask_nik(m.group()) or "", value)
    if isinstance(value, list):
        return [mask_niks_in(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_niks_in(item) for key, item in value.items()}
    return value
