"""Parsing the admin API's bodies into plain values, with Indonesian messages naming the field.

Plain Python like ``validation.py``: nothing here trusts the JSON's shape. Updates are partial:
only the keys present in the body are returned (and changed).
"""

from __future__ import annotations

import re
from typing import Any

from loket.auth import STAFF_ROLES
from queue_service.domain import hours
from queue_service.domain.errors import InvalidInput
from queue_service.validation import _text, require_object, service_code

OFFICIALS = ("camat", "sekcam")
DEVICE_KINDS = ("kiosk", "display")
MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
_PREFIX = re.compile(r"^[A-Z]{1,2}$")
_NIP = re.compile(r"^[0-9]{18}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def _pick(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InvalidInput(f"Isian '{unknown[0][:40]}' tidak dikenal.", field=unknown[0][:40],
                           code="unknown_field")
    return data


def _bool(value: Any, field: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{label} harus bernilai true atau false.", field=field)
    return value


def _int(value: Any, field: str, label: str, low: int, high: int,
         nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{label} harus angka {low} sampai {high}.", field=field)
    return value


def _nip(value: Any, field: str) -> str | None:
    nip = _text(value, field, max_len=30, label="NIP")
    if nip is not None:
        nip = nip.replace(" ", "")
        if not _NIP.match(nip):
            raise InvalidInput("NIP harus 18 angka.", field=field, code="invalid_nip")
    return nip


def _text_list(value: Any, field: str, label: str, max_items: int = 30,
               max_len: int = 200) -> list[str]:
    if not isinstance(value, list) or len(value) > max_items:
        raise InvalidInput(f"{label} harus berupa daftar teks (paling banyak {max_items}).",
                           field=field)
    items = [_text(item, f"{field}.{i}", max_len=max_len, label=label)
             for i, item in enumerate(value)]
    return [item for item in items if item]


# -- office ------------------------------------------------------------------------------------

def parse_opening_hours(value: Any, field: str = "opening_hours") -> dict[str, Any]:
    if not isinstance(value, dict) or len(value) > 14:
        raise InvalidInput("Jam layanan harus berupa objek hari → jam, contoh "
                           '{"mon-thu": "07:30-15:30", "fri": ["07:30-11:30", "13:00-14:30"]}.',
                           field=field)
    try:
        hours.parse(value)
    except hours.HoursError as exc:
        raise InvalidInput(f"Jam layanan tidak valid: {exc}.", field=field) from None
    return dict(value)


def parse_timezone(value: Any, field: str = "timezone") -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone = _text(value, field, required=True, max_len=40, label="Zona waktu")
    assert zone is not None
    try:
        if not zone.startswith("Asia/"):
            raise ZoneInfoNotFoundError(zone)
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("Zona waktu tidak dikenal (contoh Asia/Jakarta, Asia/Makassar, "
                           "Asia/Jayapura).", field=field) from None
    return zone


def _officials(value: Any) -> dict[str, Any]:
    data = _pick(require_object(value, "officials"), OFFICIALS)
    result: dict[str, Any] = {}
    for role, person in data.items():
        if person is None:
            continue
        person = _pick(require_object(person, f"officials.{role}"), ("name", "nip", "rank"))
        result[role] = {
            "name": _text(person.get("name"), f"officials.{role}.name", required=True,
                          max_len=120, label="Nama pejabat"),
            "nip": _nip(person.get("nip"), f"officials.{role}.nip"),
            "rank": _text(person.get("rank"), f"officials.{role}.rank", max_len=120,
                          label="Pangkat/golongan"),
        }
    return result


def parse_office(body: Any) -> dict[str, Any]:
    data = _pick(require_object(body), ("name", "kabupaten", "address", "phone", "logo_url",
                                        "opening_hours", "timezone", "officials", "rooms"))
    result: dict[str, Any] = {}
    if "name" in data:
        result["name"] = _text(data["name"], "name", required=True, max_len=120,
                               label="Nama kantor")
    for key, label, size in (("kabupaten", "Kabupaten", 120), ("address", "Alamat", 300),
                             ("logo_url", "Alamat logo", 200)):
        if key in data:
            result[key] = _text(data[key], key, max_len=size, label=label)
    if "phone" in data:
        phone = _text(data["phone"], "phone", max_len=40, label="Telepon")
        if phone and not _PHONE.match(phone):
            raise InvalidInput("Nomor telepon kantor tidak valid (contoh 0333-845001).",
                               field="phone")
        result["phone"] = phone
    if "opening_hours" in data:
        result["opening_hours"] = parse_opening_hours(data["opening_hours"])
    if "timezone" in data:
        result["timezone"] = parse_timezone(data["timezone"])
    if "officials" in data:
        result["officials"] = _officials(data["officials"])
    if "rooms" in data:
        from queue_service.validation_rooms import parse_rooms

        result["rooms"] = parse_rooms(data["rooms"])
    return result


# -- services ----------------------------------------------------------------------------------

def parse_service(body: Any, creating: bool) -> dict[str, Any]:
    keys = ("name", "prefix", "open", "bring", "fee", "product", "daily_quota")
    data = _pick(require_object(body), (*keys, "sop") if creating else keys)
    result: dict[str, Any] = {}
    if creating:
        sop = data.get("sop")
        if not isinstance(sop, str) or not sop.strip():
            raise InvalidInput("SOP layanan wajib dipilih.", field="sop", code="required")
        result["sop"] = service_code(sop, "sop")
    if "name" in data:
        result["name"] = _text(data["name"], "name", required=True, max_len=120,
                               label="Nama layanan")
    if "prefix" in data or creating:
        prefix = data.get("prefix")
        if not isinstance(prefix, str) or not _PREFIX.match(prefix.strip().upper()):
            raise InvalidInput("Huruf awalan nomor antrean harus 1–2 huruf (A–Z).",
                               field="prefix", code="invalid_prefix")
        result["prefix"] = prefix.strip().upper()
    if "open" in data:
        result["is_open"] = _bool(data["open"], "open", "Status buka")
    if "bring" in data:
        result["bring"] = _text_list(data["bring"], "bring", "Persyaratan")
    if "fee" in data:
        result["fee"] = _text(data["fee"], "fee", max_len=120, label="Biaya") or "gratis"
    if "product" in data:
        result["product"] = _text(data["product"], "product", max_len=200, label="Produk")
    if "daily_quota" in data:
        result["daily_quota"] = _int(data["daily_quota"], "daily_quota", "Kuota harian", 1,
                                     999, nullable=True)
    return result


# -- counters ----------------------------------------------------------------------------------

def parse_counter(body: Any, creating: bool) -> dict[str, Any]:
    data = _pick(require_object(body), ("name", "services", "tv_order"))
    result: dict[str, Any] = {}
    if "name" in data or creating:
        result["name"] = _text(data.get("name"), "name", required=True, max_len=60,
                               label="Nama loket")
    if "services" in data or creating:
        codes = data.get("services")
        if not isinstance(codes, list) or not codes or len(codes) > 20:
            raise InvalidInput("Pilih paling sedikit satu layanan untuk loket ini.",
                               field="services", code="required")
        if not all(isinstance(c, str) for c in codes):
            raise InvalidInput("Layanan harus berupa kode layanan.", field="services")
        result["services"] = list(dict.fromkeys(service_code(c, "services") for c in codes))
    if "tv_order" in data:
        result["tv_order"] = _int(data["tv_order"], "tv_order", "Urutan di TV", 0, 999)
    return result


# -- staff -------------------------------------------------------------------------------------

def parse_password(value: Any, field: str = "password") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput("Kata sandi wajib diisi.", field=field, code="required")
    if len(value) < MIN_PASSWORD:
        raise InvalidInput(f"Kata sandi minimal {MIN_PASSWORD} karakter.", field=field,
                           code="password_too_short")
    if len(value) > 200:
        raise InvalidInput("Kata sandi terlalu panjang.", field=field)
    return value


def parse_username(value: Any) -> str:
    username = _text(value, "username", required=True, max_len=60, label="Nama pengguna")
    assert username is not None
    if not _USERNAME.match(username):
        raise InvalidInput("Nama pengguna 3–60 karakter: huruf kecil, angka, titik, garis bawah "
                           "atau tanda hubung.", field="username", code="invalid_username")
    return username


def _section(value: Any) -> str | None:
    """A section picked from the office file's list (its code, or its name); stored as the name
    staff records carry. Free text is refused."""
    from queue_service.sop_services import section_name, sections

    text = _text(value, "section", max_len=120, label="Seksi")
    if text is None:
        return None
    name = section_name(text)
    if name is None:
        raise InvalidInput("Seksi harus dipilih dari daftar seksi kantor: " +
                           ", ".join(sections()) + ".", field="section", code="unknown_section")
    return name


def parse_staff(body: Any, creating: bool) -> dict[str, Any]:
    keys = ("username", "full_name", "nip", "roles", "section", "counter_id")
    data = _pick(require_object(body), (*keys, "password") if creating else keys)
    result: dict[str, Any] = {}
    if "username" in data or creating:
        result["username"] = parse_username(data.get("username"))
    if creating:
        result["password"] = parse_password(data.get("password"))
    if "full_name" in data or creating:
        result["display_name"] = _text(data.get("full_name"), "full_name", required=True,
                                       max_len=120, label="Nama lengkap")
    if "nip" in data:
        result["nip"] = _nip(data["nip"], "nip")
    if "roles" in data or creating:
        roles = data.get("roles")
        if not isinstance(roles, list) or not roles or not all(r in STAFF_ROLES for r in roles):
            raise InvalidInput("Peran wajib dipilih dari: " + ", ".join(STAFF_ROLES) + ".",
                               field="roles", code="invalid_roles")
        result["roles"] = sorted(set(roles))
    if "section" in data:
        result["section"] = _section(data["section"])
    if "counter_id" in data:
        result["counter_id"] = _int(data["counter_id"], "counter_id", "Loket", 1, 2**31 - 1,
                                    nullable=True)
    return result


def parse_password_reset(body: Any) -> str:
    data = _pick(require_object(body), ("password",))
    return parse_password(data.get("password"))


def parse_password_change(body: Any) -> tuple[str, str]:
    data = _pick(require_object(body), ("current_password", "new_password"))
    current = data.get("current_password")
    if not isinstance(current, str) or not current or len(current) > 200:
        raise InvalidInput("Kata sandi saat ini wajib diisi.", field="current_password",
                           code="required")
    new = parse_password(data.get("new_password"), "new_password")
    if new == current:
        raise InvalidInput("Kata sandi baru harus berbeda dari kata sandi saat ini.",
                           field="new_password")
    return current, new


# -- devices -----------------------------------------------------------------------------------

def parse_device(body: Any) -> dict[str, Any]:
    data = _pick(require_object(body), ("kind", "name", "place"))
    kind = data.get("kind")
    if kind not in DEVICE_KINDS:
        raise InvalidInput("Jenis perangkat harus 'kiosk' atau 'display'.", field="kind",
                           code="invalid_kind")
    return {"kind": kind,
            "label": _text(data.get("name"), "name", required=True, max_len=80,
                           label="Nama perangkat"),
            "place": _text(data.get("place"), "place", max_len=120, label="Lokasi")}


def parse_id(raw: Any, field: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < 2**31:
        raise InvalidInput("Nomor tidak valid.", field=field)
    return raw
