"""Guest reception tables: the office's visitor-card pool, the buku tamu, the closing alerts.

A guest's name, institution/address and identity-card number are personal data: encrypted with
the data key; only the identity card's masked number is kept in clear (for the list of who is
inside and the closing alert).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.db import Base, utcnow


class VisitorCard(Base):
    """One numbered visitor card of an office. ``guest_id`` is set while the card is out."""

    __tablename__ = "wf_visitor_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)
    guest_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (UniqueConstraint("office", "number", name="uq_wf_visitor_card_number"),)


class Guest(Base):
    """One entry of the buku tamu (a group registers its leader)."""

    __tablename__ = "wf_guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("wf_case.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    institution_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    purpose: Mapped[str] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(120))
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    id_card_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    id_card_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    id_card_masked: Mapped[str | None] = mapped_column(String(40), nullable=True)
    visitor_card: Mapped[int | None] = mapped_column(Integer, nullable=True)
    arrived_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    left_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    registered_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    checked_out_by: Mapped[str | None] = mapped_column(String(60), nullable=True)


class GuestAlert(Base):
    """One closing-time alert per office and local day: its row is the idempotency."""

    __tablename__ = "wf_guest_alert"

    office: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    guests: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
