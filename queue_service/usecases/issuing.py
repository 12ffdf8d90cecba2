"""Taking a number: the kiosk's hot path, idempotent per device and Idempotency-Key.

The path runs prepared statements (built once at import), so a request pays for neither
building SQL expressions nor the ORM (measured by ``make bench``, see docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket import events as ev
from loket.db import advance_counter, utcnow
from queue_service import line_state
from queue_service.domain import calling, states
from queue_service.domain.errors import QuotaReached, ServiceClosed, UnknownService
from queue_service.domain.nik import mask_nik
from queue_service.domain.numbering import format_number, new_tracking_code, service_day
from queue_service.models import (
    IdempotencyRecord,
    Office,
    Service,
    ServiceSequence,
    Ticket,
    TicketHistory,
    Visitor,
)
from queue_service.usecases import idempotency, queries
from queue_service.usecases.context import QueueContext, UnitOfWork, unit_of_work
from queue_service.usecases.hall import check_opening_hours
from queue_service.usecases.serializers import iso
from queue_service.validation import IssueInput

_THIS_KEY = and_(IdempotencyRecord.device_id == bindparam("device_id"),
                 IdempotencyRecord.key == bindparam("key"))
_STORED_RESPONSE = select(IdempotencyRecord.response, IdempotencyRecord.body_hash).where(_THIS_KEY)
# The service asked for, the office's name, time zone and maximum regular wait, and the response
# already given to this Idempotency-Key (a retry) with its request hash and day: one round trip.
_SERVICE_OFFICE_AND_RETRY = (
    select(Service.id, Service.code, Service.name, Service.prefix, Service.is_open,
           *queries.OFFICE_COLUMNS, IdempotencyRecord.response, Service.daily_quota,
           IdempotencyRecord.body_hash, IdempotencyRecord.created_at)
    .select_from(Service).outerjoin(Office, Office.slug == bindparam("slug"))
    .outerjoin(IdempotencyRecord, _THIS_KEY)
    .where(Service.code == bindparam("code")))
_FORGET_KEY = delete(IdempotencyRecord).where(_THIS_KEY)
_INSERT_VISITOR = insert(Visitor).returning(Visitor.id)
_INSERT_TICKET = insert(Ticket).returning(Ticket.id)
_INSERT_HISTORY = insert(TicketHistory)
_INSERT_IDEMPOTENCY = insert(IdempotencyRecord)
# Both counts a new ticket needs, in one round trip.
_AHEAD_AND_OPEN_COUNTERS = select(queries.PEOPLE_AHEAD.scalar_subquery(),
                                  queries.OPEN_COUNTERS.scalar_subquery())
# A new regular ticket is last in its line by the calling rules: everyone waiting is ahead.
# The line's count is kept by triggers (line_state), so this reads three rows at most,
# however long the line (the ticket itself is counted already, hence the - 1 below).
_LINE_AND_OPEN_COUNTERS = select(line_state.WAITING_IN_LINE.scalar_subquery(),
                                 queries.OPEN_COUNTERS.scalar_subquery())


def issue_ticket(ctx: QueueContext, data: IssueInput, device_id: int | None,
                 idempotency_key: str | None) -> dict[str, Any]:
    """Issue a ticket; a retry with the same Idempotency-Key returns the first response.

    A retry is normally found inside the transaction; two copies of one request racing each
    other meet at the unique key instead, and the loser returns the winner's response. A
    tracking code drawn twice (31⁸ codes) also meets a unique key: then we draw again. The key
    is bound to the request and to its service day (usecases/idempotency.py).
    """
    keyed = idempotency_key is not None and device_id is not None
    body_hash = idempotency.request_hash(ctx, data) if keyed else None
    for attempt in range(3):
        try:
            return _issue(ctx, data, device_id, idempotency_key, body_hash)
        except IntegrityError:
            if keyed:
                assert device_id is not None and idempotency_key is not None
                assert body_hash is not None
                stored = _stored_response(ctx, device_id, idempotency_key)
                if stored is not None:
                    return idempotency.replay(stored[0], stored[1], body_hash)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _stored_response(ctx: QueueContext, device_id: int,
                     key: str) -> tuple[dict[str, Any], str | None] | None:
    with ctx.db.lookup_session() as session:
        row = session.execute(_STORED_RESPONSE, {"device_id": device_id, "key": key}).first()
        return (dict(row[0]), row[1]) if row is not None else None


def _next_seq(session: Session, service_id: int, day: dt.date) -> int:
    """Advance the per-service, per-day sequence atomically and return the new value."""
    return advance_counter(session, ServiceSequence,
                           {"service_id": service_id, "service_day": day}, "last")


def issue_minutes(ctx: QueueContext, session: Session, service_id: int, code: str,
                  day: dt.date) -> float:
    """Typical minutes per visitor, remembered a moment per process (see QueueContext)."""
    cached = ctx.minutes_cache.get((service_id, day))
    if cached is not None:
        return float(cached)
    minutes = queries.recent_service_minutes(session, service_id, code, day)
    ctx.minutes_cache.put((service_id, day), minutes)
    return minutes


def _visitor_row(ctx: QueueContext, data: IssueInput, now: dt.datetime) -> dict[str, Any] | None:
    """The visitor's row, encrypted and masked before the transaction begins."""
    if data.visitor is None:
        return None
    cipher = ctx.cipher
    return {
        "name_enc": cipher.encrypt(data.visitor.name),
        "nik_enc": cipher.encrypt(data.visitor.nik),
        "nik_index": cipher.nik_index(data.visitor.nik) if data.visitor.nik else None,
        "nik_masked": mask_nik(data.visitor.nik),
        "phone_enc": cipher.encrypt(data.visitor.phone),
        "consent": data.visitor.consent, "consent_at": now, "created_at": now}


