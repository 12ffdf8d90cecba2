"""The buku tamu as the office's record: one day or one month, as CSV, XLSX or a printable PDF.

Personal data (name, institution/address) is masked for anyone but the receptionist and admin;
identity-card numbers are always shown masked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from loket.errors import ValidationFailed
from workflow_service.documents import MONTHS
from workflow_service.usecases import guests, tables
from workflow_service.usecases import reception_engine as engine
from workflow_service.usecases.context import WorkflowContext

FORMATS = tables.FORMATS
COLUMNS = ("No", "Tanggal", "Datang", "Pulang", "Nama", "Instansi/alamat", "Keperluan",
           "Tujuan", "Jumlah orang", "Kartu identitas", "Kartu tamu")

@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # exclusive
    slug: str


def parse_period(date: str | None, month: str | None) -> Period:
    """``date=YYYY-MM-DD`` or ``month=YYYY-MM`` (local days of the office)."""
    if bool(date) == bool(month):
        raise ValidationFailed("Pilih salah satu: tanggal (date=YYYY-MM-DD) atau bulan "
                               "(month=YYYY-MM).", field="date")
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise ValidationFailed("Tanggal harus berformat YYYY-MM-DD.", field="date") from None
        label = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        return Period(label, day, day + dt.timedelta(days=1), day.isoformat())
    assert month is not None
    if not re.fullmatch(r"\d{4}-\d{2}", month) or not 1 <= int(month[5:]) <= 12:
        raise ValidationFailed("Bulan harus berformat YYYY-MM.", field="month")
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(f"{MONTHS[first.month - 1]} {first.year}", first, following, month)


def rows(session: Session, period: Period, full: bool) -> list[dict[str, Any]]:
    calendar = engine.business_calendar(session)
    zone = calendar.to_local(dt.datetime.now(dt.UTC)).tzinfo

    def instant(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

    result = []
    for number, guest in enumerate(guests.between(session, instant(period.start),
                                                  instant(period.end)), start=1):
        data = guests.guest_json(guest, full)
        arrived = calendar.to_local(guest.arrived_at)
        left = calendar.to_local(guest.left_at) if guest.left_at else None
        card = data["id_card"]
        result.append({
            "No": number, "Tanggal": arrived.date().isoformat(),
            "Datang": arrived.strftime("%H:%M"), "Pulang": left.strftime("%H:%M") if left else "",
            "Nama": data["name"] or "", "Instansi/alamat": data["institution"] or "",
            "Keperluan": guest.purpose, "Tujuan": guest.host, "Jumlah orang": guest.group_size,
            "Kartu identitas": f"{card['type_label']} {card['number_masked']}" if card else "",
            "Kartu tamu": guest.visitor_card or "",
        })
    return result


def render(session: Session, period: Period, fmt: str, full: bool) -> bytes:
    if fmt not in FORMATS:
        raise ValidationFailed(f"Format harus salah satu dari: {', '.join(FORMATS)}.",
                               field="format")
    data = rows(session, period, full)
    if fmt == "csv":
        return tables.write_csv(COLUMNS, data)
    if fmt == "xlsx":
        return tables.write_xlsx(f"Buku Tamu — {period.label}", "Buku Tamu", COLUMNS, data,
                                 (5, 12, 8, 8, 24, 24, 32, 24, 8, 24, 8))
    office = engine.office()
    return tables.write_pdf("guest_book.html", period=period, rows=data, columns=COLUMNS,
                            masked=not full, office_name=getattr(office, "name", "Kecamatan"),
                            office_address=getattr(office, "address", ""))


def book(ctx: WorkflowContext, period: Period, full: bool) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return rows(session, period, full)


def export(ctx: WorkflowContext, period: Period, fmt: str, full: bool) -> bytes:
    with ctx.db.read_session() as session:
        return render(session, period, fmt, full)
