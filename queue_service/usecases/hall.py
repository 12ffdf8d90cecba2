"""The hall as everybody sees it: the services list, the board, the running text, kiosk faults,
and whether the office is open now."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from loket import events as ev
from loket.auth import Principal
from loket.db import utcnow
from loket.settings import Settings
from queue_service import sop_services
from queue_service.domain import calling
from queue_service.domain import hours as opening_hours_module
from queue_service.domain.errors import OfficeClosed
from queue_service.models import Announcement, Counter, Service
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, unit_of_work
from queue_service.usecases.serializers import current_json, iso

logger = logging.getLogger(__name__)

LAST_CALLS = 10


# -- services and board ------------------------------------------------------------------------

def list_services(ctx: QueueContext) -> list[dict[str, Any]]:
    info = sop_services.by_code()
    with ctx.db.read_session() as session:
        day = queries.today(session, ctx.settings)
        waiting = queries.waiting_counts(session, day)
        result = []
        for service in session.scalars(select(Service).order_by(Service.position, Service.id)):
            meta = info.get(service.code)
            count = int(waiting.get(service.id, 0))
            minutes = queries.service_minutes(session, service, day)
            result.append({
                "code": service.code, "name": service.name, "prefix": service.prefix,
                "open": service.is_open, "waiting": count,
                "estimated_wait_minutes": calling.estimate_wait_minutes(
                    count, minutes, queries.open_counters(session, service.id)),
                # The administrator's bring-list once set (issue #15), else the catalog's example.
                "bring": service.bring if service.bring is not None
                else (list(meta.bring) if meta else []),
                "bring_is_demo": service.bring is None and (meta.bring_is_demo if meta else True),
                "fee": service.fee or "gratis",
                "service_minutes": (round(meta.service_minutes)
                                    if meta and meta.service_minutes is not None else None),
                "steps": list(meta.steps) if meta else [],
                "questions": list(meta.questions) if meta else [],
                # Its standar pelayanan (issue #20), for the kiosk's QR code: a phone opens it.
                "standard_url": f"{ctx.settings.base_url}/api/queue/services/{service.code}"
                                "/standar",
            })
        return result


def _announcements(session: Session) -> list[str]:
    return list(session.scalars(select(Announcement.text).order_by(Announcement.position)))


def _board_counters(session: Session, wanted: set[str] | None) -> list[dict[str, Any]]:
    counters = []
    # The order an administrator gave the counters on the TV, then their numbers.
    for counter in session.scalars(select(Counter).order_by(Counter.tv_order, Counter.number)
                                   .options(selectinload(Counter.services))):
        codes = [s.code for s in counter.services]
        if wanted is not None and not wanted.intersection(codes):
            continue
        current = queries.active_ticket(session, counter.id)
        counters.append({"id": counter.id, "number": counter.number, "name": counter.name,
                         "status": counter.status, "services": codes,
                         "current": current_json(current)})
    return counters


def _last_calls(session: Session, wanted: set[str] | None) -> list[dict[str, Any]]:
    last_calls: list[dict[str, Any]] = []
    calls = session.scalars(
        select(ev.Event).where(ev.Event.stream == ev.STREAM_QUEUE,
                               ev.Event.type.in_([ev.TICKET_CALLED, ev.TICKET_RECALLED]))
        .order_by(ev.Event.id.desc()).limit(200))
    for event in calls:
        called = event.payload.get("ticket") or {}
        at = event.payload.get("counter") or {}
        if wanted is not None and called.get("service") not in wanted:
            continue
        last_calls.append({
            "event_id": event.id, "number": called.get("number"),
            "service": called.get("service"), "counter_id": at.get("id"),
            "counter_number": at.get("number"), "counter_name": at.get("name"),
            "called_at": iso(event.created_at),
            "recall": event.type == ev.TICKET_RECALLED,
        })
        if len(last_calls) >= LAST_CALLS:
            break
    return last_calls


def board(ctx: QueueContext, services: list[str] | None = None) -> dict[str, Any]:
    """What the waiting-room TV shows: counters, the last calls, waiting counts, running text."""
    wanted = set(services) if services else None
    with ctx.db.read_session() as session:
        office = queries.get_office(session, ctx.settings)
        day = queries.today(session, ctx.settings)
        counts = queries.waiting_counts(session, day)
        waiting = [{"service": s.code, "name": s.name, "prefix": s.prefix,
                    "waiting": int(counts.get(s.id, 0))}
                   for s in session.scalars(select(Service).order_by(Service.position))
                   if wanted is None or s.code in wanted]
        return {
            "office": {"name": office.name, "timezone": office.timezone,
                       "logo_url": office.logo_url,
                       # The admin's profile, else the office file's regency (the TV header).
                       "kabupaten": office.kabupaten or sop_services.regency()},
            "counters": _board_counters(session, wanted),
            "last_calls": _last_calls(session, wanted), "waiting": waiting,
            "announcements": _announcements(session),
            "last_event_id": ev.last_event_id(session, ev.STREAM_QUEUE),
            "service_day": day.isoformat(),
        }


# -- announcements, faults ---------------------------------------------------------------------

def set_announcements(ctx: QueueContext, texts: list[str]) -> list[str]:
    now = utcnow()
    with unit_of_work(ctx) as uow:
        session = uow.session
        for old in session.scalars(select(Announcement)):
            session.delete(old)
        for i, text in enumerate(texts):
            session.add(Announcement(position=i, text=text, updated_at=now))
        uow.record(ev.ANNOUNCEMENT_UPDATED, {"announcements": texts})
    return texts


def get_announcements(ctx: QueueContext) -> list[str]:
    with ctx.db.read_session() as session:
        return _announcements(session)


def report_fault(ctx: QueueContext, device: Principal, code: str,
                 detail: str | None) -> dict[str, Any]:
    with unit_of_work(ctx) as uow:
        event = uow.record(ev.KIOSK_FAULT, {
            "device": {"id": device.id, "label": device.username}, "fault": code,
            "detail": detail})
        uow.flush_events()
        return event.as_message()


def list_faults(ctx: QueueContext, limit: int = 50) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        rows = session.scalars(select(ev.Event).where(
            ev.Event.stream == ev.STREAM_QUEUE, ev.Event.type == ev.KIOSK_FAULT)
            .order_by(ev.Event.id.desc()).limit(limit))
        return [e.as_message() for e in rows]


# -- opening hours -----------------------------------------------------------------------------

def closed_message(settings: Settings, opening_hours: Any, timezone: str,
                   now: dt.datetime) -> str | None:
    """Why the hall hands out no numbers now (outside its hours, a holiday); None when open.

    Always None unless the office enforces its hours (``LOKET_ENFORCE_OPENING_HOURS``).
    """
    if not settings.opening_hours_enforced or not opening_hours:
        return None
    try:
        hours = opening_hours_module.parse_cached(json.dumps(opening_hours, sort_keys=True))
    except opening_hours_module.HoursError:  # a bad office row must not stop the hall
        logger.warning("office opening hours are invalid; not enforced")
        return None
    local = now.astimezone(ZoneInfo(timezone))
    holiday = opening_hours_module.is_holiday(local.date())
    if hours.open_at(local) and not holiday:
        return None
    message = "Maaf, kantor sedang tutup" + (" (hari libur)" if holiday else "") + \
        f"; tiket antrean belum dapat diambil. Jam layanan: {hours.describe()}."
    reopen = hours.next_opening(local)
    if reopen is not None:
        message += f" Buka lagi {opening_hours_module.describe_moment(reopen)}."
    return message


def check_opening_hours(settings: Settings, opening_hours: Any, timezone: str,
                        now: dt.datetime) -> None:
    """Refuse a ticket when the hall is closed (if the office enforces its hours)."""
    message = closed_message(settings, opening_hours, timezone, now)
    if message is not None:
        raise OfficeClosed(message, field="service")


def office_state(ctx: QueueContext) -> dict[str, Any]:
    """Whether the kiosk may hand out numbers now, and if not, the message to show."""
    with ctx.db.read_session() as session:
        _name, timezone, _wait, hours = queries.office_row(session, ctx.settings)
    message = closed_message(ctx.settings, hours, timezone, utcnow())
    return {"open": message is None, "message": message}
