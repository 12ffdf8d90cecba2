"""The administrator's review of the access log (who read a visitor's full NIK or phone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from loket import access_log
from loket.errors import ValidationFailed
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _date(raw: str | None, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationFailed(f"Tanggal '{field}' harus berformat YYYY-MM-DD.", field=field)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationFailed(f"Tanggal '{field}' harus antara tahun 2000 dan 2999.",
                               field=field)
    return day


def _whole_number(raw: str | None, field: str, default: int, highest: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= highest:
        raise ValidationFailed(f"'{field}' harus bilangan bulat 1–{highest}.", field=field)
    return int(raw)


def parse_query(args: Mapping[str, str], timezone: str) -> access_log.AccessQuery:
    """``from``/``to`` are the office's local days (both inclusive); ``staff`` a username."""
    first, last = _date(args.get("from"), "from"), _date(args.get("to"), "to")
    if first and last and last < first:
        raise ValidationFailed("Tanggal 'to' tidak boleh sebelum tanggal 'from'.", field="to")
    zone = ZoneInfo(timezone)

    def start_of(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

    staff = (args.get("staff") or "").strip()
    if len(staff) > 60:
        raise ValidationFailed("Nama pengguna 'staff' paling panjang 60 karakter.",
                               field="staff")
    return access_log.AccessQuery(
        start=start_of(first) if first else None,
        end=start_of(last + dt.timedelta(days=1)) if last else None,
        staff=staff or None,
        page=_whole_number(args.get("page"), "page", 1, 100000),
        per_page=_whole_number(args.get("per_page"), "per_page", 50,
                               access_log.PAGE_SIZE_MAX))


def review(ctx: QueueContext, args: Mapping[str, str]) -> dict[str, Any]:
    with ctx.db.read_session() as session:
        timezone = queries.office_row(session, ctx.settings)[1]
    return access_log.search(ctx.db, parse_query(args, timezone))
