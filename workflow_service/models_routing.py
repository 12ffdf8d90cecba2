"""Where a case's steps go beyond the SOP's fixed owner: the complaint's classification, the
lembar disposisi, and the hand-off of a file to an outside office (sent, received back)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base, utcnow


class Classification(Base):
    """The complaint's classification (kind and topic) and the desk it routes the disposisi to."""

    __tablename__ = "wf_classification"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # pengaduan | aspirasi | permintaan_informasi
    topic: Mapped[str] = mapped_column(String(40))
    route: Mapped[str] = mapped_column(String(40))  # a section code, sekcam or camat
    by: Mapped[str] = mapped_column(String(60))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Disposition(Base):
    """A lembar disposisi: the Camat/Sekcam forwards the complaint with an instruction."""

    __tablename__ = "wf_disposition"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wf_case.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("wf_step.id"), nullable=True)
    agenda_number: Mapped[str] = mapped_column(String(60))
    sender: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[str] = mapped_column(String(20))  # biasa | segera | sangat_segera
    subject: Mapped[str] = mapped_column(String(300))
    forward_to: Mapped[str] = mapped_column(String(40))  # a section code, sekcam or camat
    instruction: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    dated: Mapped[dt.date] = mapped_column()
    written_by: Mapped[str] = mapped_column(String(60))
    written_role: Mapped[str] = mapped_column(String(20))
    written_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Handoff(Base):
    """A file sent to an outside office (the KK to the Dinas) and received back: its own clock."""

    __tablename__ = "wf_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("wf_step.id"), unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column()
    sent_by: Mapped[str] = mapped_column(String(60))
    received_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    received_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
