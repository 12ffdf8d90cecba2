"""Reports of the queue: period figures, the ticket export, and the staffing forecast table.

One indexed range query (``service_day`` between two dates) reads the narrow columns of the
period's tickets; every figure is then computed by :mod:`queue_service.domain.reports` in
Python, so SQLite and PostgreSQL give identical medians and percentiles.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from loket import periods, tabular
from queue_service import sop_services
from queue_service.domain import forecast
from queue_service.domain.errors import InvalidInput
from queue_service.domain.numbering import service_day
from queue_service.domain.reports import (
    EXPORT_COLUMNS,
    EXPORT_HEADERS,
    MAX_RANGE_DAYS,
    TicketRow,
    export_row,
    summarize,
)
from queue_service.models import Counter, Office, Service, Ticket, TicketHistory
from sop import roles

if TYPE_CHECKING:
    from queue_service.usecases.context import QueueContext

# sop/data/roles.yaml (reads_reports: Sekcam, Camat); admin, a system role, always passes.
REPORT_ROLES = roles.report_roles()
EXPORT_FORMATS = ("json", "csv", "xlsx")
WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DEFAULT_SERVICE_MINUTES = 10.0


def _office(session: Session) -> Office | None:
    return session.scalar(select(Office).order_by(Office.id).limit(1))


def office_timezone(session: Session) -> str:
    office = _office(session)
    return office.timezone if office is not None else "Asia/Jakarta"


def today(ctx: QueueContext) -> dt.date:
    with ctx.db.read_session() as session:
        return service_day(dt.datetime.now(dt.UTC), office_timezone(session))


def parse_period(ctx: QueueContext, raw_from: str | None,
                 raw_to: str | None) -> tuple[dt.date, dt.date]:
    """The inclusive period of a report; both default to the office's today."""
    return periods.parse_period(raw_from, raw_to, today(ctx), MAX_RANGE_DAYS)


def _raw(column: Any) -> Any:
    """A datetime column without its per-value type processing (the report reads thousands):
    SQLite hands back its stored text, PostgreSQL a datetime; :func:`_utc` reads either."""
    return type_coerce(column, String)


def _utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    return _utc_required(value)


def _utc_required(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _ticket_query(first: dt.date, last: dt.date) -> Any:
    return (
        select(Ticket.id, Ticket.number, Service.code, Ticket.service_day, Ticket.status,
               _raw(Ticket.issued_at), _raw(Ticket.original_issued_at), _raw(Ticket.called_at),
               _raw(Ticket.serving_at), _raw(Ticket.finished_at))
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.service_day >= first, Ticket.service_day <= last)
        .order_by(Ticket.service_day, Ticket.original_issued_at, Ticket.id))


def _at_the_counter(session: Session, first: dt.date,
                    last: dt.date) -> tuple[dict[int, int], dict[int, str]]:
    """Per ticket: the counter number that called or served it last, and who started the
    service (a finished ticket has left its counter, so the history says where it was)."""
    numbers = {int(i): int(n) for i, n in session.execute(select(Counter.id, Counter.number))}
    query = (select(TicketHistory.ticket_id, TicketHistory.action, TicketHistory.counter_id,
                    TicketHistory.actor)
             .join(Ticket, Ticket.id == TicketHistory.ticket_id)
             .where(Ticket.service_day >= first, Ticket.service_day <= last,
                    TicketHistory.action.in_(("call", "start")))
             .order_by(TicketHistory.id))
    counters: dict[int, int] = {}
    officers: dict[int, str] = {}
    for ticket_id, action, counter_id, actor in session.connection().execute(query):
        if counter_id in numbers:
            counters[ticket_id] = numbers[counter_id]
        if action == "start" and actor:
            officers[ticket_id] = actor
    return counters, officers


def session_rows(session: Session, first: dt.date,
                 last: dt.date) -> tuple[list[TicketRow], str]:
    """The period's rows with the counter and officer of each, and the office's time zone."""
    counters, officers = _at_the_counter(session, first, last)
    rows = [TicketRow(id=i, number=number, service=code, service_day=day, status=status,
                      counter=counters.get(i), officer=officers.get(i),
                      issued_at=_utc_required(issued),
                      original_issued_at=_utc_required(original), called_at=_utc(called),
                      serving_at=_utc(serving), finished_at=_utc(finished))
            for i, number, code, day, status, issued, original, called, serving, finished
            in session.connection().execute(_ticket_query(first, last))]
    return rows, office_timezone(session)


def period_rows(ctx: QueueContext, first: dt.date, last: dt.date) -> tuple[list[TicketRow], str]:
    with ctx.db.read_session() as session:
        return session_rows(session, first, last)


def summary_in(session: Session, first: dt.date, last: dt.date) -> dict[str, Any]:
    rows, zone = session_rows(session, first, last)
    return summarize(rows, zone, first, last)


