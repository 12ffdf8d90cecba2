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
from collections.abc import Iterable
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


class _Tally:
    """The figures of one group, gathered in one pass over the rows."""

    __slots__ = ("issued", "served", "no_show", "cancelled", "waits", "services")

    def __init__(self) -> None:
        self.issued = self.served = self.no_show = self.cancelled = 0
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, row: TicketRow, wait: float | None, service: float | None) -> None:
        self.issued += 1
        self.served += row.status == "done"
        self.no_show += row.status == "no_show"
        self.cancelled += row.status == "cancelled"
        if wait is not None:
            self.waits.append(wait)
        if service is not None:
            self.services.append(service)

    def figures(self) -> dict[str, Any]:
        return {"issued": self.issued, "served": self.served, "no_show": self.no_show,
                "cancelled": self.cancelled, "waiting_minutes": duration_summary(self.waits),
                "service_minutes": duration_summary(self.services)}


def local_hour(at: dt.datetime, zone: ZoneInfo) -> int:
    return at.astimezone(zone).hour


def summarize(rows: list[TicketRow], timezone: str, first: dt.date,
              last: dt.date) -> dict[str, Any]:
    """Every figure of the period: totals, per service, counter, officer, hour and day."""
    zone = ZoneInfo(timezone)
    total = _Tally()
    groups: dict[str, dict[Any, _Tally]] = {
        "service": defaultdict(_Tally), "counter": defaultdict(_Tally),
        "officer": defaultdict(_Tally), "hour": defaultdict(_Tally), "day": defaultdict(_Tally)}
    for row in rows:
        wait, service = row.waiting_minutes, row.service_minutes
        total.add(row, wait, service)
        keys = {"service": row.service, "counter": row.counter, "officer": row.officer,
                "hour": local_hour(row.original_issued_at, zone), "day": row.service_day}
        for name, key in keys.items():
            if key is not None:
                groups[name][key].add(row, wait, service)

    def listed(name: str) -> list[dict[str, Any]]:
        return [{name: k, **v.figures()} for k, v in sorted(groups[name].items())]

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    by_day = groups["day"]
    return {
        "from": first.isoformat(), "to": last.isoformat(), "timezone": timezone,
        "totals": total.figures(),
        "by_service": listed("service"), "by_counter": listed("counter"),
        "by_officer": listed("officer"), "by_hour": listed("hour"),
        "by_day": [{"date": d.isoformat(), "issued": by_day[d].issued if d in by_day else 0,
                    "served": by_day[d].served if d in by_day else 0,
                    "no_show": by_day[d].no_show if d in by_day else 0} for d in days],
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
