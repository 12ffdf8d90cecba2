"""Documents of a case over HTTP: issue (PDF), list, download."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from workflow_service import validation
from workflow_service.usecases import case_access, documents
from workflow_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("documents", __name__)


@bp.get("/cases/<int:case_id>/documents")
@require(*STAFF)
def list_documents(case_id: int) -> Response:
    """The documents issued for a case, oldest first."""
    return jsonify(documents.list_documents(ctx(), case_id, request.script_root))


@bp.post("/cases/<int:case_id>/documents/<kind>")
@require(*STAFF)
def issue_document(case_id: int, kind: str) -> tuple[Response, int]:
    """Generate the PDF with the letterhead and the next register number."""
    data = validation.parse_document(json_body())
    return jsonify(documents.issue_document(ctx(), case_id, kind, principal(), data,
                                            request.script_root)), 201


@bp.get("/documents/<int:document_id>.pdf")
@require(*STAFF)
def download(document_id: int) -> Response:
    """The PDF itself (staff of its case only: it carries personal data)."""
    case_access.check_document_download(ctx(), document_id, principal())
    body, filename = documents.download(ctx(), document_id)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
