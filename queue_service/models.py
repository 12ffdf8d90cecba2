"""Queue tables (SQLAlchemy 2.0, typed). Datetimes are aware UTC via loket.db.Base."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.db import Base, utcnow

counter_service = Table(
    "queue_counter_service",
    Base.metadata,
    Column("counter_id", ForeignKey("queue_counter.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("queue_service.id", ondelete="CASCADE"), primary_key=True),
)


class Office(Base):
    __tablename__ = "queue_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    logo_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    max_regular_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    recalls_before_no_show: Mapped[int] = mapped_column(Integer, default=3)
    end_of_day_policy: Mapped[str] = mapped_column(String(16), default="close")
    # Set by the administrator (issue #15): the TV header and the documents read these.
    kabupaten: Mapped[str | None] = mapped_column(String(120), nullable=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # {"camat": {"name", "nip", "rank"}, "sekcam": {...}}: who signs the documents
    officials: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # {"pemerintahan": {"room", "floor"}, "camat": {...}}: where a guest is shown the way to
    rooms: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Service(Base):
    __tablename__ = "queue_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(4), unique=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("queue_office.id"), nullable=True)
    # None: the catalog's (demo) bring-list; a list once the administrator has set it.
    bring: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    fee: Mapped[str | None] = mapped_column(String(120), nullable=True)
    product: Mapped[str | None] = mapped_column(String(200), nullable=True)
    daily_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Counter(Base):
    __tablename__ = "queue_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16), default="closed")
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_staff.id", use_alter=True, ondelete="SET NULL"), nullable=True)
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("queue_office.id"), nullable=True)
    tv_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    services: Mapped[list[Service]] = relationship(secondary=counter_service,
                                                   order_by="Service.position")


class Staff(Base):
    __tablename__ = "queue_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    section: Mapped[str | None] = mapped_column(String(120), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_counter.id", ondelete="SET NULL"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("queue_office.id"), nullable=True)
    nip: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # A new or reset password: the login gives a token that only changes the password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    # Tokens issued below this version are refused (loket.staff_sessions): logout, password
    # change, deactivation and the admin's account changes move it forward.
    token_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Device(Base):
    __tablename__ = "queue_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("queue_office.id"), nullable=True)
    place: Mapped[str | None] = mapped_column(String(120), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class Visitor(Base):
    """Personal data, encrypted at rest (Fernet); ``nik_index`` is a keyed HMAC for lookups."""

    __tablename__ = "queue_visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    nik_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    nik_index: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    nik_masked: Mapped[str | None] = mapped_column(String(40), nullable=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ServiceSequence(Base):
    """The last number handed out per service per local service day."""

    __tablename__ = "queue_sequence"

    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"), primary_key=True)
    service_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "queue_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12))
    # The issuing service and day own the sequence number; ``service_id`` moves on transfer.
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    issued_day: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"), index=True)
    service_day: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    is_returning: Mapped[bool] = mapped_column(Boolean, default=False)
    return_to_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_service.id"), nullable=True)
    tracking_code: Mapped[str] = mapped_column(String(8), unique=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("queue_visitor.id"), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"), nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    original_issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    serving_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    held_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    resumed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    transferred_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    no_show_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])
    visitor: Mapped[Visitor | None] = relationship()

    __table_args__ = (
        UniqueConstraint("issued_service_id", "issued_day", "seq",
                         name="uq_queue_ticket_service_day_seq"),
        # At most one ticket called or being served per counter.
        Index("uq_queue_ticket_active_counter", "counter_id", unique=True,
              sqlite_where=text("status IN ('called', 'serving')"),
              postgresql_where=text("status IN ('called', 'serving')")),
        Index("ix_queue_ticket_day_status", "service_day", "status"),
        # One service's line of one day: the people-ahead COUNT, the head of the line, and the
        # recent service times read only this slice however many tickets the table holds.
        Index("ix_queue_ticket_line", "service_id", "service_day", "status"),
    )


class TicketHistory(Base):
    __tablename__ = "queue_ticket_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id", ondelete="CASCADE"),
                                           index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    counter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(60), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IdempotencyRecord(Base):
    __tablename__ = "queue_idempotency"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("queue_device.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id", ondelete="CASCADE"))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Keyed hash of the request first sent with this key (usecases/idempotency.py).
    body_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("device_id", "key", name="uq_queue_idempotency_key"),)


class Announcement(Base):
    __tablename__ = "queue_announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One administrative change: who, when, what, and the object before and after."""

    __tablename__ = "queue_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("queue_office.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class SurveyResponse(Base):
    """One SKM response (PermenPANRB 14/2017) per served ticket. Reports read it anonymously:
    the ticket link only enforces "one response per ticket" and dates the period."""

    __tablename__ = "queue_survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id", ondelete="CASCADE"),
                                           unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    service_day: Mapped[dt.date] = mapped_column(Date)
    # unsur code (U1..U9) -> 1..4; an unsur left blank is absent
    answers: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gender: Mapped[str | None] = mapped_column(String(1), nullable=True)
    education: Mapped[str | None] = mapped_column(String(8), nullable=True)
    occupation: Mapped[str | None] = mapped_column(String(12), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_queue_survey_day_service", "service_day", "service_id"),)


# The waiting counts per line, kept by triggers (a table of this service's schema).
from queue_service.line_state import QueueLine  # noqa: E402,F401
