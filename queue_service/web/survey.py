"""SKM: the visitor's survey for a served ticket; the IKM report (page, JSON, PDF, XLSX)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from queue_service import skm_report
from queue_service.usecases import survey
from queue_service.validation_survey import parse_period, parse_survey
from queue_service.web.common import ctx, json_body
from sop import roles

bp = Blueprint("queue_survey", __name__)

# Who reads the IKM: sop/data/roles.yaml's report readers (admin passes as a system role).
REPORT_READERS = roles.report_roles()


@bp.post("/tickets/<string:tracking_code>/survey")
def submit(tracking_code: str) -> tuple[Response, int]:
    """The visitor's SKM answers for their served ticket; once per ticket."""
    data = parse_survey(json_body())
    return jsonify(survey.submit(ctx(), tracking_code, data)), 201


def _report() -> dict[str, object]:
    first, last = parse_period(request.args.get("from"), request.args.get("to"))
    return survey.report(ctx(), first, last, request.args.get("service") or None)


@bp.get("/skm")
@require(*REPORT_READERS)
def report() -> Response:
    """IKM of a period (and a service): JSON, or the report page to ``Accept: text/html``."""
    data = _report()
    if _wants_html():
        return Response(skm_report.render_html(data), mimetype="text/html")
    return jsonify(data)


@bp.get("/skm/report.pdf")
@require(*REPORT_READERS)
def report_pdf() -> Response:
    """The IKM report as an A4 PDF."""
    return Response(skm_report.render_pdf(_report()), mimetype="application/pdf",
                    headers={"Content-Disposition": "inline; filename=laporan-ikm.pdf"})


@bp.get("/skm/report.xlsx")
@require(*REPORT_READERS)
def report_xlsx() -> Response:
    """The IKM report as an Excel workbook."""
    return Response(
        skm_report.render_xlsx(_report()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=laporan-ikm.xlsx"})


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > \
        request.accept_mimetypes["application/json"]
