"""The applicant's identity on a case: validated, encrypted at rest, masked when shown."""

from __future__ import annotations

from typing import Any

from loket.crypto import decrypt_json, encrypt_json, mask_nik
from loket.errors import ValidationFailed


def encrypt_applicant(applicant: dict[str, Any]) -> bytes:
    name = applicant.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name.strip()) <= 120):
        raise ValidationFailed("Nama pemohon harus 1–120 karakter.", field="applicant.name")
    nik = applicant.get("nik")
    if nik is not None:
        from stdnum.exceptions import ValidationError
        from stdnum.id import nik as nik_rules

        if not isinstance(nik, str):
            raise ValidationFailed("NIK harus berupa teks 16 digit.", field="applicant.nik")
        try:
            nik = nik_rules.validate(nik)
        except ValidationError:
            raise ValidationFailed("NIK tidak valid: periksa 16 digit, kode wilayah dan "
                                   "tanggal lahir.", field="applicant.nik") from None
    contact = applicant.get("contact")
    if contact is not None and (not isinstance(contact, str) or len(contact) > 120):
        raise ValidationFailed("Kontak pelapor paling banyak 120 karakter.",
                               field="applicant.contact")
    return encrypt_json({"name": name.strip() if name else None, "nik": nik,
                         "contact": contact})


def applicant_for_staff(token: bytes | None) -> dict[str, Any] | None:
    if not token:
        return None
    data = decrypt_json(token)
    return {"name": data.get("name"), "nik_masked": mask_nik(data.get("nik")),
            "contact": data.get("contact")}


def applicant_for_letters(token: bytes | None) -> dict[str, Any]:
    return decrypt_json(token) if token else {}
