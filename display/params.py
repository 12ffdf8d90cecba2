"""Parsing of the display's query parameters; plain Python so it is unit-tested without Flask."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from loket.errors import ValidationFailed
from voice import MAX_COUNTER, TICKET_NUMBER_RE

SERVICE_CODE_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


class InvalidParameter(ValidationFailed):
    """A query parameter is missing or malformed (422); `message` is for the user (Bahasa
    Indonesia). Answered in Loket's one error shape (``loket.web``)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message, field=field, code=code)


@dataclass(frozen=True)
class AnnounceRequest:
    number: str
    counter: int
    recall: bool


def parse_announce(args: Mapping[str, str]) -> AnnounceRequest:
    """Validate number (e.g. C007), counter (1-99) and the optional recall flag."""
    number = (args.get("number") or "").strip()
    if not number:
        raise InvalidParameter("number", "missing_number", "Nomor antrean wajib diisi.")
    if not TICKET_NUMBER_RE.fullmatch(number):
        raise InvalidParameter(
            "number",
            "invalid_number",
            "Nomor antrean tidak valid: satu atau dua huruf kapital lalu 3 sampai 6 angka, "
            "contoh C007.",
        )

    raw_counter = (args.get("counter") or "").strip()
    if not raw_counter:
        raise InvalidParameter("counter", "missing_counter", "Nomor loket wajib diisi.")
    if not raw_counter.isascii() or not raw_counter.isdigit():
        raise InvalidParameter(
            "counter", "invalid_counter", "Nomor loket tidak valid: harus angka 1 sampai 99."
        )
    counter = int(raw_counter)
    if not 1 <= counter <= MAX_COUNTER:
        raise InvalidParameter(
            "counter", "invalid_counter", "Nomor loket tidak valid: harus angka 1 sampai 99."
        )

    raw_recall = (args.get("recall") or "0").strip().lower()
    if raw_recall in ("1", "true"):
        recall = True
    elif raw_recall in ("0", "false", ""):
        recall = False
    else:
        raise InvalidParameter(
            "recall", "invalid_recall", "Parameter panggilan ulang tidak valid: gunakan 1 atau 0."
        )
    return AnnounceRequest(number=number, counter=counter, recall=recall)


def parse_services(raw: str | None) -> list[str]:
    """`?services=ektp,kk` → ["ektp", "kk"]; empty means every service."""
    if raw is None or not raw.strip():
        return []
    codes = [part.strip() for part in raw.split(",") if part.strip()]
    for code in codes:
        if not SERVICE_CODE_RE.fullmatch(code):
            raise InvalidParameter(
                "services",
                "invalid_services",
                f"Kode layanan tidak valid: {code[:40]!r}. Contoh: ?services=ektp,kk",
            )
    return list(dict.fromkeys(codes))