def _issue(ctx: QueueContext, data: IssueInput, device_id: int | None,
           idempotency_key: str | None, body_hash: str | None = None) -> dict[str, Any]:
    """The hot path of the kiosk: prepared statements in one short transaction.

    Everything that needs no database (encryption, masking, the tracking code) is done before
    the transaction begins; the per-service sequence is advanced as late as possible, because
    its row lock makes issuers of the same service wait for each other until the commit.
    """
    now = utcnow()
    visitor_row = _visitor_row(ctx, data, now)
    with unit_of_work(ctx) as uow:
        conn = uow.session.connection()  # Core statements: no ORM bookkeeping on this path
        row = conn.execute(_SERVICE_OFFICE_AND_RETRY, {
            "code": data.service, "slug": ctx.settings.office, "device_id": device_id,
            "key": idempotency_key if device_id is not None else None}).first()
        if row is None:
            raise UnknownService(f"Layanan '{data.service[:40]}' tidak dikenal.", field="service")
        if row[5] is not None:
            office = (str(row[5]), str(row[6]), int(row[7]), row[8])
        else:  # the office is not under the configured slug: the first one, or defaults
            office = queries.office_row(uow.session, ctx.settings)
        if row[9] is not None:  # this key answered before
            if not idempotency.is_expired(row[12], service_day(now, office[1]), office[1]):
                return idempotency.replay(row[9], row[11], body_hash or "")  # a retry
            conn.execute(_FORGET_KEY, {"device_id": device_id, "key": idempotency_key})
        check_opening_hours(ctx.settings, office[3], office[1], now)
        if not row[4]:
            raise ServiceClosed(f"Layanan {row[2]} sedang tutup.", field="service")
        response = _insert_ticket(ctx, uow, data, tuple(row[:4]), office, visitor_row, now,
                                  quota=row[10])
        if idempotency_key is not None and device_id is not None:
            conn.execute(_INSERT_IDEMPOTENCY, {
                "device_id": device_id, "key": idempotency_key, "ticket_id": response["id"],
                "response": response, "created_at": now, "body_hash": body_hash})
    return response


