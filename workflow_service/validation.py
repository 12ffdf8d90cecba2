"""Every input of the workflow API checked in one place: bad input is a 422 naming the field.

The parsers take what the web layer read (a JSON object, query arguments, a path segment) and
return plain values the use cases trust; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from loket.errors import ValidationFailed
from loket.nik import validate_nik
from loket.text_input import MAX_LONG_TEXT, check_text

CHANNELS = ("loket", "telepon", "surat", "whatsapp", "email", "media_sosial", "sp4n_lapor",
            "langsung",
            "web", "sms")
CASE_STATUSES = ("open", "done", "rejected", "cancelled")
OVERRIDE_KINDS = ("closed", "open")
# A step's output or reason (wf_step.output / reason, the history's note).
MAX_STEP_NOTE = 4000
# The kiosk's rule for a phone number (queue_service.validation): 8-15 digits, optional "+".
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def text(data: dict[str, Any], name: str, *, max_length: int = MAX_LONG_TEXT,
         label: str | None = None, multiline: bool = True) -> str | None:
    """An optional text field: a number or a list where text belongs, a NUL or control
    character, or more than ``max_length`` characters is refused (loket.text_input)."""
    return check_text(data.get(name), name, max_length=max_length, label=label,
                      multiline=multiline)


@dataclass(frozen=True)
class Intake:
    sop: str
    channel: str
    subject: str | None
    applicant: dict[str, Any] | None


def parse_intake(data: dict[str, Any]) -> Intake:
    """``POST /cases``: the SOP, the channel, a subject, the applicant (checked later)."""
    sop = data.get("sop")
    if not isinstance(sop, str) or not sop:
        raise ValidationFailed("Jenis layanan (SOP) wajib diisi.", field="sop")
    if len(sop) > 40:
        raise ValidationFailed("Jenis layanan (SOP) tidak dikenal.", field="sop")
    channel = data.get("channel", "langsung")
    if not isinstance(channel, str):
        raise ValidationFailed("Saluran harus berupa teks.", field="channel")
    subject = data.get("subject")
    if subject is not None and (not isinstance(subject, str) or len(subject) > 2000):
        raise ValidationFailed("Pokok perkara harus teks, paling banyak 2000 karakter.",
                               field="subject")
    check_text(subject, "subject", max_length=2000, label="Pokok perkara")
    applicant = data.get("applicant")
    parsed = parse_applicant(applicant) if applicant is not None else None
    return Intake(sop=sop, channel=channel, subject=subject, applicant=parsed)


def _answers(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > 30:
        raise ValidationFailed("Jawaban harus berupa objek (paling banyak 30 isian).",
                               field="applicant.answers")
    for key, item in value.items():
        if len(key) > 60 or not (item is None or isinstance(item, str | int | float | bool | list)):
            raise ValidationFailed(f"Jawaban '{key[:60]}' tidak valid.",
                                   field=f"applicant.answers.{key[:60]}")
        if isinstance(item, str) and len(item) > 2000:
            raise ValidationFailed(f"Jawaban '{key}' paling banyak 2000 karakter.",
                                   field=f"applicant.answers.{key}")
        check_text(item if isinstance(item, str) else None, f"applicant.answers.{key}",
                   max_length=2000, label=f"Jawaban '{key}'")
    return dict(value)


def parse_applicant(value: Any) -> dict[str, Any] | None:
    """The applicant as staff enter it, checked as the kiosk checks it (NIK, phone)."""
    if not isinstance(value, dict):
        raise ValidationFailed("Data pemohon harus berupa objek.", field="applicant")
    name = value.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name.strip()) <= 120):
        raise ValidationFailed("Nama pemohon harus 1–120 karakter.", field="applicant.name")
    check_text(name, "applicant.name", max_length=120, label="Nama pemohon", multiline=False)
    nik = value.get("nik")
    nik = None if nik in (None, "") else validate_nik(nik, field="applicant.nik")
    phone = value.get("phone")
    if phone not in (None, ""):
        phone = re.sub(r"[\s\-().]", "", phone) if isinstance(phone, str) else phone
        if not isinstance(phone, str) or not PHONE.match(phone):
            raise ValidationFailed(
                "Nomor telepon tidak valid: gunakan 8–15 angka, contoh 081234567890.",
                field="applicant.phone")
    else:
        phone = None
    contact = value.get("contact")
    if contact is not None and (not isinstance(contact, str) or len(contact) > 120):
        raise ValidationFailed("Kontak pelapor paling banyak 120 karakter.",
                               field="applicant.contact")
    check_text(contact, "applicant.contact", max_length=120, label="Kontak pelapor",
               multiline=False)
    result = {"name": name.strip() if name else None, "nik": nik, "phone": phone,
              "contact": contact, "answers": _answers(value.get("answers"))}
    return result if any(result.values()) else None


@dataclass(frozen=True)
class ActionInput:
    output: str | None = None
    checked_requirements: list[str] | None = None
    decision: str | None = None
    reason: str | None = None
    assignee: str | None = None
    staff_id: int | None = None


def parse_action(data: dict[str, Any]) -> ActionInput:
    """The body of ``POST /cases/{id}/steps/current/{action}``."""
    checked = data.get("checked_requirements", data.get("requirements_checked"))
    if checked is not None and (not isinstance(checked, list) or len(checked) > 100
                                or not all(isinstance(c, str) and len(c) <= 200
                                           for c in checked)):
        raise ValidationFailed("Daftar persyaratan harus berupa daftar teks (paling banyak 100, "
                               "masing-masing 200 karakter).", field="checked_requirements")
    staff_id = data.get("staff_id")
    if staff_id is not None and (isinstance(staff_id, bool) or not isinstance(staff_id, int)
                                 or not 1 <= staff_id <= 2**31 - 1):
        raise ValidationFailed("Petugas harus dipilih dari daftar (id petugas).",
                               field="staff_id")
    return ActionInput(
        output=text(data, "output", max_length=MAX_STEP_NOTE, label="Hasil"),
        checked_requirements=checked,
        decision=text(data, "decision", max_length=60, label="Keputusan", multiline=False),
        reason=text(data, "reason", max_length=MAX_STEP_NOTE, label="Alasan"),
        assignee=text(data, "assignee", max_length=60, label="Petugas", multiline=False),
        staff_id=staff_id)


@dataclass(frozen=True)
class Worklist:
    role: str | None
    sop: str | None
    status: str | None
    mine: bool


def parse_reveal(value: str | None) -> bool:
    """``?reveal=`` of ``GET /cases/{id}``: absent, ``0``/``false`` or ``1``/``true``."""
    if value is None or value in ("", "0", "false"):
        return False
    if value in ("1", "true"):
        return True
    raise ValidationFailed("Parameter reveal harus 1 atau 0.", field="reveal")


def parse_worklist(args: Any, known_roles: list[str], known_sops: Any = ()) -> Worklist:
    """``GET /cases?role=&status=&mine=``."""
    role = args.get("role") or None
    status = args.get("status") or None
    if status and status not in CASE_STATUSES:
        raise ValidationFailed(f"Status harus salah satu dari: {', '.join(CASE_STATUSES)}.",
                               field="status")
    if role and role not in known_roles:
        raise ValidationFailed(f"Peran '{role}' tidak dikenal.", field="role")
    sop = args.get("sop") or None
    if sop and sop not in known_sops:
        raise ValidationFailed(f"Layanan '{sop}' tidak dikenal.", field="sop")
    return Worklist(role=role, sop=sop, status=status, mine=args.get("mine") in ("1", "true"))


def parse_day(value: Any, field: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(str(value if value is not None else ""))
    except ValueError:
        raise ValidationFailed("Tanggal harus berformat YYYY-MM-DD.", field=field) from None


@dataclass(frozen=True)
class Override:
    day: dt.date
    kind: str
    name: str


def parse_override(data: dict[str, Any]) -> Override:
    """A local closed day (e.g. Hari Jadi Banyuwangi) or an extra open day."""
    day = parse_day(data.get("date"))
    kind = data.get("kind")
    if kind not in OVERRIDE_KINDS:
        raise ValidationFailed("Jenis harus 'closed' (libur) atau 'open' (buka).", field="kind")
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 120:
        raise ValidationFailed("Keterangan wajib diisi (1–120 karakter).", field="name")
    check_text(name, "name", max_length=120, label="Keterangan", multiline=False)
    return Override(day=day, kind=kind, name=name.strip())


@dataclass(frozen=True)
class DocumentRequest:
    classification: str | None
    forward_to: str | None
    instruction: str | None


def parse_document(data: dict[str, Any]) -> DocumentRequest:
    """The optional fields a lembar disposisi prints."""
    return DocumentRequest(
        classification=text(data, "classification", max_length=200),
        forward_to=text(data, "forward_to", max_length=200),
        instruction=text(data, "instruction", max_length=2000))
