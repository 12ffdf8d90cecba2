"""Complaint tables: the reporter's channel and contact beside an ordinary pengaduan case,
its attachments, and the outbox of answers sent back through the reporter's channel."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base, utcnow
from workflow_service.models import OutboxRow


class Complaint(Base):
    __tablename__ = "wf_complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    # {"email"} or {"phone"} and the reporter's name, encrypted; never in events or logs.
    reporter_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    # email | whatsapp | sms: how the answer goes back (None: no contact, e.g. a letter).
    reply_channel: Mapped[str | None] = mapped_column(String(20), nullable=True)
    category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Inbound webhook idempotency: one complaint per (channel, message_id).
    message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lapor_reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "message_id",
                                       name="uq_wf_complaint_message"),)


class ComplaintAttachment(Base):
    __tablename__ = "wf_complaint_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("wf_complaint.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ComplaintReply(OutboxRow, Base):
    """The answer on its way back to the reporter: retried with back-off, then parked."""

    __tablename__ = "wf_complaint_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("wf_complaint.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # email | whatsapp | sms
    body: Mapped[str] = mapped_column(Text)
