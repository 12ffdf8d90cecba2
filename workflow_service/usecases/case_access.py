"""Personal data by need in the workflow (issue #17): who reads a case's applicant in full,
and who may download the documents of a case.

- The applicant's full NIK and phone number go only to whoever holds the case's current step:
  one of the step's roles (its own, an outside actor's the petugas records, a delegate's), not
  kept off it by its section (:mod:`desks`), and the assignee when the step has one. Each such
  read is written to the shared access log (:mod:`loket.access_log`).
- A document (letters carry the full NIK) is downloaded only by staff of its case: whoever
  holds or held one of its steps (the case log, an assignment), issued the document, or
  supervises the SOPs (Camat, Sekcam) or administers the office (admin).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from loket import access_log
from loket.auth import Principal
from loket.errors import Forbidden
from workflow_service.models import Case, CaseLog, Document, Step
from workflow_service.privacy import applicant_for_letters, mask_contact
from workflow_service.usecases import desks, steps
from workflow_service.usecases.context import WorkflowContext
from workflow_service.usecases.serializers import case_json

SUPERVISORS = frozenset({"camat", "sekcam", "admin"})
FIELDS = ("nik", "phone", "contact")
SERVICE = "workflow"


def held_step(session: Any, actor: Principal, case: Case) -> Step | None:
    """The case's current step when ``actor`` holds it, else None."""
    step = steps.current_step(case)
    if case.status != "open" or step is None or not actor.is_staff:
        return None
    if step.assignee and step.assignee != actor.username:
        return None
    roles = next((d.roles for d in steps.definitions(steps.content_of(session, case))
                  if d.id == step.step_key), frozenset({step.role}))
    if not (actor.roles - {"admin"}) & roles:
        return None
    return step if desks.bound_by_section(actor, step, case.sop_code) is None else None


def show_case(ctx: WorkflowContext, case_id: int, actor: Principal,
              reveal: bool = False) -> dict[str, Any]:
    """One case with every step and its log. The applicant is masked (the case JSON's contract,
    issue #16); asked with ``reveal``, the holder of the current step gets it in full, logged,
    and anyone else is refused (issue #17: by need, on purpose, never by default)."""
    with ctx.db.read_session() as session:
        case = steps.get_case(session, case_id)
        data = case_json(session, case, detail=True)
        step = held_step(session, actor, case) if reveal and data.get("applicant") else None
        if reveal and step is None:
            raise Forbidden("Data pribadi pemohon lengkap hanya untuk petugas yang memegang "
                            "langkah kasus ini saat ini.", field="reveal", code="not_step_holder")
        if step is not None:
            full = applicant_for_letters(case.applicant_enc)
            data["applicant"] = {**data["applicant"], "nik": full.get("nik"),
                                 "phone": full.get("phone"), "contact": full.get("contact")}
    if step is not None:
        _log(ctx, actor, case_id, step, FIELDS)
    return data


def _log(ctx: WorkflowContext, actor: Principal, case_id: int, step: Step,
         fields: tuple[str, ...]) -> None:
    access_log.record_now(ctx.db, access_log.Reader(actor.username, actor.id), SERVICE,
                          "case", case_id, fields,
                          f"memegang langkah {step.step_key} kasus {case_id}")


def reporter_by_need(ctx: WorkflowContext, case_id: int, actor: Principal,
                     shown: dict[str, Any]) -> dict[str, Any]:
    """A complaint's reporter as ``complaints.shown`` gives it: the contact (e-mail or phone)
    in full only to the holder of the case's current step (logged), masked for others."""
    reporter = shown.get("reporter")
    if not reporter or not reporter.get("contact"):
        return shown
    with ctx.db.read_session() as session:
        step = held_step(session, actor, steps.get_case(session, case_id))
    if step is None:
        return {**shown, "reporter": {**reporter, "contact": mask_contact(reporter["contact"])}}
    _log(ctx, actor, case_id, step, ("contact",))
    return shown


def is_case_staff(session: Any, actor: Principal, case: Case) -> bool:
    """Does ``actor`` work on ``case`` (or supervise every case)?"""
    if not actor.is_staff:
        return False
    if actor.roles & SUPERVISORS or held_step(session, actor, case) is not None:
        return True
    name = actor.username
    return bool(session.scalar(select(
        exists().where(Step.case_id == case.id, Step.assignee == name)
        | exists().where(CaseLog.case_id == case.id, CaseLog.actor == name)
        | exists().where(Document.case_id == case.id, Document.created_by == name))))


def check_document_download(ctx: WorkflowContext, document_id: int, actor: Principal) -> None:
    """Forbidden unless ``actor`` is staff of the document's case (a missing document is left
    to the download itself: 404)."""
    with ctx.db.read_session() as session:
        case_id = session.scalar(select(Document.case_id).where(Document.id == document_id))
        if case_id is None:
            return
        case = steps.get_case(session, case_id)
        if not is_case_staff(session, actor, case):
            raise Forbidden("Dokumen ini memuat data pribadi; hanya petugas yang menangani "
                            "kasusnya yang dapat mengunduhnya.", field="document_id",
                            code="not_case_staff")
