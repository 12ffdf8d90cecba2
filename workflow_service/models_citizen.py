"""The word to the citizen that a file is ready: an outbox of messages with retries (issue #20).

One row per case and route (e-mail or WhatsApp/SMS through the gateway); the contact itself
stays in the case's encrypted applicant data and is read only when sending.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base, utcnow


class ReadyNotice(Base):
    __tablename__ = "wf_ready_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("wf_step.id"))
    channel: Mapped[str] = mapped_column(String(20))  # email | whatsapp
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        UniqueConstraint("case_id", "channel", name="uq_wf_ready_notice_case_channel"),
    )
