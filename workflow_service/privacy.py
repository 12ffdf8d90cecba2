"""The applicant's identity on a case: encrypted at rest, masked when shown.

What reaches here has been checked (:func:`workflow_service.validation.parse_applicant`, or
the queue, which checked it at the kiosk).
"""

from __future__ import annotations

from typing import Any

from loket.crypto import cipher
from loket.nik import mask_nik, mask_phone

FIELDS = ("name", "nik", "phone", "contact", "answers")


def encrypt_applicant(applicant: dict[str, Any]) -> bytes:
    return cipher().encrypt_json({key: applicant.get(key) for key in FIELDS})


def applicant_for_staff(token: bytes | None) -> dict[str, Any] | None:
    """Staff see the name; the NIK and the phone number masked; the kiosk's answers."""
    if not token:
        return None
    data = cipher().decrypt_json(token) or {}
    return {"name": data.get("name"), "nik_masked": mask_nik(data.get("nik")),
            "phone_masked": mask_phone(data.get("phone")), "contact": data.get("contact"),
            "answers": data.get("answers") or {}}


def applicant_for_letters(token: bytes | None) -> dict[str, Any]:
    return (cipher().decrypt_json(token) or {}) if token else {}
