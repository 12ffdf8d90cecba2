"""The complaint register of a month: each complaint with its time per SOP step against the
step's standard (business time on the office calendar), as JSON, CSV, XLSX or printable PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.errors import ValidationFailed
from sop.durations import format_duration_id, iso_to_timedelta
from workflow_service.domain import BusinessCalendar
from workflow_service.models import Case, Step
from workflow_service.models_complaints import Complaint
from workflow_service.usecases import reception_engine as engine
from workflow_service.usecases import tables
from workflow_service.usecases.complaints import SOP, reporter
from workflow_service.usecases.context import WorkflowContext
from workflow_service.usecases.guest_book import Period
from workflow_service.usecases.guests import mask_name

BASE_COLUMNS = ("No", "Kode", "Tanggal", "Saluran", "Jenis", "Pelapor", "Pokok pengaduan",
                "Status")
STATUS_LABELS = {"open": "Diproses", "done": "Selesai", "rejected": "Ditolak",
                 "cancelled": "Dibatalkan"}


def _minutes_text(delta: dt.timedelta) -> str:
    minutes = max(0, round(delta.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    return f"{hours} jam {rest} menit" if hours else f"{rest} menit"


def step_columns() -> list[tuple[str, str, str | None]]:
    """(key, column title, ISO standard) of the pengaduan SOP's steps, in order."""
    sop = engine.catalog().get(SOP)
    return [(str(s.id), f"Langkah {s.id} ({format_duration_id(s.time_standard)})",
             s.time_standard) for s in sop.steps]


def _step_cell(step: Step | None, standard: str | None, calendar: BusinessCalendar,
               now: dt.datetime) -> tuple[str, bool]:
    if step is None or step.activated_at is None:
        return "", False
    taken = calendar.business_time_between(step.activated_at, step.finished_at or now)
    late = standard is not None and taken > iso_to_timedelta(standard)
    text = _minutes_text(taken) + ("" if step.finished_at else " (berjalan)")
    return text + (" — terlambat" if late else ""), late


def rows(session: Session, period: Period, full: bool,
         now: dt.datetime | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    now = now or dt.datetime.now(dt.UTC)
    calendar = engine.business_calendar(session)
    zone = calendar.to_local(now).tzinfo
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=zone)
    found = session.execute(
        select(Complaint, Case).join(Case, Case.id == Complaint.case_id)
        .where(Case.opened_at >= start, Case.opened_at < end).order_by(Case.opened_at, Case.id)
    ).all()
    columns = step_columns()
    result = []
    for number, (complaint, case) in enumerate(found, start=1):
        name = reporter(complaint).get("name")
        who = "(dirahasiakan)" if complaint.anonymous and not full else (
            (name if full else mask_name(name)) or "-")
        row: dict[str, Any] = {
            "No": number, "Kode": case.tracking_code,
            "Tanggal": calendar.to_local(case.opened_at).strftime("%Y-%m-%d %H:%M"),
            "Saluran": complaint.channel, "Jenis": complaint.category or "",
            "Pelapor": who, "Pokok pengaduan": (case.subject or "")[:200],
            "Status": STATUS_LABELS.get(case.status, case.status)}
        late = 0
        by_key = {s.step_key: s for s in case.steps}
        for key, title, standard in columns:
            row[title], was_late = _step_cell(by_key.get(key), standard, calendar, now)
            late += was_late
        row["Langkah terlambat"] = late
        result.append(row)
    titles = [*BASE_COLUMNS, *(title for _, title, _ in columns), "Langkah terlambat"]
    return titles, result


def render(session: Session, period: Period, fmt: str, full: bool) -> bytes:
    if fmt not in tables.FORMATS:
        raise ValidationFailed(f"Format harus salah satu dari: {', '.join(tables.FORMATS)}.",
                               field="format")
    columns, data = rows(session, period, full)
    title = f"Register Pengaduan — {period.label}"
    if fmt == "csv":
        return tables.write_csv(columns, data)
    if fmt == "xlsx":
        widths = [5, 11, 16, 11, 14, 18, 40, 11] + [16] * (len(columns) - 8)
        return tables.write_xlsx(title, "Register Pengaduan", columns, data, widths)
    office = engine.office()
    return tables.write_pdf("register_table.html", title=title, columns=columns, rows=data,
                            masked=not full, office_name=getattr(office, "name", "Kecamatan"),
                            office_address=getattr(office, "address", ""))


def book(ctx: WorkflowContext, period: Period,
         full: bool) -> tuple[list[str], list[dict[str, Any]]]:
    with ctx.db.read_session() as session:
        return rows(session, period, full)


def export(ctx: WorkflowContext, period: Period, fmt: str, full: bool) -> bytes:
    with ctx.db.read_session() as session:
        return render(session, period, fmt, full)
