"""The applicant's identity on a case: validated, encrypted at rest, masked when shown."""

from __future__ import annotations

from typing import Any

from loket.crypto import cipher
from loket.errors import ValidationFailed
from loket.nik import mask_nik, validate_nik


def encrypt_applicant(applicant: dict[str, Any]) -> bytes:
    name = applicant.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name.strip()) <= 120):
        raise ValidationFailed("Nama pemohon harus 1–120 karakter.", field="applicant.name")
    nik = applicant.get("nik")
    if nik is not None:
        nik = validate_nik(nik, field="applicant.nik")
    contact = applicant.get("contact")
    if contact is not None and (not isinstance(contact, str) or len(contact) > 120):
        raise ValidationFailed("Kontak pelapor paling banyak 120 karakter.",
                               field="applicant.contact")
    return cipher().encrypt_json({"name": name.strip() if name else None, "nik": nik,
                                  "contact": contact})


def applicant_for_staff(token: bytes | None) -> dict[str, Any] | None:
    if not token:
        return None
    data = cipher().decrypt_json(token) or {}
    return {"name": data.get("name"), "nik_masked": mask_nik(data.get("nik")),
            "contact": data.get("contact")}


def applicant_for_letters(token: bytes | None) -> dict[str, Any]:
    return (cipher().decrypt_json(token) or {}) if token else {}
