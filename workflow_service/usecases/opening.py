"""Opening cases: by staff intake, or when the queue says a ticket is being served."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from loket import events
from loket.auth import Principal
from loket.errors import ValidationFailed
from workflow_service.models import Case, SopVersion, Step
from workflow_service.privacy import encrypt_applicant
from workflow_service.usecases import steps
from workflow_service.usecases.context import (
    UnitOfWork,
    WorkflowContext,
    business_calendar,
    catalog,
    unit_of_work,
)
from workflow_service.usecases.serializers import case_json
from workflow_service.validation import CHANNELS, Intake

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def pin_version(session: Any, sop: Any) -> SopVersion:
    """Store the SOP exactly as it is now, once; cases refer to it by content hash."""
    version = session.get(SopVersion, sop.content_hash)
    if version is not None:
        return version  # type: ignore[no-any-return]
    try:  # two first cases of a new version at once: one insert wins, the other reads it
        with session.begin_nested():
            version = SopVersion(content_hash=sop.content_hash, code=sop.code,
                                 version=sop.version, content=sop.to_json())
            session.add(version)
    except IntegrityError:
        version = session.get(SopVersion, sop.content_hash)
    return version  # type: ignore[no-any-return]


@dataclass
class Opened:
    case: Case
    created: bool


def open_case(uow: UnitOfWork, *, sop_code: str, channel: str, actor: str,
              actor_role: str | None = None, ticket_id: int | None = None,
              ticket_number: str | None = None, subject: str | None = None,
              applicant_enc: bytes | None = None, now: dt.datetime | None = None) -> Opened:
    """Open a case at its SOP's first step. A ticket opens at most one case."""
    now = now or dt.datetime.now(dt.UTC)
    if sop_code not in catalog():
        raise ValidationFailed(f"Layanan '{sop_code}' tidak dikenal.", field="sop",
                               code="unknown_sop")
    if channel not in CHANNELS:
        raise ValidationFailed(f"Saluran harus salah satu dari: {', '.join(CHANNELS)}.",
                               field="channel", code="invalid_channel")
    session = uow.session
    if ticket_id is not None:
        existing = case_of_ticket(session, ticket_id, sop_code)
        if existing is not None:
            return Opened(existing, False)
    version = pin_version(session, catalog().get(sop_code))
    case = Case(tracking_code=_tracking_code(), sop_code=sop_code, sop_hash=version.content_hash,
                channel=channel, ticket_id=ticket_id, ticket_number=ticket_number,
                subject=subject, applicant_enc=applicant_enc, opened_by=actor, opened_at=now,
                status="open")
    session.add(case)
    session.flush()
    for seq, raw in enumerate(version.content["steps"]):
        session.add(Step(case_id=case.id, seq=seq, step_key=str(raw["id"]),
                         role=steps.step_owner(raw), state="pending",
                         time_standard=raw.get("time_standard"),
                         clock=raw.get("clock") or "business", pauses=[], checked=[]))
    session.flush()
    session.refresh(case)
    steps.log(uow, case, None, actor, actor_role, "open", None, "open",
              note=f"saluran: {channel}", at=now)
    steps.record(uow, events.CASE_OPENED, case, channel=channel)
    steps.activate(uow, case, case.steps[0], now, business_calendar(session), actor)
    return Opened(case, True)


def case_of_ticket(session: Any, ticket_id: int, sop_code: str) -> Case | None:
    """The case a ticket opened for one SOP service (a transferred ticket may have several)."""
    return session.scalar(  # type: ignore[no-any-return]
        select(Case).where(Case.ticket_id == ticket_id, Case.sop_code == sop_code))


def ticket_of(message: dict[str, Any]) -> int | None:
    """The ticket whose service a queue event says has started, if that opens a case."""
    ticket = message.get("ticket") or {}
    service = ticket.get("service")
    if (message.get("type") != events.TICKET_SERVING or not isinstance(service, str)
            or service not in catalog() or not isinstance(ticket.get("id"), int)):
        return None
    return int(ticket["id"])


def open_case_for_ticket(uow: UnitOfWork, message: dict[str, Any],
                         applicant: dict[str, Any] | None = None) -> Opened | None:
    """React to a queue event: a ticket being served at a counter opens its case.

    ``applicant`` is the visitor the queue knows for the ticket (see
    :mod:`workflow_service.adapters.queue_tickets`); it is stored encrypted on the case.
    """
    ticket_id = ticket_of(message)
    if ticket_id is None:
        return None
    ticket = message["ticket"]
    at = steps.parse_instant(message.get("at")) or dt.datetime.now(dt.UTC)
    mark = uow.mark()
    try:
        with uow.session.begin_nested():
            return open_case(uow, sop_code=ticket["service"], channel="loket",
                             actor=steps.SYSTEM, ticket_id=ticket_id,
                             ticket_number=ticket.get("number"), now=at,
                             applicant_enc=encrypt_applicant(applicant) if applicant else None)
    except IntegrityError:  # another worker opened it a moment ago
        uow.discard(mark)
        case = case_of_ticket(uow.session, ticket_id, ticket["service"])
        return Opened(case, False) if case else None


def create_case(ctx: WorkflowContext, intake: Intake, actor: Principal) -> dict[str, Any]:
    """Staff intake: a case with no ticket (a complaint by phone, letter, WhatsApp, ...)."""
    applicant_enc = encrypt_applicant(intake.applicant) if intake.applicant else None
    with unit_of_work(ctx.db, ctx.redis) as uow:
        opened = open_case(uow, sop_code=intake.sop, channel=intake.channel,
                           actor=actor.username, actor_role=sorted(actor.roles)[0],
                           subject=intake.subject, applicant_enc=applicant_enc)
        return case_json(uow.session, opened.case, detail=True)
