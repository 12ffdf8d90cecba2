"""Workflow tables: cases, their steps, the append-only case log, escalations, notifications.

The workflow service never reads the queue's tables: a case learns of its ticket from events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.db import Base, utcnow


class SopVersion(Base):
    """An SOP exactly as a case started with it. Rows are inserted once and never updated."""

    __tablename__ = "wf_sop_version"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Case(Base):
    __tablename__ = "wf_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    sop_code: Mapped[str] = mapped_column(String(40), index=True)
    sop_hash: Mapped[str] = mapped_column(ForeignKey("wf_sop_version.content_hash"))
    channel: Mapped[str] = mapped_column(String(20))  # loket, telepon, surat, whatsapp, ...
    # A ticket opens one case per SOP service it is served for (a transfer KK -> e-KTP served
    # again opens the e-KTP case); the pair is unique, so a replayed event opens nothing.
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ticket_number: Mapped[str | None] = mapped_column(String(8), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Applicant identity for letters, encrypted with the data key; never in events or logs.
    applicant_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    opened_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    current_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("wf_step.id", use_alter=True, name="fk_wf_case_current_step"), nullable=True)

    steps: Mapped[list[Step]] = relationship(
        back_populates="case", order_by="Step.seq", foreign_keys="Step.case_id")

    __table_args__ = (UniqueConstraint("ticket_id", "sop_code", name="uq_wf_case_ticket_sop"),)


class Step(Base):
    __tablename__ = "wf_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    assignee: Mapped[str | None] = mapped_column(String(60), nullable=True)
    time_standard: Mapped[str | None] = mapped_column(String(16), nullable=True)
    clock: Mapped[str] = mapped_column(String(10), default="business")
    activated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)
    due_at: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)
    # [[start_iso, end_iso_or_null], ...] while the file was back with the applicant.
    pauses: Mapped[list[list[str | None]]] = mapped_column(JSON, default=list)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    output: Mapped[str | None] = mapped_column(Text, nullable=True)
    checked: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # The section whose Kasi holds the step when routed per case (a complaint's classification
    # or disposisi); None: the office file's step_sections decide.
    section: Mapped[str | None] = mapped_column(String(40), nullable=True)

    case: Mapped[Case] = relationship(back_populates="steps", foreign_keys=[case_id])

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_wf_step_case_seq"),)


class CaseLog(Base):
    """Append-only audit: who, in which role, did what, from which state to which, when."""

    __tablename__ = "wf_case_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("wf_step.id"), nullable=True)
    step_key: Mapped[str | None] = mapped_column(String(16), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))
    actor_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Escalation(Base):
    """One rung of the ladder for one step. ``fired_at`` set once: that is the idempotency."""

    __tablename__ = "wf_escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("wf_step.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    target_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    fired_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        UniqueConstraint("step_id", "level", name="uq_wf_escalation_step_level"),
        Index("ix_wf_escalation_pending", "fired_at", "due_at"),
    )


class OutboxRow:
    """The columns every workflow outbox shares (notifications, complaint answers, ready
    notices): what ``outbox_delivery.deliver_due`` leases, retries and parks."""

    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class Notification(OutboxRow, Base):
    """Outbox of notifications; retried, then parked as an incident an admin can retry."""

    __tablename__ = "wf_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("wf_escalation.id"),
                                                      nullable=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | webhook
    recipient_role: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("escalation_id", "channel", "recipient_role",
                         name="uq_wf_notification_once"),
    )


class CalendarOverride(Base):
    """A local closed day (e.g. a regency holiday) or an extra open day."""

    __tablename__ = "wf_calendar_override"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # closed | open
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str | None] = mapped_column(String(60), nullable=True)


class DocumentRegister(Base):
    """Per kind and year, the last number given out (the SOPs' "registrasi produk")."""

    __tablename__ = "wf_document_register"

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """One issue of a document. A re-issue is a new row with the SAME register number, the next
    ``version``, the row it replaces and the reason (who and when: ``created_by``/``_at``)."""

    __tablename__ = "wf_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("wf_document.id"), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # The letter's HTML is stored with its number in one short write; the PDF is rendered from
    # it outside the write session and stored in a second write (None until then).
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    html: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        UniqueConstraint("number", "version", name="uq_wf_document_number_version"),
    )
