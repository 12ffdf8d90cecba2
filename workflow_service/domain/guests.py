"""Guest reception rules in plain Python: what a buku tamu entry must hold, how an identity card
is masked, when the closing alert is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from loket.errors import ValidationFailed
from loket.text_input import has_control

BULLET = "\u2022"
# Identity cards a guest may leave at the desk, and how the receptionist reads them.
ID_CARD_TYPES = {"ktp": "KTP", "sim": "SIM", "kartu_pegawai": "Kartu pegawai",
                 "paspor": "Paspor", "kartu_pelajar": "Kartu pelajar", "lainnya": "Lainnya"}
MAX_GROUP = 100


@dataclass(frozen=True)
class IdCard:
    type: str
    number: str

    @property
    def masked(self) -> str:
        return mask_card_number(self.number)


@dataclass(frozen=True)
class GuestEntry:
    name: str
    institution: str | None
    purpose: str
    host: str
    group_size: int
    id_card: IdCard | None
    visitor_card: int | None
    ticket_id: int | None = None
    ticket_number: str | None = None


def mask_card_number(number: str) -> str:
    """``3510••••••••0001`` for long numbers; short ones keep only their last two characters."""
    if len(number) > 8:
        return number[:4] + BULLET * (len(number) - 8) + number[-4:]
    return BULLET * max(0, len(number) - 2) + number[-2:]


def _text(data: dict[str, Any], key: str, label: str, *, limit: int,
          required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"{label} wajib diisi.", field=key)
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{label} harus berupa teks.", field=key)
    if has_control(value):
        raise ValidationFailed(f"{label} berisi karakter yang tidak diizinkan.", field=key,
                               code="invalid_text")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ValidationFailed(f"{label} paling banyak {limit} karakter.", field=key)
    return value


def _positive_int(value: Any, field: str, label: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed(f"{label} harus berupa bilangan bulat.", field=field)
    try:
        number = int(value)
    except ValueError:
        raise ValidationFailed(f"{label} harus berupa bilangan bulat.", field=field) from None
    if not 1 <= number <= maximum:
        raise ValidationFailed(f"{label} harus antara 1 dan {maximum}.", field=field)
    return number


def parse_id_card(value: Any) -> IdCard | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationFailed("Kartu identitas harus berupa objek {type, number}.",
                               field="id_card")
    kind = value.get("type")
    if kind not in ID_CARD_TYPES:
        raise ValidationFailed(
            f"Jenis kartu identitas harus salah satu dari: {', '.join(ID_CARD_TYPES)}.",
            field="id_card.type")
    number = value.get("number")
    if not isinstance(number, str) or not number.strip():
        raise ValidationFailed("Nomor kartu identitas wajib diisi.", field="id_card.number")
    number = "".join(number.split()).upper()
    if not 4 <= len(number) <= 30 or not number.replace("-", "").isalnum():
        raise ValidationFailed("Nomor kartu identitas harus 4–30 huruf/angka.",
                               field="id_card.number")
    return IdCard(type=kind, number=number)


def parse_guest(data: dict[str, Any]) -> GuestEntry:
    """A buku tamu entry from the receptionist's form (or the kiosk's answers)."""
    name = _text(data, "name", "Nama tamu", limit=120)
    purpose = _text(data, "purpose", "Keperluan kunjungan", limit=200)
    host = _text(data, "host", "Pejabat/seksi yang dituju", limit=120)
    institution = _text(data, "institution", "Asal instansi/alamat", limit=160, required=False)
    group_size = _positive_int(data.get("group_size", 1), "group_size", "Jumlah rombongan",
                               MAX_GROUP)
    card = data.get("visitor_card")
    visitor_card = None if card is None else _positive_int(card, "visitor_card",
                                                           "Nomor kartu tamu", 9999)
    ticket = data.get("ticket")
    ticket_id = ticket_number = None
    if ticket is not None:
        if not isinstance(ticket, dict):
            raise ValidationFailed("Tiket harus berupa objek {id, number}.", field="ticket")
        ticket_id = _positive_int(ticket.get("id"), "ticket.id", "Nomor id tiket", 2**31 - 1)
        ticket_number = _text(ticket, "number", "Nomor tiket", limit=8, required=False)
    assert name is not None and purpose is not None and host is not None
    return GuestEntry(name=name, institution=institution, purpose=purpose, host=host,
                      group_size=group_size, id_card=parse_id_card(data.get("id_card")),
                      visitor_card=visitor_card, ticket_id=ticket_id,
                      ticket_number=ticket_number)


def pool_numbers(count: Any) -> list[int]:
    """The numbers of a pool of ``count`` cards (1..count)."""
    size = _positive_int(count, "count", "Jumlah kartu tamu", 500)
    return list(range(1, size + 1))


def closing_alert_due(now: dt.datetime, close_of_business: dt.datetime | None) -> bool:
    """The alert goes out once the office has closed for the day (never on a closed day)."""
    return close_of_business is not None and now >= close_of_business
