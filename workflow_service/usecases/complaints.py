"""Complaint intake from every channel: each complaint is an ordinary pengaduan case plus the
reporter's channel and contact (encrypted), so that the answer can go back the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.auth import Principal
from loket.crypto import cipher
from loket.errors import Conflict, NotFound
from workflow_service.domain.complaints import ComplaintInput, Contact, reply_channel
from workflow_service.domain.permissions import ADMIN, PETUGAS
from workflow_service.models import Case
from workflow_service.models_complaints import Complaint, ComplaintAttachment
from workflow_service.privacy import encrypt_applicant
from workflow_service.usecases import reception_engine as engine
from workflow_service.usecases.context import WorkflowContext, unit_of_work

SOP = "pengaduan"
REPORTER = "pelapor"  # the actor of a self-service complaint (the public page, the webhook)


def categories() -> tuple[str, ...]:
    """The office's complaint topics, as the kiosk offers them (``sop/office/*.yaml``)."""
    config = getattr(engine.office(), "services", {}).get(SOP)
    questions = getattr(config, "questions", []) if config else []
    for question in questions:
        if question.key == "category":
            return tuple(choice.value for choice in question.choices)
    return ()


@dataclass
class Intake:
    complaint: Complaint
    case: Case
    created: bool
    event_ids: list[int]


def _reporter_token(item: ComplaintInput) -> bytes | None:
    if item.contact is None and item.name is None:
        return None
    return cipher().encrypt_json({"name": item.name, "contact_kind": getattr(
        item.contact, "kind", None), "contact": getattr(item.contact, "value", None)})


def reporter(complaint: Complaint) -> dict[str, Any]:
    return (cipher().decrypt_json(complaint.reporter_enc) or {}) if complaint.reporter_enc \
        else {}


def submit(session: Session, item: ComplaintInput, *, channel: str, actor: str = REPORTER,
           actor_role: str | None = None, message_id: str | None = None,
           lapor_reference: str | None = None, ticket: tuple[int, str | None] | None = None,
           now: dt.datetime | None = None) -> Intake:
    """Open the pengaduan case and record the complaint beside it.

    The reporter's name and contact go on the case (for staff) unless the reporter chose to
    stay anonymous to the sections; the complaint keeps them, encrypted, for the answer.
    """
    now = now or dt.datetime.now(dt.UTC)
    applicant = None
    if not item.anonymous and (item.name or item.contact):
        applicant = encrypt_applicant({"name": item.name,
                                       "contact": item.contact.value if item.contact else None})
    opened = engine.open_case(
        session, sop_code=SOP, channel=channel, actor=actor, actor_role=actor_role,
        ticket_id=ticket[0] if ticket else None, ticket_number=ticket[1] if ticket else None,
        subject=item.text, applicant_enc=applicant, now=now)
    case = opened.case
    if not opened.created:  # the counter's case of a kiosk ticket: its text arrives now
        if session.scalar(select(Complaint.id).where(Complaint.case_id == case.id)):
            raise Conflict("Pengaduan untuk tiket ini sudah dicatat.", field="ticket",
                           code="already_recorded")
        case.subject = item.text
        if applicant is not None and case.applicant_enc is None:
            case.applicant_enc = applicant
    complaint = Complaint(case_id=case.id, channel=channel, reporter_enc=_reporter_token(item),
                          anonymous=item.anonymous, category=item.category,
                          reply_channel=reply_channel(item.contact, channel),
                          message_id=message_id, lapor_reference=lapor_reference,
                          created_at=now)
    session.add(complaint)
    session.flush()
    for attachment in item.attachments:
        session.add(ComplaintAttachment(complaint_id=complaint.id, filename=attachment.filename,
                                        media_type=attachment.media_type,
                                        size=len(attachment.data), data=attachment.data))
    session.flush()
    return Intake(complaint, case, True, list(opened.event_ids))


def submit_inbound(session: Session, item: ComplaintInput, *, channel: str,
                   message_id: str) -> Intake:
    """The inbound webhook: the same ``message_id`` twice gives the same complaint."""
    existing = _by_message(session, channel, message_id)
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            return submit(session, item, channel=channel, message_id=message_id)
    except IntegrityError:  # the gateway retried while the first delivery was being stored
        again = _by_message(session, channel, message_id)
        assert again is not None
        return again


