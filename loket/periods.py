"""The period of a report, from ``?from=YYYY-MM-DD&to=YYYY-MM-DD``: one reading for every service.

Both days are inclusive office days. Without ``from`` and ``to`` the period is the office's
today; with only ``from``, that one day. Wrong input answers 422 naming the field, in Bahasa
Indonesia (``loket.errors``).
"""

from __future__ import annotations

import datetime as dt

from loket.errors import ValidationFailed

MAX_RANGE_DAYS = 366


def parse_day(raw: str | None, field: str, default: dt.date) -> dt.date:
    """``raw`` as a date, ``default`` when absent."""
    if raw is None or raw == "":
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(f"Tanggal '{field}' harus berformat YYYY-MM-DD.", field=field,
                               code="invalid_date") from None


def parse_period(raw_from: str | None, raw_to: str | None, today: dt.date,
                 max_days: int = MAX_RANGE_DAYS) -> tuple[dt.date, dt.date]:
    """The inclusive (first, last) days of a report; both default to ``today``."""
    first = parse_day(raw_from, "from", today)
    last = parse_day(raw_to, "to", first if raw_to in (None, "") and raw_from else today)
    if last < first:
        raise ValidationFailed("Tanggal 'to' tidak boleh sebelum tanggal 'from'.", field="to",
                               code="invalid_period")
    if (last - first).days + 1 > max_days:
        raise ValidationFailed(f"Periode laporan paling panjang {max_days} hari.",
                               field="to", code="period_too_long")
    return first, last
