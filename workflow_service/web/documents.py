"""Documents of a case: issue (PDF, numbered from the register), list, download."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.app_support import get_app_settings, get_db
from loket.auth import current_principal, require
from loket.errors import NotFound
from loket.nik import mask_nik
from workflow_service import documents, services
from workflow_service.api.cases import json_body
from workflow_service.models import Document
from workflow_service.privacy import applicant_for_letters

bp = Blueprint("documents", __name__)

STAFF = ("petugas", "operator", "kasi", "sekcam", "camat")


def _doc_json(doc: Document) -> dict[str, object]:
    return {"id": doc.id, "case_id": doc.case_id, "kind": doc.kind, "number": doc.number,
            "created_at": doc.created_at.isoformat(), "created_by": doc.created_by,
            "url": f"{request.script_root}/documents/{doc.id}.pdf"}


@bp.get("/cases/<int:case_id>/documents")
@require(*STAFF)
def list_documents(case_id: int) -> Response:
    with get_db().session() as session:
        services.get_case(session, case_id)
        return jsonify({"documents": [_doc_json(d) for d in documents.documents_of(session,
                                                                                   case_id)]})


@bp.post("/cases/<int:case_id>/documents/<kind>")
@require(*STAFF)
def issue_document(case_id: int, kind: str) -> tuple[Response, int]:
    """Generate the PDF with the letterhead and the next register number."""
    data = json_body()
    principal = current_principal()
    assert principal is not None
    settings = get_app_settings()
    with get_db().session() as session:
        case = services.get_case(session, case_id, lock=True)
        sop = services.catalog().get(case.sop_code)
        office = services.office()
        applicant = applicant_for_letters(case.applicant_enc)
        expected = services.expected_completion(session, case)
        approver = sop.approved_by
        context = {
            "sop_name": sop.name, "applicant": applicant,
            "nik_masked": mask_nik(applicant.get("nik")),
            "steps": [{"activity": " ".join(s.activity_lines),
                       "time_standard_text": s.time_standard_text} for s in sop.steps],
            "expected": documents.tanggal(expected) if expected else None,
            "officer": principal.username,
            "office_address": getattr(office, "address", "") or "",
            "camat_name": approver.name, "camat_rank": approver.rank,
            "camat_nip": approver.nip,
            "track_url": f"{settings.base_url}/api/workflow/t/{case.tracking_code}",
            "classification": data.get("classification"),
            "forward_to": data.get("forward_to"), "instruction": data.get("instruction"),
        }
        doc = documents.issue(session, case, kind, actor=principal.username, context=context)
        return jsonify(_doc_json(doc)), 201


@bp.get("/documents/<int:document_id>.pdf")
@require(*STAFF)
def download(document_id: int) -> Response:
    with get_db().session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound("Dokumen tidak ditemukan.", field="id")
        return Response(doc.pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{doc.kind}-{doc.id}.pdf"'})