def _by_message(session: Session, channel: str, message_id: str) -> Intake | None:
    complaint = session.scalar(select(Complaint).where(Complaint.channel == channel,
                                                       Complaint.message_id == message_id))
    if complaint is None:
        return None
    case = session.get(Case, complaint.case_id)
    assert case is not None
    return Intake(complaint, case, False, [])


def inbound_input(channel: str, sender: Any, text: str) -> tuple[Contact, str]:
    """Who sent the message, as a contact to answer."""
    from workflow_service.domain.complaints import parse_email, parse_phone

    if channel == "email":
        return Contact("email", parse_email(sender, "from")), text
    return Contact("phone", parse_phone(sender, "from")), text


def complaint_json(session: Session, intake: Intake) -> dict[str, Any]:
    complaint, case = intake.complaint, intake.case
    attachments = session.scalars(select(ComplaintAttachment).where(
        ComplaintAttachment.complaint_id == complaint.id).order_by(ComplaintAttachment.id))
    return {
        "id": complaint.id, "tracking_code": case.tracking_code, "case_id": case.id,
        "channel": complaint.channel, "category": complaint.category,
        "anonymous": complaint.anonymous, "reply_channel": complaint.reply_channel,
        "status": case.status,
        "attachments": [{"filename": a.filename, "media_type": a.media_type, "size": a.size}
                        for a in attachments],
    }


def for_case(session: Session, case_id: int) -> Intake:
    complaint = session.scalar(select(Complaint).where(Complaint.case_id == case_id))
    case = session.get(Case, case_id)
    if complaint is None or case is None:
        raise NotFound(f"Kasus {case_id} bukan pengaduan yang tercatat.", field="case_id")
    return Intake(complaint, case, False, [])


# -- one call per request: a unit of work (commit, then publish) or a read session ---------------

def take(ctx: WorkflowContext, item: ComplaintInput, *, channel: str,
         actor: Principal | None = None, lapor_reference: str | None = None,
         ticket: tuple[int, str | None] | None = None) -> dict[str, Any]:
    """A complaint from the public form (no actor) or typed in by staff; published once
    committed."""
    by, role = (REPORTER, None) if actor is None else (actor.username, sorted(actor.roles)[0])
    with unit_of_work(ctx.db, ctx.redis) as uow:
        intake = submit(uow.session, item, channel=channel, actor=by, actor_role=role,
                        lapor_reference=lapor_reference, ticket=ticket)
        uow.adopt(intake.event_ids)
        return complaint_json(uow.session, intake)


def take_inbound(ctx: WorkflowContext, item: ComplaintInput, *, channel: str,
                 message_id: str) -> tuple[dict[str, Any], bool]:
    """A gateway's message; ``False`` when the same message was already taken."""
    with unit_of_work(ctx.db, ctx.redis) as uow:
        intake = submit_inbound(uow.session, item, channel=channel, message_id=message_id)
        uow.adopt(intake.event_ids)
        return complaint_json(uow.session, intake), intake.created


def shown(ctx: WorkflowContext, case_id: int,
          actor: Principal) -> tuple[dict[str, Any], dict[str, Any]]:
    """The complaint of a case, and its reporter (hidden when anonymous, but from the petugas)."""
    with ctx.db.read_session() as session:
        intake = for_case(session, case_id)
        hidden = intake.complaint.anonymous and not actor.has_any(PETUGAS, ADMIN)
        return complaint_json(session, intake), {
            "reporter": None if hidden else reporter(intake.complaint),
            "lapor_reference": intake.complaint.lapor_reference}


def attachment_file(ctx: WorkflowContext, case_id: int,
                    attachment_id: int) -> tuple[bytes, str, str]:
    """One attachment of a case's complaint: content, media type, file name."""
    with ctx.db.read_session() as session:
        intake = for_case(session, case_id)
        item = session.get(ComplaintAttachment, attachment_id)
        if item is None or item.complaint_id != intake.complaint.id:
            raise NotFound("Lampiran tidak ditemukan.", field="attachment_id")
        return item.data, item.media_type, item.filename
