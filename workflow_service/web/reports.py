"""SOP compliance reports (admin, Camat, Sekcam): per SOP and step, as JSON, CSV or XLSX."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, request

from loket import tabular
from loket.auth import require
from loket.errors import ValidationFailed
from workflow_service.usecases import reports
from workflow_service.web.common import ctx

bp = Blueprint("reports", __name__)

COLUMNS = ("sop", "step", "activity", "time_standard", "cases", "finished", "on_time", "late",
           "on_time_share", "escalations", "paused_minutes")
HEADERS = ("SOP", "Langkah", "Kegiatan", "Waktu standar", "Kasus", "Selesai", "Tepat waktu",
           "Terlambat", "Persentase tepat waktu", "Eskalasi", "Dikembalikan (menit)")


@bp.get("/reports/compliance")
@require(*reports.REPORT_ROLES)
def compliance() -> Response:
    """Per SOP and step: cases, on time, late, on-time share against the mutu baku."""
    first, last = reports.parse_period(request.args.get("from"), request.args.get("to"),
                                       dt.datetime.now(dt.UTC))
    fmt = request.args.get("format") or "json"
    if fmt not in ("json", "csv", "xlsx"):
        raise ValidationFailed("Format harus salah satu dari: json, csv, xlsx.", field="format")
    data = reports.compliance_of(ctx(), first, last)
    if fmt == "json":
        return jsonify(data)
    rows = [[step[c] for c in COLUMNS] for step in data["steps"]]
    name = f"kepatuhan-sop-{first.isoformat()}-{last.isoformat()}"
    if fmt == "csv":
        body, mimetype, name = tabular.to_csv(HEADERS, rows), tabular.CSV_MIMETYPE, name + ".csv"
    else:
        body = tabular.to_xlsx("Kepatuhan SOP", HEADERS, rows)
        mimetype, name = tabular.XLSX_MIMETYPE, name + ".xlsx"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/reports/live")
@require(*reports.REPORT_ROLES)
def live() -> Response:
    """Right now per SOP: open cases, past their step's due time, finished today."""
    return jsonify(reports.live_now(ctx()))
