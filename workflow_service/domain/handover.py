"""The hand-over step of an SOP and the word to the citizen that the file is ready (issue #20,
"Word to the citizen"). Plain Python.

The hand-over step is the step whose activity hands the product to the applicant: "Produk
disampaikan ke pemohon" (KK, e-KTP), "Penyerahan permohonan yang telah direkomendasi
kepemohon" (rekomendasi). When a case reaches it, the citizen who left a contact is told
"berkas Anda siap diambil" — without the NIK or the name, only the service and the tracking code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_HANDOVER = re.compile(
    r"(disampaikan|diserahkan)\s+(ke|kepada)\s*pemohon"
    r"|penyerahan\b.*\b(ke|kepada)\s*pemohon"
    r"|\bkepemohon\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
_PHONE_CHARS = re.compile(r"[\s().-]")


def is_handover(activity_lines: Iterable[str]) -> bool:
    return any(_HANDOVER.search(line) for line in activity_lines)


def handover_step_keys(content: dict[str, Any]) -> set[str]:
    """The keys of the SOP's steps that hand the product to the applicant."""
    keys = set()
    for step in content.get("steps") or []:
        lines = step.get("activity_lines") or str(step.get("activity") or "").splitlines()
        if is_handover(lines):
            keys.add(str(step["id"]))
    return keys


def contact_routes(contact: str | None) -> list[tuple[str, str]]:
    """Where a contact can be reached: ``[("email", address)]`` and/or
    ``[("whatsapp", "+62…")]``. A contact may hold both, separated by a comma, semicolon or
    slash; anything that is neither an e-mail address nor an Indonesian phone number is left out.
    """
    routes: list[tuple[str, str]] = []
    for part in re.split(r"[,;/]", contact or ""):
        text = part.strip()
        if not text:
            continue
        if _EMAIL.fullmatch(text):
            routes.append(("email", text))
            continue
        phone = indonesian_phone(text)
        if phone is not None:
            routes.append(("whatsapp", phone))
    return list(dict.fromkeys(routes))


def applicant_routes(applicant: dict[str, Any]) -> dict[str, str]:
    """One address per channel for an applicant: the ``contact`` left for messages first, then
    the phone number the visitor gave at the kiosk or the counter (with the consent the kiosk
    asks for: "digunakan hanya untuk pelayanan ini")."""
    routes: dict[str, str] = {}
    for channel, address in contact_routes(applicant.get("contact")):
        routes.setdefault(channel, address)
    phone = indonesian_phone(str(applicant.get("phone") or ""))
    if phone is not None:
        routes.setdefault("whatsapp", phone)
    return routes


def indonesian_phone(text: str) -> str | None:
    """``0812 3456 7890`` / ``+62 812-3456-7890`` / ``62812…`` → ``+6281234567890``."""
    digits = _PHONE_CHARS.sub("", text)
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        return None
    if not digits.isdigit() or not digits.startswith("8") or not 8 <= len(digits) <= 13:
        return None
    return "+62" + digits


def ready_text(service_name: str, tracking_code: str, office_name: str) -> str:
    """The message: the service, the tracking code and where to collect; no personal data."""
    return (f"Berkas {service_name} Anda (kode pelacakan {tracking_code}) sudah siap diambil di "
            f"{office_name}. Silakan datang pada jam pelayanan dan tunjukkan kode pelacakan "
            f"atau tanda terima Anda.\n\nTerima kasih.\n{office_name}")


READY_SUBJECT = "Berkas Anda siap diambil ({code})"
