"""The queue's report figures, computed from plain ticket rows (no framework imports).

Definitions (the same on every database, because they are computed here in Python over the
rows one indexed range query returns):

- issued: tickets whose service day falls in the period; served: status ``done``;
  no-shows: status ``no_show``; cancelled: ``cancelled``.
- waiting minutes: from the time the ticket entered the line (``issued_at``) to its call
  (``called_at``), for every ticket that was called.
- service minutes: from the start of service (``serving_at``) to its end (``finished_at``),
  for served tickets.
- median: the middle value (the mean of the two middle values for an even count);
  p90: nearest rank, the ``ceil(0.9 n)``-th smallest value; max: the largest.
- hour of day: the local hour (office time zone) at which the ticket was first issued.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

MAX_RANGE_DAYS = 366


@dataclasses.dataclass(frozen=True)
class TicketRow:
    """What a report needs of one ticket; no personal data."""

    id: int
    number: str
    service: str
    service_day: dt.date
    status: str
    counter: int | None  # counter number
    officer: str | None  # username of the officer who started the service
    issued_at: dt.datetime
    original_issued_at: dt.datetime
    called_at: dt.datetime | None
    serving_at: dt.datetime | None
    finished_at: dt.datetime | None

    @property
    def waiting_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return max(0.0, (self.called_at - self.issued_at).total_seconds() / 60.0)

    @property
    def service_minutes(self) -> float | None:
        if self.status != "done" or self.serving_at is None or self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - self.serving_at).total_seconds() / 60.0)


def percentile_nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def duration_summary(values: Iterable[float | None]) -> dict[str, Any]:
    """count, median, p90 and max of the minutes given (None values are left out)."""
    present = [v for v in values if v is not None]
    if not present:
        return {"count": 0, "median": None, "p90": None, "max": None}
    return {"count": len(present), "median": round(statistics.median(present), 2),
            "p90": round(percentile_nearest_rank(present, 0.9), 2),
            "max": round(max(present), 2)}


def _figures(rows: list[TicketRow]) -> dict[str, Any]:
    return {
        "issued": len(rows),
        "served": sum(r.status == "done" for r in rows),
        "no_show": sum(r.status == "no_show" for r in rows),
        "cancelled": sum(r.status == "cancelled" for r in rows),
        "waiting_minutes": duration_summary(r.waiting_minutes for r in rows),
        "service_minutes": duration_summary(r.service_minutes for r in rows),
    }


def _grouped(rows: list[TicketRow], key: Callable[[TicketRow], Any]) -> dict[Any, list[TicketRow]]:
    groups: dict[Any, list[TicketRow]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None:
            groups[value].append(row)
    return groups


def local_hour(at: dt.datetime, zone: ZoneInfo) -> int:
    return at.astimezone(zone).hour


def summarize(rows: list[TicketRow], timezone: str, first: dt.date,
              last: dt.date) -> dict[str, Any]:
    """Every figure of the period: totals, per service, counter, officer, hour and day."""
    zone = ZoneInfo(timezone)
    by_service = _grouped(rows, lambda r: r.service)
    by_counter = _grouped(rows, lambda r: r.counter)
    by_officer = _grouped(rows, lambda r: r.officer)
    by_hour = _grouped(rows, lambda r: local_hour(r.original_issued_at, zone))
    by_day = _grouped(rows, lambda r: r.service_day)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return {
        "from": first.isoformat(), "to": last.isoformat(), "timezone": timezone,
        "totals": _figures(rows),
        "by_service": [{"service": k, **_figures(v)} for k, v in sorted(by_service.items())],
        "by_counter": [{"counter": k, **_figures(v)} for k, v in sorted(by_counter.items())],
        "by_officer": [{"officer": k, **_figures(v)} for k, v in sorted(by_officer.items())],
        "by_hour": [{"hour": h, **_figures(by_hour.get(h, []))}
                    for h in range(24) if h in by_hour],
        "by_day": [{"date": d.isoformat(), "issued": len(by_day.get(d, [])),
                    "served": sum(r.status == "done" for r in by_day.get(d, [])),
                    "no_show": sum(r.status == "no_show" for r in by_day.get(d, []))}
                   for d in days],
    }


def export_row(row: TicketRow, zone: ZoneInfo) -> dict[str, Any]:
    """One line of the ticket export: number, service, times (local), status, minutes."""

    def local(at: dt.datetime | None) -> str | None:
        return at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if at else None

    waiting, service = row.waiting_minutes, row.service_minutes
    return {"number": row.number, "service": row.service, "date": row.service_day.isoformat(),
            "issued": local(row.original_issued_at), "called": local(row.called_at),
            "finished": local(row.finished_at), "status": row.status,
            "counter": row.counter,
            "waiting_minutes": round(waiting, 2) if waiting is not None else None,
            "service_minutes": round(service, 2) if service is not None else None}


EXPORT_COLUMNS = ("number", "service", "date", "issued", "called", "finished", "status",
                  "counter", "waiting_minutes", "service_minutes")
EXPORT_HEADERS = ("Nomor", "Layanan", "Tanggal", "Diambil", "Dipanggil", "Selesai", "Status",
                  "Loket", "Menunggu (menit)", "Dilayani (menit)")
