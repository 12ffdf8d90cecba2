"""The documents of a case: issue one (PDF, numbered from the register), list, download."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from loket.errors import NotFound
from loket.nik import mask_nik
from workflow_service import documents as pdf
from workflow_service.models import Case, CaseLog, Document
from workflow_service.privacy import applicant_for_letters
from workflow_service.usecases import document_render, document_rules, routing
from workflow_service.usecases.context import WorkflowContext, catalog, office
from workflow_service.usecases.queries import expected_completion
from workflow_service.usecases.steps import content_of, get_case
from workflow_service.validation import DocumentRequest


def document_json(doc: Document, script_root: str) -> dict[str, object]:
    return {"id": doc.id, "case_id": doc.case_id, "kind": doc.kind, "number": doc.number,
            "version": doc.version, "replaces_id": doc.replaces_id, "reason": doc.reason,
            "created_at": doc.created_at.isoformat(), "created_by": doc.created_by,
            "url": f"{script_root}/documents/{doc.id}.pdf"}


def list_documents(ctx: WorkflowContext, case_id: int, script_root: str) -> dict[str, Any]:
    with ctx.db.read_session() as session:
        get_case(session, case_id)
        return {"documents": [document_json(d, script_root)
                              for d in pdf.documents_of(session, case_id)]}


def _signer(session: Any, case: Case, approver: Any) -> dict[str, Any]:
    """Who signed: the Camat, or a delegate (the Sekcam) who completed a "Camat/Sekcam" step."""
    content = content_of(session, case)
    shared = {str(s["id"]) for s in content.get("steps", []) if s.get("delegates")}
    signed = session.scalars(
        select(CaseLog).where(CaseLog.case_id == case.id, CaseLog.action == "complete",
                              CaseLog.step_key.in_(shared)).order_by(CaseLog.id.desc())).first()
    official = (getattr(office(), "officials", {}) or {}).get(signed.actor_role) if signed else None
    if official is not None:
        return {"on_behalf": True, "role": signed.actor_role, "position": official.position,
                "name": official.name, "rank": official.rank, "nip": official.nip}
    return {"on_behalf": False, "role": "camat", "position": approver.position,
            "name": approver.name, "rank": approver.rank, "nip": approver.nip}


def _letter_context(session: Any, case: Case, actor: Principal, request: DocumentRequest,
                    base_url: str) -> dict[str, Any]:
    """What the letter templates print: the SOP, the applicant (NIK masked), the signer."""
    sop = catalog().get(case.sop_code)
    applicant = applicant_for_letters(case.applicant_enc)
    expected = expected_completion(session, case)
    approver = sop.approved_by
    return {
        "sop_name": sop.name, "applicant": applicant,
        "nik_masked": mask_nik(applicant.get("nik")),
        "steps": [{"activity": " ".join(s.activity_lines),
                   "time_standard_text": s.time_standard_text} for s in sop.steps],
        "expected": pdf.tanggal(expected) if expected else None,
        "officer": actor.username,
        "office_address": getattr(office(), "address", "") or "",
        "camat_name": approver.name, "camat_rank": approver.rank, "camat_nip": approver.nip,
        "signer": _signer(session, case, approver),
        "track_url": f"{base_url}/api/workflow/t/{case.tracking_code}",
        "classification": request.classification, "forward_to": request.forward_to,
        "instruction": request.instruction,
        "disposition": routing.latest_disposition(session, case),
    }


def issue_document(ctx: WorkflowContext, case_id: int, kind: str, actor: Principal,
                   request: DocumentRequest, script_root: str,
                   reissue_reason: str | None = None) -> dict[str, Any]:
    """Generate the PDF with the letterhead and the next register number; with a reason, a
    re-issue under the same number. Who and when: document_rules (refused: no number)."""
    with ctx.db.session() as session:
        case = get_case(session, case_id, lock=True)
        pdf.check_kind(case, kind)
        replaces = document_rules.check_may_issue(session, case, kind, actor,
                                                  reissue=reissue_reason is not None)
        context = _letter_context(session, case, actor, request, ctx.settings.base_url)
        doc = pdf.issue(session, case, kind, actor=actor.username, context=context,
                        replaces=replaces, reason=reissue_reason)
        document_rules.record_issue(session, case, doc, actor)
        issued = document_json(doc, script_root)
    document_render.render_after_issue(ctx.db, doc.id)  # after the commit: no write lock
    return issued


def download(ctx: WorkflowContext, document_id: int) -> tuple[bytes, str]:
    """The stored PDF and its file name."""
    with ctx.db.read_session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound("Dokumen tidak ditemukan.", field="id")
    body = doc.pdf if doc.pdf is not None else document_render.render_stored(ctx.db, doc.id)
    return body, f"{doc.kind}-{doc.id}.pdf"
