"""Guest reception: the visitor-card pool, the buku tamu, check-in and check-out walking the
penerimaan-tamu SOP case, who is inside, and the closing-time alert.

The case steps are acted on through the ordinary case engine (``reception_engine``) as the
receptionist, so the SOP's log, time standards and events are the same as for any case.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loket import events
from loket.auth import Principal
from loket.crypto import cipher
from loket.errors import Conflict, NotFound, ValidationFailed
from loket.settings import get_settings
from workflow_service.domain.guests import (
    ID_CARD_TYPES,
    GuestEntry,
    closing_alert_due,
    pool_numbers,
)
from workflow_service.models import Case, Notification
from workflow_service.models_guests import Guest, GuestAlert, VisitorCard
from workflow_service.usecases import guest_way
from workflow_service.usecases import reception_engine as engine
from workflow_service.usecases.context import WorkflowContext, unit_of_work

logger = logging.getLogger(__name__)

SOP = "penerimaan-tamu"
HOST_ROLE = "tujuan"  # the SOP's "Tujuan" column: the meeting step, closed at check-out
GUEST_CHECKED_IN = "guest.checked_in"
GUEST_CHECKED_OUT = "guest.checked_out"
GUEST_CLOSING_ALERT = "guest.closing_alert"
# Who reads the buku tamu in full (everyone else sees names masked).
FULL_READERS = frozenset({"petugas", "admin"})
ALERT_ROLES = ("petugas", "sekcam")


def office_code() -> str:
    return get_settings().office


# -- the card pool --------------------------------------------------------------------------------

def list_cards(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(VisitorCard).where(VisitorCard.office == office_code(),
                                                     VisitorCard.active.is_(True))
                           .order_by(VisitorCard.number))
    return [{"number": c.number, "free": c.guest_id is None} for c in rows]


def set_pool(session: Session, count: Any) -> list[dict[str, Any]]:
    """Make the office's pool cards 1..count; a card that is out cannot be withdrawn."""
    wanted = set(pool_numbers(count))
    office = office_code()
    existing = {c.number: c for c in session.scalars(
        select(VisitorCard).where(VisitorCard.office == office).with_for_update())}
    for number, card in existing.items():
        if number not in wanted and card.active and card.guest_id is not None:
            raise Conflict(f"Kartu tamu {number} sedang dipakai tamu; tunggu sampai kembali.",
                           field="count", code="card_out")
        card.active = number in wanted
    for number in sorted(wanted - set(existing)):
        session.add(VisitorCard(office=office, number=number, active=True))
    session.flush()
    return list_cards(session)


def ensure_pool(session: Session, count: int) -> None:
    """Create a pool of ``count`` cards if the office has none (the demo seed)."""
    if session.scalar(select(VisitorCard.id).where(VisitorCard.office == office_code())
                      .limit(1)) is None:
        set_pool(session, count)


def _claim_card(session: Session, number: int, guest_id: int) -> None:
    """A conditional update whose row count decides: a card goes out once."""
    won = session.execute(
        update(VisitorCard)
        .where(VisitorCard.office == office_code(), VisitorCard.number == number,
               VisitorCard.active.is_(True), VisitorCard.guest_id.is_(None))
        .values(guest_id=guest_id)
    ).rowcount  # type: ignore[attr-defined]
    if won:
        return
    card = session.scalar(select(VisitorCard).where(VisitorCard.office == office_code(),
                                                    VisitorCard.number == number,
                                                    VisitorCard.active.is_(True)))
    if card is None:
        raise ValidationFailed(f"Kartu tamu nomor {number} tidak ada dalam daftar kartu kantor.",
                               field="visitor_card", code="unknown_card")
    raise Conflict(f"Kartu tamu nomor {number} sedang dipakai tamu lain.",
                   field="visitor_card", code="card_out")


# -- check-in and check-out -----------------------------------------------------------------------

@dataclass
class Outcome:
    guest: Guest
    event_ids: list[int]


def _walk(session: Session, case: Case, actor: Principal, now: dt.datetime,
          stop_at_host: bool, output: str) -> list[int]:
    """Complete the case's steps in order, as the receptionist, up to the host's meeting."""
    ids: list[int] = []
    content = engine.content_of(session, case)
    while case.status == "open":
        step = engine.current_step(case)
        if step is None or (stop_at_host and step.role == HOST_ROLE):
            break
        raw = next(s for s in content["steps"] if str(s["id"]) == step.step_key)
        text = output if step.role != HOST_ROLE else "Pertemuan selesai"
        case, more = engine.complete_current(
            session, case.id, actor, f"{'; '.join(raw.get('output') or [])}: {text}",
            list(raw.get("requirements") or []), now)
        ids.extend(more)
    return ids


