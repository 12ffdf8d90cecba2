"""Retention of the workflow's personal data (issue #17, ``LOKET_RETENTION_DAYS``).

Past the retention period (counted from the case's closing, the guest's check-out):

- a closed case (done, rejected, cancelled) loses its applicant (name, NIK, phone, contact,
  the kiosk's answers), its subject and the free text of its steps and log (output, reason,
  notes); its complaint loses the reporter's name and contact, the attachments and the text
  of the answer sent back;
- a guest who checked out loses name, institution/address, identity-card number and purpose.

Every row stays with its SOP, states, decisions, timestamps and counts, so the reports, the
on-time shares and the registers keep their figures. Documents (the numbered letters) are the
office's archive and are kept as issued; only staff of their case may download them. Idempotent:
a second run finds nothing to clear.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from workflow_service.models import Case, CaseLog, Step
from workflow_service.models_complaints import Complaint, ComplaintAttachment, ComplaintReply
from workflow_service.models_guests import Guest
from workflow_service.usecases.context import WorkflowContext

BATCH = 500
CLOSED = ("done", "rejected", "cancelled")


def _in_batches(session: Session, ids: list[int], statement: Any, column: Any) -> None:
    for i in range(0, len(ids), BATCH):
        session.execute(statement.where(column.in_(ids[i:i + BATCH]))
                        .execution_options(synchronize_session=False))


def _ids(session: Session, column: Any, *conditions: ColumnElement[bool]) -> list[int]:
    return list(session.scalars(select(column).where(*conditions).order_by(column)))


def _old_cases(cutoff: dt.datetime) -> ColumnElement[bool]:
    return Case.id.in_(select(Case.id).where(Case.status.in_(CLOSED), Case.closed_at < cutoff))


def _clear_cases(session: Session, cutoff: dt.datetime, dry_run: bool) -> dict[str, int]:
    old = _old_cases(cutoff)
    cases = _ids(session, Case.id, old, or_(Case.applicant_enc.is_not(None),
                                            Case.subject.is_not(None)))
    steps = _ids(session, Step.id, Step.case_id.in_(select(Case.id).where(old)),
                 or_(Step.output.is_not(None), Step.reason.is_not(None)))
    notes = _ids(session, CaseLog.id, CaseLog.case_id.in_(select(Case.id).where(old)),
                 CaseLog.note.is_not(None))
    complaint_of_old = Complaint.case_id.in_(select(Case.id).where(old))
    reporters = _ids(session, Complaint.id, complaint_of_old, Complaint.reporter_enc.is_not(None))
    attachments = _ids(session, ComplaintAttachment.id, ComplaintAttachment.complaint_id.in_(
        select(Complaint.id).where(complaint_of_old)))
    replies = _ids(session, ComplaintReply.id, ComplaintReply.complaint_id.in_(
        select(Complaint.id).where(complaint_of_old)), ComplaintReply.body != "")
    if not dry_run:
        _in_batches(session, cases, update(Case).values(applicant_enc=None, subject=None),
                    Case.id)
        _in_batches(session, steps, update(Step).values(output=None, reason=None), Step.id)
        _in_batches(session, notes, update(CaseLog).values(note=None), CaseLog.id)
        _in_batches(session, reporters, update(Complaint).values(reporter_enc=None),
                    Complaint.id)
        _in_batches(session, attachments, delete(ComplaintAttachment), ComplaintAttachment.id)
        _in_batches(session, replies, update(ComplaintReply).values(body=""),
                    ComplaintReply.id)
    return {"cases": len(cases), "steps": len(steps), "log_notes": len(notes),
            "complaint_reporters": len(reporters), "complaint_attachments": len(attachments),
            "complaint_replies": len(replies)}


def _clear_guests(session: Session, cutoff: dt.datetime, dry_run: bool) -> dict[str, int]:
    guests = _ids(session, Guest.id, Guest.left_at.is_not(None), Guest.left_at < cutoff,
                  or_(func.length(Guest.name_enc) > 0, Guest.institution_enc.is_not(None),
                      Guest.id_card_enc.is_not(None), Guest.id_card_masked.is_not(None),
                      Guest.purpose != ""))
    if not dry_run:
        _in_batches(session, guests, update(Guest).values(
            name_enc=b"", institution_enc=None, id_card_enc=None, id_card_masked=None,
            purpose=""), Guest.id)
    return {"guests": len(guests)}


def run(ctx: WorkflowContext, days: int, dry_run: bool = False,
        now: dt.datetime | None = None) -> dict[str, int]:
    """Remove the personal data past the retention period; what was (would be) cleared."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    with ctx.db.session() as session:
        return {**_clear_cases(session, cutoff, dry_run),
                **_clear_guests(session, cutoff, dry_run)}
