"""Live NIK validation for the keypad, built on python-stdnum."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import numdb
from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from kiosk.i18n import DEFAULT_LANGUAGE, t

NIK_LENGTH = 16


@dataclass(frozen=True)
class NikFeedback:
    ok: bool
    kind: str  # empty | not_digits | too_short | too_long | invalid_province | ... | ok
    message: str


def _place(code: str) -> list[tuple[str, dict[str, str]]]:
    return list(numdb.get("id/loc").info(code))


def check_nik(text: str, language: str = DEFAULT_LANGUAGE) -> NikFeedback:
    """Judge a (possibly partial) NIK as typed so far; the earliest mistake wins."""

    def fail(kind: str, **values: object) -> NikFeedback:
        return NikFeedback(False, kind, t(f"nik_{kind}", language, **values))

    value = text.strip()
    if not value:
        return fail("empty")
    if not value.isdigit() or not value.isascii():
        return fail("not_digits")
    if len(value) > NIK_LENGTH:
        return fail("too_long", n=len(value) - NIK_LENGTH)
    if len(value) >= 2 and not _place(value[:2])[0][1]:
        return fail("invalid_province", code=value[:2])
    if len(value) >= 4 and not _place(value[:4])[1][1]:
        return fail("invalid_regency", code=value[:4])
    if len(value) >= 12:
        try:
            stdnum_nik.get_birth_date(value.ljust(NIK_LENGTH, "0"))
        except ValidationError:
            return fail("invalid_birth_date")
    if len(value) < NIK_LENGTH:
        return fail("too_short", n=NIK_LENGTH - len(value))
    try:
        stdnum_nik.validate(value)
    except ValidationError:
        return fail("invalid")
    return NikFeedback(True, "ok", t("nik_ok", language))


def mask_nik(value: str) -> str:
    """``3510255508900001`` → ``3510••••••••0001`` (first and last four digits kept)."""
    if len(value) <= 8:
        return "•" * len(value)
    return value[:4] + "•" * (len(value) - 8) + value[-4:]
