"""A small fixed history of tickets, written as rows, whose every figure is known by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

JAKARTA = ZoneInfo("Asia/Jakarta")


def local(day: str, hm: str | None) -> dt.datetime | None:
    if hm is None:
        return None
    return dt.datetime.fromisoformat(f"{day}T{hm}:00").replace(tzinfo=JAKARTA).astimezone(dt.UTC)


@dataclasses.dataclass
class Visit:
    day: str
    service: str
    number: str
    issued: str
    called: str | None = None
    serving: str | None = None
    finished: str | None = None
    status: str = "done"
    counter: int | None = None
    officer: str | None = None


# Monday 2 and Tuesday 3 November 2026, office time (WIB). Minutes by hand:
#   waiting  10, 20, 30, 4, -, 6      service  10, 15, -, 5, -, 30
FIXED = [
    Visit("2026-11-02", "ektp", "A001", "08:00", "08:10", "08:11", "08:21", "done", 1, "petugas1"),
    Visit("2026-11-02", "ektp", "A002", "08:05", "08:25", "08:26", "08:41", "done", 1, "petugas1"),
    Visit("2026-11-02", "ektp", "A003", "09:00", "09:30", None, None, "no_show", 2, None),
    Visit("2026-11-02", "kk", "B001", "09:10", "09:14", "09:15", "09:20", "done", 2, "petugas2"),
    Visit("2026-11-02", "kk", "B002", "10:00", None, None, None, "cancelled", None, None),
    Visit("2026-11-03", "ektp", "A001", "08:30", "08:36", "08:36", "09:06", "done", 1, "petugas1"),
    # The day after the period: never counted in 2–3 November.
    Visit("2026-11-04", "ektp", "A001", "08:00", "08:01", "08:02", "08:03", "done", 1, "petugas1"),
]


def write(db: Any, visits: list[Visit]) -> None:
    """Insert the visits as tickets and their history rows (call, start, finish/no-show)."""
    from queue_service.models import Counter, Service, Ticket, TicketHistory

    with db.session() as session:
        services = {s.code: s.id for s in session.scalars(select(Service))}
        counters = {c.number: c.id for c in session.scalars(select(Counter))}
        for i, v in enumerate(visits):
            issued = local(v.day, v.issued)
            assert issued is not None
            final = local(v.day, v.finished or v.called or v.issued)
            ticket = Ticket(
                number=v.number, issued_service_id=services[v.service],
                issued_day=dt.date.fromisoformat(v.day), seq=int(v.number[1:]),
                service_id=services[v.service], service_day=dt.date.fromisoformat(v.day),
                status=v.status, tracking_code=f"T{i:07d}", details={}, counter_id=None,
                issued_at=issued, original_issued_at=issued, called_at=local(v.day, v.called),
                last_called_at=local(v.day, v.called), serving_at=local(v.day, v.serving),
                finished_at=local(v.day, v.finished),
                no_show_at=final if v.status == "no_show" else None,
                cancelled_at=final if v.status == "cancelled" else None, updated_at=final)
            session.add(ticket)
            session.flush()
            counter_id = counters.get(v.counter) if v.counter else None
            steps = [("call", "waiting", "called", v.called, counter_id),
                     ("start", "called", "serving", v.serving, counter_id),
                     ("finish", "serving", "done", v.finished, None)]
            if v.status == "no_show":
                steps = [*steps[:1], ("no_show", "called", "no_show", v.called, None)]
            for action, before, after, hm, cid in steps:
                at = local(v.day, hm)
                if at is None:
                    continue
                session.add(TicketHistory(ticket_id=ticket.id, action=action,
                                          from_status=before, to_status=after, counter_id=cid,
                                          service_id=services[v.service],
                                          actor=v.officer or "petugas2", at=at))
