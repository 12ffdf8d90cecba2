"""The word to the citizen that a file is ready: an outbox of messages with retries (issue #20).

One row per case and route (e-mail or WhatsApp/SMS through the gateway); the contact itself
stays in the case's encrypted applicant data and is read only when sending.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base
from workflow_service.models import OutboxRow


class ReadyNotice(OutboxRow, Base):
    __tablename__ = "wf_ready_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("wf_step.id"))
    channel: Mapped[str] = mapped_column(String(20))  # email | whatsapp
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("case_id", "channel", name="uq_wf_ready_notice_case_channel"),
    )