def check_in(session: Session, entry: GuestEntry, actor: Principal,
             now: dt.datetime | None = None, way: str | None = None) -> Outcome:
    """Write the buku tamu, hold the identity card, hand out the visitor card, open the case,
    and tell the host (their desk by the event, beyond it through the notification outbox)."""
    now = now or dt.datetime.now(dt.UTC)
    data = cipher()
    guest = Guest(office=office_code(), ticket_id=entry.ticket_id,
                  name_enc=data.encrypt(entry.name), institution_enc=data.encrypt(
                      entry.institution), purpose=entry.purpose, host=entry.host,
                  group_size=entry.group_size,
                  id_card_type=entry.id_card.type if entry.id_card else None,
                  id_card_enc=data.encrypt(entry.id_card.number) if entry.id_card else None,
                  id_card_masked=entry.id_card.masked if entry.id_card else None,
                  visitor_card=entry.visitor_card, arrived_at=now,
                  registered_by=actor.username)
    session.add(guest)
    session.flush()
    if entry.visitor_card is not None:
        _claim_card(session, entry.visitor_card, guest.id)
    opened = engine.open_case(
        session, sop_code=SOP, channel="loket" if entry.ticket_id else "langsung",
        actor=actor.username, actor_role="petugas", ticket_id=entry.ticket_id,
        ticket_number=entry.ticket_number, subject=f"Tamu untuk {entry.host}", now=now)
    guest.case_id = opened.case.id
    card = f"kartu tamu nomor {entry.visitor_card}" if entry.visitor_card else "tanpa kartu tamu"
    ids = list(opened.event_ids)
    ids += _walk(session, opened.case, actor, now, True,
                 f"tujuan {entry.host}, {entry.group_size} orang, {card}")
    desk = guest_way.desk_of(entry.host)
    notified = guest_way.notify_host(session, desk, entry.host, entry.purpose, entry.group_size,
                                     entry.visitor_card, way)
    ids.append(_event(session, GUEST_CHECKED_IN, guest,
                      {"host_desk": desk, "notified": notified}).id)
    return Outcome(guest, ids)


def check_out(session: Session, guest_id: int, actor: Principal,
              now: dt.datetime | None = None) -> Outcome:
    """The visitor card comes back, the identity card goes back; the case closes."""
    now = now or dt.datetime.now(dt.UTC)
    guest = session.scalar(select(Guest).where(Guest.id == guest_id,
                                               Guest.office == office_code())
                           .with_for_update())
    if guest is None:
        raise NotFound(f"Tamu {guest_id} tidak ditemukan di buku tamu.", field="id")
    if guest.left_at is not None:
        raise Conflict("Tamu ini sudah tercatat pulang.", field="id", code="already_left")
    guest.left_at = now
    guest.checked_out_by = actor.username
    session.execute(update(VisitorCard).where(VisitorCard.guest_id == guest.id)
                    .values(guest_id=None))
    ids: list[int] = []
    case = session.get(Case, guest.case_id) if guest.case_id else None
    if case is not None:
        ids += _walk(session, case, actor, now, False, "kartu tamu kembali, "
                     "kartu identitas dikembalikan")
    ids.append(_event(session, GUEST_CHECKED_OUT, guest).id)
    return Outcome(guest, ids)


def _event(session: Session, type_: str, guest: Guest,
           extra: dict[str, Any] | None = None) -> events.Event:
    """No name, institution or card number: who came is not for the event stream."""
    session.flush()
    return events.record(session, events.STREAM_WORKFLOW, type_, {"guest": {
        "id": guest.id, "visitor_card": guest.visitor_card, "group_size": guest.group_size,
        "case_id": guest.case_id, "inside": guest.left_at is None}, **(extra or {})})


# -- reading --------------------------------------------------------------------------------------

def mask_name(name: str | None) -> str | None:
    """``Budi Santoso`` -> ``B••• S••••••``: enough to recognise, not to identify."""
    if not name:
        return name
    return " ".join(w[0] + "\u2022" * (len(w) - 1) for w in name.split())


def guest_json(guest: Guest, full: bool) -> dict[str, Any]:
    data = cipher()
    name = data.decrypt(guest.name_enc)
    institution = data.decrypt(guest.institution_enc)
    return {
        "id": guest.id, "name": name if full else mask_name(name),
        "institution": institution if full else mask_name(institution),
        "purpose": guest.purpose, "host": guest.host, "group_size": guest.group_size,
        "id_card": ({"type": guest.id_card_type,
                     "type_label": ID_CARD_TYPES.get(guest.id_card_type, guest.id_card_type),
                     "number_masked": guest.id_card_masked} if guest.id_card_type else None),
        "visitor_card": guest.visitor_card, "case_id": guest.case_id,
        "ticket_id": guest.ticket_id,
        "arrived_at": guest.arrived_at.isoformat(),
        "left_at": guest.left_at.isoformat() if guest.left_at else None,
        "inside": guest.left_at is None,
    }


