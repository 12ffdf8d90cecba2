"""Parsing request bodies into plain values, with Indonesian messages naming the field.

Plain Python: the views hand over whatever JSON they got; nothing here trusts its shape.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from loket.text_input import has_control
from queue_service.domain.calling import PRIORITY_CATEGORIES
from queue_service.domain.errors import InvalidInput, UnknownService
from queue_service.domain.nik import validate_nik

MAX_TEXT = 500
FAULT_CODES = ("printer_offline", "paper_out", "printer_error", "network", "touchscreen",
               "power", "other")
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")


@dataclasses.dataclass(frozen=True)
class VisitorInput:
    name: str | None
    nik: str | None
    phone: str | None
    consent: bool


@dataclasses.dataclass(frozen=True)
class IssueInput:
    service: str
    visitor: VisitorInput | None
    priority: str | None
    details: dict[str, Any]


def require_object(body: Any, field: str | None = None) -> dict[str, Any]:
    if not isinstance(body, dict):
        where = f"'{field}'" if field else "Isi permintaan"
        raise InvalidInput(f"{where} harus berupa objek JSON.", field=field, code="invalid_body")
    return body


def _text(value: Any, field: str, *, required: bool = False, max_len: int = MAX_TEXT,
          label: str | None = None) -> str | None:
    label = label or field
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{label} wajib diisi.", field=field, code="required")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{label} harus berupa teks.", field=field)
    value = value.strip()
    if len(value) > max_len:
        raise InvalidInput(f"{label} terlalu panjang (maksimal {max_len} karakter).", field=field)
    if has_control(value):  # the rule of loket.text_input, shared with the workflow
        raise InvalidInput(f"{label} berisi karakter yang tidak diizinkan.", field=field,
                           code="invalid_text")
    return value


def parse_visitor(value: Any) -> VisitorInput | None:
    if value is None:
        return None
    data = require_object(value, "visitor")
    name = _text(data.get("name"), "visitor.name", max_len=100, label="Nama")
    nik_raw = data.get("nik")
    nik = None if nik_raw in (None, "") else validate_nik(nik_raw)
    phone_raw = _text(data.get("phone"), "visitor.phone", max_len=30, label="Nomor telepon")
    phone = None
    if phone_raw:
        phone = re.sub(r"[\s\-().]", "", phone_raw)
        if not _PHONE.match(phone):
            raise InvalidInput(
                "Nomor telepon tidak valid: gunakan 8–15 angka, contoh 081234567890.",
                field="visitor.phone", code="invalid_phone")
    consent = data.get("consent", False)
    if not isinstance(consent, bool):
        raise InvalidInput("Persetujuan (consent) harus bernilai true atau false.",
                           field="visitor.consent")
    if (name or nik or phone) and consent is not True:
        raise InvalidInput(
            "Persetujuan pengolahan data pribadi wajib diberikan sebelum mengambil antrean.",
            field="visitor.consent", code="consent_required")
    if not (name or nik or phone):
        return None
    return VisitorInput(name=name, nik=nik, phone=phone, consent=True)


def parse_details(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    data = require_object(value, "details")
    if len(data) > 30:
        raise InvalidInput("Terlalu banyak isian pada 'details'.", field="details")
    result: dict[str, Any] = {}
    for key, item in data.items():
        field = f"details.{key}"
        if len(key) > 60:
            raise InvalidInput("Nama isian terlalu panjang.", field="details")
        if key == "group_size":
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 200:
                raise InvalidInput("Jumlah rombongan harus angka 1 sampai 200.", field=field)
            result[key] = item
        elif item is None or isinstance(item, bool | int | float):
            if isinstance(item, float) and item != item:  # NaN
                raise InvalidInput("Isian tidak valid.", field=field)
            result[key] = item
        elif isinstance(item, str):
            result[key] = _text(item, field, max_len=2000, label=f"Isian '{key}'")
        elif isinstance(item, list) and len(item) <= 20 and all(
                isinstance(x, str) and len(x) <= 200 and not has_control(x) for x in item):
            result[key] = list(item)
        else:
            raise InvalidInput(f"Isian '{key}' harus berupa teks, angka atau daftar teks.",
                               field=field)
    return result


def parse_priority(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in PRIORITY_CATEGORIES:
        raise InvalidInput(
            "Kategori prioritas tidak dikenal; pilih lansia, disabilitas, ibu_hamil atau anak.",
            field="priority", code="invalid_priority")
    return value


_SERVICE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def service_code(value: str, field: str = "service") -> str:
    """A service code is a catalog slug (``ektp``, ``penerimaan-tamu``); anything else is unknown.

    Checked before any query: a NUL byte, say, must not reach the database driver.
    """
    code = value.strip()
    if not _SERVICE_CODE.match(code):
        raise UnknownService("Layanan tidak dikenal: pilih salah satu layanan yang tersedia.",
                             field=field)
    return code


def parse_issue(body: Any) -> IssueInput:
    data = require_object(body)
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        raise InvalidInput("Layanan wajib dipilih.", field="service", code="required")
    return IssueInput(
        service=service_code(service),
        visitor=parse_visitor(data.get("visitor")),
        priority=parse_priority(data.get("priority")),
        details=parse_details(data.get("details")),
    )


def parse_transfer(body: Any) -> tuple[str, bool]:
    data = require_object(body)
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        raise InvalidInput("Layanan tujuan wajib dipilih.", field="service", code="required")
    return_after = data.get("return_after", False)
    if not isinstance(return_after, bool):
        raise InvalidInput("'return_after' harus bernilai true atau false.", field="return_after")
    return service_code(service), return_after


def parse_ticket_id(body: Any) -> int:
    data = require_object(body)
    value = data.get("ticket_id")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise InvalidInput("Nomor tiket (ticket_id) wajib berupa angka.", field="ticket_id",
                           code="required")
    return value


def parse_announcements(body: Any) -> list[str]:
    data = require_object(body)
    if "announcements" in data:
        items = data["announcements"]
        if not isinstance(items, list):
            raise InvalidInput("'announcements' harus berupa daftar teks.", field="announcements")
    elif "text" in data:
        items = [] if data["text"] in (None, "") else [data["text"]]
    else:
        raise InvalidInput("Teks pengumuman wajib diisi.", field="announcements",
                           code="required")
    if len(items) > 20:
        raise InvalidInput("Paling banyak 20 pengumuman.", field="announcements")
    result = []
    for i, item in enumerate(items):
        text = _text(item, f"announcements.{i}", max_len=300, label="Pengumuman")
        if text:
            result.append(text)
    return result


def parse_fault(body: Any) -> tuple[str, str | None]:
    data = require_object(body)
    code = data.get("code")
    if not isinstance(code, str) or code not in FAULT_CODES:
        raise InvalidInput("Jenis gangguan tidak dikenal; pilih salah satu: "
                           + ", ".join(FAULT_CODES) + ".", field="code", code="invalid_fault")
    detail = _text(data.get("detail"), "detail", max_len=200, label="Keterangan")
    return code, detail


def parse_login(body: Any) -> tuple[str, str]:
    data = require_object(body)
    username = _text(data.get("username"), "username", required=True, max_len=60,
                     label="Nama pengguna")
    password = data.get("password")
    if not isinstance(password, str) or not password:
        raise InvalidInput("Kata sandi wajib diisi.", field="password", code="required")
    if len(password) > 200:
        raise InvalidInput("Kata sandi terlalu panjang.", field="password")
    assert username is not None
    return username, password
