"""Reports and the staffing forecast (admin, Camat, Sekcam)."""

from __future__ import annotations

import math

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from queue_service.domain import forecast
from queue_service.domain.errors import InvalidInput
from queue_service.usecases import monthly, reports
from queue_service.web.common import ctx, json_body, principal

bp = Blueprint("queue_reports", __name__)


def _number(name: str, default: float | None = None, *, integer: bool = False) -> float:
    raw = request.args.get(name)
    if raw is None or raw == "":
        if default is None:
            raise InvalidInput(f"Parameter '{name}' wajib diisi.", field=name, code="required")
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise InvalidInput(f"Parameter '{name}' harus berupa angka.", field=name,
                           code="not_a_number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"Parameter '{name}' harus berupa angka.", field=name,
                           code="not_a_number")
    return value


def _forecast_error(exc: forecast.ForecastInputError) -> InvalidInput:
    return InvalidInput(exc.message, field=exc.field, code="invalid_forecast_input")


@bp.get("/reports/summary")
@require(*reports.REPORT_ROLES)
def summary() -> Response:
    """Issued, served, no-shows, waiting and service minutes of a period, grouped."""
    first, last = reports.parse_period(ctx(), request.args.get("from"), request.args.get("to"))
    return jsonify(reports.summary(ctx(), first, last))


@bp.get("/reports/tickets")
@require(*reports.REPORT_ROLES)
def tickets() -> Response:
    """One row per ticket (no NIK, no name) as JSON, CSV or XLSX."""
    first, last = reports.parse_period(ctx(), request.args.get("from"), request.args.get("to"))
    body, mimetype, filename = reports.export_tickets(ctx(), first, last,
                                                      request.args.get("format") or "json")
    if mimetype == "application/json":
        return jsonify(body)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/forecast")
@require(*reports.REPORT_ROLES)
def forecast_hour() -> Response:
    """Counters needed for one hour by Erlang C (the smallest number reaching the target)."""
    try:
        result = forecast.counters_needed(
            _number("arrivals_per_hour"), _number("service_minutes"),
            _number("target_wait_minutes", 15.0), _number("target_share", 0.8))
    except forecast.ForecastInputError as exc:
        raise _forecast_error(exc) from None
    return jsonify(result.as_json())


@bp.get("/forecast/table")
@require(*reports.REPORT_ROLES)
def forecast_table() -> Response:
    """Counters needed per weekday and hour from the last weeks' arrivals and service times."""
    weeks = int(_number("weeks", 8, integer=True))
    if not 1 <= weeks <= 52:
        raise InvalidInput("Parameter 'weeks' harus antara 1 dan 52.", field="weeks",
                           code="invalid_weeks")
    planned_raw = request.args.get("planned")
    planned = int(_number("planned", integer=True)) if planned_raw else None
    if planned is not None and not 0 <= planned <= forecast.MAX_COUNTERS:
        raise InvalidInput("Parameter 'planned' harus antara 0 dan 200.", field="planned",
                           code="invalid_planned")
    try:
        table = reports.forecast_table(
            ctx(), weeks=weeks, target_wait_minutes=_number("target_wait_minutes", 15.0),
            target_share=_number("target_share", 0.8), planned=planned,
            service=request.args.get("service") or None)
    except forecast.ForecastInputError as exc:
        raise _forecast_error(exc) from None
    return jsonify(table)


@bp.get("/reports/chart")
@require(*reports.REPORT_ROLES)
def chart() -> Response:
    """Tickets issued per hour of day or per day, as a server-drawn SVG bar chart."""
    first, last = reports.parse_period(ctx(), request.args.get("from"), request.args.get("to"))
    svg = reports.chart(ctx(), first, last, request.args.get("kind") or "hour")
    return Response(svg, mimetype="image/svg+xml")


def _send(task: str, args: list[str]) -> None:
    from loket.celery_app import producer

    producer().send_task(task, args=args, retry=False)


@bp.post("/reports/monthly")
@require(*reports.REPORT_ROLES)
def monthly_request() -> tuple[Response, int]:
    """Ask for the laporan bulanan (``{"month": "YYYY-MM"}``); a worker makes the PDF."""
    body = json_body()
    month = monthly.parse_month(body.get("month") if isinstance(body, dict) else None)
    job = monthly.request_report(ctx().redis, month, principal().username, _send)
    return jsonify(job), 202


@bp.get("/reports/monthly/<string:job_id>")
@require(*reports.REPORT_ROLES)
def monthly_status(job_id: str) -> Response:
    """Where the laporan bulanan is: queued, running (with progress), done or failed."""
    return jsonify(monthly.status(ctx().redis, job_id))


@bp.get("/reports/monthly/<string:job_id>/pdf")
@require(*reports.REPORT_ROLES)
def monthly_pdf(job_id: str) -> Response:
    """The finished laporan bulanan as a PDF."""
    body, filename = monthly.pdf(ctx().redis, job_id)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