def _insert_ticket(ctx: QueueContext, uow: UnitOfWork, data: IssueInput,
                   service: tuple[Any, ...], office: tuple[str, str, int, Any],
                   visitor_row: dict[str, Any] | None, now: dt.datetime,
                   quota: int | None = None) -> dict[str, Any]:
    """Insert the visitor, the ticket and its history; record the event; count who is ahead."""
    service_id, service_code, service_name, prefix = service
    office_name, timezone, max_wait, _hours = office
    conn = uow.session.connection()
    day = service_day(now, timezone)
    visitor_id = None
    if visitor_row is not None:
        visitor_id = conn.execute(_INSERT_VISITOR, visitor_row).scalar_one()
    code = new_tracking_code()  # unique key; a clash (never seen) makes us draw again
    seq = _next_seq(uow.session, service_id, day)
    if quota is not None and seq > quota:  # the daily quota an admin set; the rollback undoes seq
        raise QuotaReached(f"Kuota harian layanan {service_name} ({quota} nomor) sudah habis; "
                           "silakan datang lagi pada hari kerja berikutnya.", field="service")
    number = format_number(prefix, seq)
    ticket_id = conn.execute(_INSERT_TICKET, {
        "number": number, "issued_service_id": service_id, "issued_day": day, "seq": seq,
        "service_id": service_id, "service_day": day, "status": states.WAITING,
        "priority": data.priority, "is_returning": False, "tracking_code": code,
        "details": data.details, "visitor_id": visitor_id, "recalls": 0, "issued_at": now,
        "original_issued_at": now, "updated_at": now}).scalar_one()
    conn.execute(_INSERT_HISTORY, {
        "ticket_id": ticket_id, "action": "issue", "from_status": None,
        "to_status": states.WAITING, "counter_id": None, "service_id": service_id,
        "actor": None, "at": now})
    uow.record(ev.TICKET_ISSUED, {"ticket": {
        "id": ticket_id, "number": number, "service": service_code,
        "priority": data.priority, "status": states.WAITING}})
    ahead, open_counters = _ahead_and_open_counters(conn, service_id, day, ticket_id,
                                                    data.priority, now, max_wait)
    wait = calling.estimate_wait_minutes(
        ahead, issue_minutes(ctx, uow.session, service_id, service_code, day), open_counters)
    return {
        "id": ticket_id, "number": number, "service": service_code,
        "service_name": service_name, "tracking_code": code,
        "position": ahead + 1, "people_ahead": ahead, "estimated_wait_minutes": wait,
        "status": states.WAITING, "priority": data.priority,
        "issued_at": iso(now), "service_day": day.isoformat(),
        "nik_masked": visitor_row["nik_masked"] if visitor_row else None,
        "office": office_name,
        "status_url": f"{ctx.settings.base_url}/api/queue/tickets/{code}",
    }


def _ahead_and_open_counters(conn: Any, service_id: int, day: dt.date, ticket_id: int,
                             priority: str | None, now: dt.datetime,
                             max_wait: int) -> tuple[int, int]:
    """Who is ahead of a ticket just issued, and the counters open for its service."""
    group = calling.calling_group(False, priority, overdue=False)
    if group == max(calling.Group):  # the last group, and the latest ticket of it
        in_line, counters = conn.execute(_LINE_AND_OPEN_COUNTERS, {
            "service_id": service_id, "day": day}).one()
        return max(0, int(in_line) - 1), int(counters)
    # A priority ticket goes before the regular ones that are not yet overdue: counted.
    ahead, counters = conn.execute(_AHEAD_AND_OPEN_COUNTERS, {
        "service_id": service_id, "day": day, "ticket_id": ticket_id, "group": int(group),
        "since": now, "overdue_before": now - dt.timedelta(minutes=max_wait)}).one()
    return int(ahead), int(counters)
