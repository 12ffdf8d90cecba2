"""Re-issuing a document of a case over HTTP (#17): same number, next version, a reason."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from workflow_service.usecases import documents
from workflow_service.validation_documents import parse_reissue
from workflow_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("document_reissue", __name__)


@bp.post("/cases/<int:case_id>/documents/<kind>/reissue")
@require(*STAFF)
def reissue_document(case_id: int, kind: str) -> tuple[Response, int]:
    """Print a document again under its number; who, when and why are recorded."""
    data, reason = parse_reissue(json_body())
    return jsonify(documents.issue_document(ctx(), case_id, kind, principal(), data,
                                            request.script_root, reissue_reason=reason)), 201
