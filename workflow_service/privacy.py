"""The applicant's identity on a case: encrypted at rest, masked when shown.

What reaches here has been checked (:func:`workflow_service.validation.parse_applicant`, or
the queue, which checked it at the kiosk).
"""

from __future__ import annotations

from typing import Any

from loket.crypto import cipher
from loket.nik import mask_nik, mask_niks_in, mask_phone

FIELDS = ("name", "nik", "phone", "contact", "answers")


def encrypt_applicant(applicant: dict[str, Any]) -> bytes:
    return cipher().encrypt_json({key: applicant.get(key) for key in FIELDS})


def mask_contact(value: str | None) -> str | None:
    """An e-mail address or a phone number, masked (``b•••@contoh.id``, ``0812•••••890``)."""
    if not value:
        return value
    local, at, domain = value.partition("@")
    if at:
        return local[:1] + "\u2022" * max(len(local) - 1, 3) + "@" + domain
    return mask_phone(value)


def applicant_for_staff(token: bytes | None) -> dict[str, Any] | None:
    """Staff see the name; the NIK, the phone number and the contact masked; the kiosk's
    answers (the holder of the current step reads them in full: usecases/case_access.py)."""
    if not token:
        return None
    data = cipher().decrypt_json(token) or {}
    return {"name": data.get("name"), "nik_masked": mask_nik(data.get("nik")),
            "phone_masked": mask_phone(data.get("phone")),
            "contact": mask_contact(data.get("contact")),
            "answers": mask_niks_in(data.get("answers") or {})}


def applicant_for_letters(token: bytes | None) -> dict[str, Any]:
    return (cipher().decrypt_json(token) or {}) if token else {}