def summary(ctx: QueueContext, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Issued, served, no-shows, waiting and service minutes per service/counter/officer/hour."""
    with ctx.db.read_session() as session:
        return summary_in(session, first, last)


def export_tickets(ctx: QueueContext, first: dt.date, last: dt.date,
                   fmt: str) -> tuple[Any, str, str]:
    """One row per ticket as JSON rows, CSV or XLSX: (body, mimetype, file name)."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("Format harus salah satu dari: json, csv, xlsx.", field="format",
                           code="invalid_format")
    rows, zone = period_rows(ctx, first, last)
    items = [export_row(r, ZoneInfo(zone)) for r in rows]
    name = f"tiket-{first.isoformat()}-{last.isoformat()}"
    if fmt == "json":
        return {"from": first.isoformat(), "to": last.isoformat(), "count": len(items),
                "tickets": items}, "application/json", name + ".json"
    table = [[item[c] for c in EXPORT_COLUMNS] for item in items]
    if fmt == "csv":
        return tabular.to_csv(EXPORT_HEADERS, table), tabular.CSV_MIMETYPE, name + ".csv"
    return (tabular.to_xlsx("Tiket", EXPORT_HEADERS, table), tabular.XLSX_MIMETYPE,
            name + ".xlsx")


# -- staffing forecast from history ---------------------------------------------------------------

def _history_demands(session: Session, first: dt.date, last: dt.date, zone: ZoneInfo,
                     service: str | None) -> tuple[dict[tuple[int, int], list[forecast.Demand]],
                                                   dict[str, float]]:
    """Mean arrivals per (weekday, hour) and mean service minutes, per service, from history."""
    query = (select(Service.code, Ticket.original_issued_at, Ticket.serving_at,
                    Ticket.finished_at, Ticket.status)
             .join(Service, Service.id == Ticket.issued_service_id)
             .where(Ticket.service_day >= first, Ticket.service_day <= last))
    if service:
        query = query.where(Service.code == service)
    arrivals: dict[tuple[str, int, int], int] = defaultdict(int)
    durations: dict[str, list[float]] = defaultdict(list)
    for code, issued, serving, finished, status in session.execute(query):
        local = issued.astimezone(zone)
        arrivals[(code, local.weekday(), local.hour)] += 1
        if status == "done" and serving is not None and finished is not None:
            durations[code].append((finished - serving).total_seconds() / 60.0)
    weekdays: dict[int, int] = defaultdict(int)
    for i in range((last - first).days + 1):
        weekdays[(first + dt.timedelta(days=i)).weekday()] += 1
    minutes = {code: _service_minutes(code, durations.get(code, []))
               for code in {c for c, _, _ in arrivals}}
    cells: dict[tuple[int, int], list[forecast.Demand]] = defaultdict(list)
    for (code, weekday, hour), count in arrivals.items():
        cells[(weekday, hour)].append(forecast.Demand(count / weekdays[weekday], minutes[code]))
    return cells, minutes


def _service_minutes(code: str, durations: list[float]) -> float:
    """Mean service minutes from history, else the SOP's standard, else ten minutes."""
    if durations:
        return max(0.5, sum(durations) / len(durations))
    info = sop_services.by_code().get(code)
    if info is not None and info.service_minutes:
        return float(info.service_minutes)
    return DEFAULT_SERVICE_MINUTES


def forecast_table(ctx: QueueContext, *, weeks: int, target_wait_minutes: float,
                   target_share: float, planned: int | None,
                   service: str | None) -> dict[str, Any]:
    """Counters needed per weekday and hour, from the last ``weeks`` weeks of history."""
    forecast.check_inputs(1.0, 1.0, target_wait_minutes, target_share)
    last = today(ctx) - dt.timedelta(days=1)
    first = last - dt.timedelta(days=7 * weeks - 1)
    with ctx.db.read_session() as session:
        if service and session.scalar(select(Service.id).where(Service.code == service)) is None:
            raise InvalidInput(f"Layanan '{service}' tidak dikenal.", field="service",
                               code="unknown_service")
        zone = ZoneInfo(office_timezone(session))
        cells, minutes = _history_demands(session, first, last, zone, service)
        if planned is None:
            planned = int(session.scalar(select(func.count()).select_from(Counter)) or 0)
    hours = sorted({h for _, h in cells}) or list(range(8, 16))
    weekdays = sorted({w for w, _ in cells}) or list(range(5))
    table = []
    for weekday in weekdays:
        row = []
        for hour in hours:
            demand = forecast.combine(cells.get((weekday, hour), []))
            row.append({"hour": hour, **forecast.plan_cell(demand, target_wait_minutes,
                                                           target_share, planned)})
        table.append({"weekday": weekday, "weekday_name": WEEKDAY_NAMES[weekday], "hours": row})
    return {"from": first.isoformat(), "to": last.isoformat(), "weeks": weeks,
            "service": service, "target_wait_minutes": target_wait_minutes,
            "target_share": target_share, "planned": planned, "hours": hours,
            "service_minutes": {k: round(v, 2) for k, v in sorted(minutes.items())},
            "table": table}


CHART_KINDS = ("hour", "day")


def chart(ctx: QueueContext, first: dt.date, last: dt.date, kind: str) -> str:
    """Tickets issued per hour of day or per day of the period, as an SVG bar chart."""
    from loket import svgchart

    if kind not in CHART_KINDS:
        raise InvalidInput("Jenis grafik harus 'hour' atau 'day'.", field="kind",
                           code="invalid_kind")
    data = summary(ctx, first, last)
    if kind == "hour":
        hours = {h["hour"]: h["issued"] for h in data["by_hour"]}
        span = range(min(hours, default=8), max(hours, default=15) + 1)
        return svgchart.bar_chart("Antrean diambil per jam", [f"{h:02d}" for h in span],
                                  [hours.get(h, 0) for h in span])
    return svgchart.bar_chart("Antrean diambil per hari",
                              [d["date"][8:10] for d in data["by_day"]],
                              [d["issued"] for d in data["by_day"]], colour="#1d4e89")