def reads_in_full(actor: Principal) -> bool:
    full = bool(actor.roles & FULL_READERS)
    if full:  # every full read of personal data is logged (who, not what)
        logger.info("guest book read in full by %s", actor.username)
    return full


def inside(session: Session) -> list[Guest]:
    return list(session.scalars(select(Guest).where(Guest.office == office_code(),
                                                    Guest.left_at.is_(None))
                                .order_by(Guest.arrived_at, Guest.id)))


def get_guest(session: Session, guest_id: int) -> Guest:
    guest = session.scalar(select(Guest).where(Guest.id == guest_id,
                                               Guest.office == office_code()))
    if guest is None:
        raise NotFound(f"Tamu {guest_id} tidak ditemukan di buku tamu.", field="id")
    return guest


def between(session: Session, start: dt.datetime, end: dt.datetime) -> list[Guest]:
    return list(session.scalars(select(Guest).where(
        Guest.office == office_code(), Guest.arrived_at >= start, Guest.arrived_at < end)
        .order_by(Guest.arrived_at, Guest.id)))


# -- the closing alert ----------------------------------------------------------------------------

def closing_alert(session: Session, now: dt.datetime | None = None) -> int | None:
    """Once a day after closing time: tell the receptionist and the Sekcam which visitor cards
    and identity cards are still out. Returns the event id, or None when nothing is due."""
    now = now or dt.datetime.now(dt.UTC)
    calendar = engine.business_calendar(session)
    day = calendar.to_local(now).date()
    if not closing_alert_due(now, calendar.close_of_business(day)):
        return None
    office = office_code()
    if session.get(GuestAlert, (office, day)) is not None:
        return None
    still = inside(session)
    session.add(GuestAlert(office=office, day=day, guests=len(still)))
    session.flush()  # a second worker's insert fails here: one alert per day
    if not still:
        return None
    lines = [_alert_line(g, calendar) for g in still]
    body = ("Kantor sudah tutup; kartu berikut belum dikembalikan:\n" + "\n".join(lines))
    subject = f"[Loket] {len(still)} tamu belum tercatat pulang ({day.isoformat()})"
    from workflow_service.notify import configured_channels

    for role in ALERT_ROLES:
        for channel in configured_channels():
            session.add(Notification(channel=channel, recipient_role=role, subject=subject,
                                     body=body))
    event = events.record(session, events.STREAM_WORKFLOW, GUEST_CLOSING_ALERT, {
        "day": day.isoformat(), "notify_roles": list(ALERT_ROLES),
        "cards": [{"visitor_card": g.visitor_card, "guest_id": g.id} for g in still]})
    session.flush()
    return event.id


def _alert_line(guest: Guest, calendar: Any) -> str:
    since = calendar.to_local(guest.arrived_at).strftime("%H:%M")
    card = f"kartu tamu {guest.visitor_card}" if guest.visitor_card else "tanpa kartu tamu"
    held = (f"{ID_CARD_TYPES.get(guest.id_card_type or '', '-')} {guest.id_card_masked}"
            if guest.id_card_type else "tidak ada kartu identitas")
    return f"- {card}; kartu identitas ditahan: {held}; sejak {since}; tujuan {guest.host}"


# -- one call per request: a unit of work (commit, then publish) or a read session ---------------

def cards(ctx: WorkflowContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return list_cards(session)


def replace_pool(ctx: WorkflowContext, count: Any) -> list[dict[str, Any]]:
    with unit_of_work(ctx.db, ctx.redis) as uow:
        return set_pool(uow.session, count)


def receive(ctx: WorkflowContext, entry: GuestEntry, actor: Principal) -> dict[str, Any]:
    """Check a guest in; the events are published once the check-in is committed. The rooms are
    read from the queue before the write session opens; the answer carries the way."""
    way = guest_way.way_for(entry.host, guest_way.rooms(ctx))
    with unit_of_work(ctx.db, ctx.redis) as uow:
        outcome = check_in(uow.session, entry, actor, way=way)
        uow.adopt(outcome.event_ids)
        return {**guest_json(outcome.guest, reads_in_full(actor)), "way": way}


def see_out(ctx: WorkflowContext, guest_id: int, actor: Principal) -> dict[str, Any]:
    """Check a guest out; the events are published once the check-out is committed."""
    with unit_of_work(ctx.db, ctx.redis) as uow:
        outcome = check_out(uow.session, guest_id, actor)
        uow.adopt(outcome.event_ids)
        return guest_json(outcome.guest, reads_in_full(actor))


def inside_json(ctx: WorkflowContext, actor: Principal) -> list[dict[str, Any]]:
    full = reads_in_full(actor)
    office_rooms = guest_way.rooms(ctx)
    with ctx.db.read_session() as session:
        return [{**guest_json(g, full), "way": guest_way.way_for(g.host, office_rooms)}
                for g in inside(session)]
