"""Workflow use-cases: open a case, act on its current step, fire escalations, track.

Each function works inside the caller's unit of work (a SQLAlchemy session) and records the
case log and the outbox events in that same transaction. The rules themselves (calendar, SLA
clock, lifecycle, permissions, escalation ladder) live in :mod:`workflow_service.domain`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket import events
from loket.auth import Principal
from loket.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workflow_service.domain import (
    BusinessCalendar,
    ClockKind,
    StepClock,
    StepDefinition,
    StepRun,
    StepState,
    TransitionError,
    can_act,
    due_levels,
    next_step,
    thresholds_for,
)
from workflow_service.models import (
    CalendarOverride,
    Case,
    CaseLog,
    Escalation,
    Notification,
    SopVersion,
    Step,
)

logger = logging.getLogger(__name__)

SYSTEM = "sistem"
CITIZEN_ROLES = frozenset({"warga", "pemohon", "pelapor", "tamu"})
STAFF_ROLES = frozenset({"petugas", "operator", "kasi", "sekcam", "camat"})
CHANNELS = ("loket", "telepon", "surat", "whatsapp", "email", "media_sosial", "sp4n_lapor",
            "langsung", "web", "sms")
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# What the API calls an action, and the domain's name for it.
ACTIONS = {"complete": "complete", "return": "return_to_applicant", "resubmit": "resubmit",
           "reject": "reject", "reassign": "reassign", "cancel": "cancel"}
# Error codes that mean "the input is incomplete" (422) rather than "not in this state" (409).
INPUT_ERRORS = {"output_required", "requirements_required", "unknown_requirement",
                "requirements_missing", "reason_required", "assignee_required",
                "assignee_role", "same_assignee"}
STATE_LABELS = {
    "pending": "Menunggu", "active": "Sedang diproses",
    "waiting_applicant": "Berkas dikembalikan ke pemohon", "done": "Selesai",
    "rejected": "Ditolak", "cancelled": "Dibatalkan",
}
CASE_LABELS = {"open": "Sedang diproses", "done": "Selesai", "rejected": "Ditolak",
               "cancelled": "Dibatalkan"}


# -- the catalog and the calendar -----------------------------------------------------------------

@functools.cache
def catalog() -> Any:
    from sop import load_catalog

    return load_catalog()


def office() -> Any:
    from loket.settings import get_settings

    return _office(get_settings().office_file)


@functools.cache
def _office(path: Any) -> Any:
    from sop import load_office

    return load_office(path)


def role_kind(code: str) -> str:
    try:
        return str(catalog().roles.get(code).kind)
    except Exception:
        return "staff"


def acting_roles(owner: str) -> frozenset[str]:
    """Who may act on a step owned by ``owner``.

    An outside actor (Kepala Dinas Dukcapil) does not log in to Loket: the officer at the
    counter records what happened. A guest's host ("tujuan") can be any member of staff.
    """
    if role_kind(owner) == "external":
        return frozenset({owner, "petugas"})
    if owner == "tujuan":
        return frozenset({"tujuan", *STAFF_ROLES})
    return frozenset({owner})


def business_calendar(session: Session) -> BusinessCalendar:
    """Office hours (default: Perpres 21/2023), national holidays, and local overrides."""
    config: dict[str, Any] = {"timezone": "Asia/Jakarta"}
    hours = getattr(office(), "office_hours", None)
    if hours:
        config["office_hours"] = hours
    closed: list[dict[str, str]] = []
    opened: list[dict[str, str]] = []
    for row in session.scalars(select(CalendarOverride)):
        item = {"date": row.day.isoformat(), "name": row.name}
        (closed if row.kind == "closed" else opened).append(item)
    config["closed_dates"] = closed
    config["open_dates"] = opened
    return BusinessCalendar.from_config(config)


# -- helpers --------------------------------------------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def _definitions(content: dict[str, Any]) -> list[StepDefinition]:
    """The pinned SOP's steps as the domain sees them."""
    result = []
    for raw in content["steps"]:
        branches: dict[str, str] = {}
        for branch in raw.get("branches", []):
            if branch["action"] == "goto" and branch.get("goto"):
                branches[branch["when"]] = branch["goto"]
            elif branch["action"] == "reject":
                branches[branch["when"]] = "end:rejected"
        owner = raw.get("assignee") or next(r for r in raw["roles"] if r not in CITIZEN_ROLES)
        result.append(StepDefinition(
            id=str(raw["id"]), roles=acting_roles(owner),
            time_standard=raw.get("time_standard"),
            clock=ClockKind(raw.get("clock") or "business"),
            name=" ".join(raw.get("activity_lines") or [str(raw["activity"])]),
            output="; ".join(raw.get("output") or []),
            requirements=tuple(raw.get("requirements") or ()), branches=branches,
        ))
    return result


def _content(session: Session, case: Case) -> dict[str, Any]:
    version = session.get(SopVersion, case.sop_hash)
    assert version is not None
    return version.content


def _clock(step: Step, calendar: BusinessCalendar) -> StepClock | None:
    if step.activated_at is None:
        return None
    pauses = [(_parse(a), _parse(b)) for a, b in step.pauses]
    return StepClock.start(step.activated_at, step.time_standard, step.clock, calendar,
                           pauses)  # type: ignore[arg-type]


def _log(session: Session, case: Case, step: Step | None, actor: str, role: str | None,
         action: str, from_state: str | None, to_state: str | None,
         note: str | None = None, at: dt.datetime | None = None) -> None:
    session.add(CaseLog(case_id=case.id, step_id=step.id if step else None,
                        step_key=step.step_key if step else None, actor=actor, actor_role=role,
                        action=action, from_state=from_state, to_state=to_state, note=note,
                        at=at or dt.datetime.now(dt.UTC)))


def _event_payload(case: Case, step: Step | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"case": {"id": case.id, "tracking_code": case.tracking_code,
                                        "sop": case.sop_code, "status": case.status}}
    if case.ticket_number:
        payload["case"]["ticket_number"] = case.ticket_number
    if step is not None:
        payload["step"] = {"id": step.id, "key": step.step_key, "role": step.role,
                           "state": step.state, "assignee": step.assignee,
                           "due_at": _iso(step.due_at)}
    return payload


def _record(session: Session, type_: str, case: Case, step: Step | None = None,
            **extra: Any) -> int:
    session.flush()
    event = events.record(session, events.STREAM_WORKFLOW, type_,
                          {**_event_payload(case, step), **extra})
    session.flush()
    return event.id


# -- escalation planning --------------------------------------------------------------------------

def _plan_escalations(session: Session, step: Step, clock: StepClock | None) -> None:
    """Keep one row per rung with its due instant; fired rungs are never touched again."""
    if clock is None:
        return
    existing = {e.level: e for e in session.scalars(
        select(Escalation).where(Escalation.step_id == step.id))}
    for threshold in thresholds_for(clock, step_roles={step.role}):
        row = existing.get(threshold.level.key)
        if row is None:
            session.add(Escalation(step_id=step.id, level=threshold.level.key,
                                   target_roles=sorted(threshold.level.notify_roles),
                                   due_at=threshold.at))
        elif row.fired_at is None:
            row.due_at = threshold.at


def _activate(session: Session, case: Case, step: Step, now: dt.datetime,
              calendar: BusinessCalendar, actor: str = SYSTEM) -> int:
    step.state = StepState.ACTIVE.value
    step.activated_at = now
    step.pauses = []
    clock = _clock(step, calendar)
    step.due_at = clock.due_at if clock else None
    session.flush()
    _plan_escalations(session, step, clock)
    case.current_step_id = step.id
    _log(session, case, step, actor, None, "activate", "pending", "active", at=now)
    return _record(session, events.STEP_ACTIVATED, case, step)


# -- opening cases --------------------------------------------------------------------------------

def pin_version(session: Session, sop: Any) -> SopVersion:
    """Store the SOP exactly as it is now, once; cases refer to it by content hash."""
    version = session.get(SopVersion, sop.content_hash)
    if version is None:
        version = SopVersion(content_hash=sop.content_hash, code=sop.code, version=sop.version,
                             content=sop.to_json())
        session.add(version)
        session.flush()
    return version


@dataclass
class Opened:
    case: Case
    created: bool
    event_ids: list[int]


def open_case(session: Session, *, sop_code: str, channel: str, actor: str,
              actor_role: str | None = None, ticket_id: int | None = None,
              ticket_number: str | None = None, subject: str | None = None,
              applicant_enc: bytes | None = None, now: dt.datetime | None = None) -> Opened:
    """Open a case at its SOP's first step. A ticket opens at most one case."""
    now = now or dt.datetime.now(dt.UTC)
    if sop_code not in catalog():
        raise ValidationFailed(f"Layanan '{sop_code}' tidak dikenal.", field="sop",
                               code="unknown_sop")
    if channel not in CHANNELS:
        raise ValidationFailed(f"Saluran harus salah satu dari: {', '.join(CHANNELS)}.",
                               field="channel", code="invalid_channel")
    if ticket_id is not None:
        existing = session.scalar(select(Case).where(Case.ticket_id == ticket_id))
        if existing is not None:
            return Opened(existing, False, [])
    sop = catalog().get(sop_code)
    version = pin_version(session, sop)
    case = Case(tracking_code=_tracking_code(), sop_code=sop_code, sop_hash=version.content_hash,
                channel=channel, ticket_id=ticket_id, ticket_number=ticket_number,
                subject=subject, applicant_enc=applicant_enc, opened_by=actor, opened_at=now,
                status="open")
    session.add(case)
    session.flush()
    definitions = _definitions(version.content)
    for seq, (raw, definition) in enumerate(zip(version.content["steps"], definitions,
                                                strict=True)):
        owner = raw.get("assignee") or sorted(definition.roles)[0]
        session.add(Step(case_id=case.id, seq=seq, step_key=definition.id, role=owner,
                         state="pending", time_standard=definition.time_standard,
                         clock=definition.clock.value, pauses=[], checked=[]))
    session.flush()
    session.refresh(case)
    _log(session, case, None, actor, actor_role, "open", None, "open",
         note=f"saluran: {channel}", at=now)
    ids = [_record(session, events.CASE_OPENED, case, channel=channel)]
    ids.append(_activate(session, case, case.steps[0], now, business_calendar(session), actor))
    return Opened(case, True, ids)


def open_case_for_ticket(session: Session, message: dict[str, Any]) -> Opened | None:
    """React to a queue event: a ticket being served at a counter opens its case."""
    ticket = message.get("ticket") or {}
    service = ticket.get("service")
    if (message.get("type") != events.TICKET_SERVING or not isinstance(service, str)
            or service not in catalog()):
        return None
    at = _parse(message.get("at")) or dt.datetime.now(dt.UTC)
    try:
        with session.begin_nested():
            return open_case(session, sop_code=service, channel="loket", actor=SYSTEM,
                             ticket_id=int(ticket["id"]), ticket_number=ticket.get("number"),
                             now=at)
    except IntegrityError:  # another worker opened it a moment ago
        case = session.scalar(select(Case).where(Case.ticket_id == int(ticket["id"])))
        return Opened(case, False, []) if case else None


# -- acting on the current step -------------------------------------------------------------------

def get_case(session: Session, case_id: int, lock: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    case = session.scalar(query)
    if case is None:
        raise NotFound(f"Kasus {case_id} tidak ditemukan.", field="id")
    return case


def current_step(case: Case) -> Step | None:
    return next((s for s in case.steps if s.id == case.current_step_id), None)


def _run_of(step: Step, definition: StepDefinition, calendar: BusinessCalendar) -> StepRun:
    return StepRun(definition=definition, state=StepState(step.state), assignee=step.assignee,
                   clock=_clock(step, calendar), output=step.output,
                   checked_requirements=tuple(step.checked or ()), reason=step.reason)


def _domain_error(exc: TransitionError) -> Exception:
    if exc.code in INPUT_ERRORS:
        return ValidationFailed(exc.message, field=exc.field, code=exc.code)
    return Conflict(exc.message, field=exc.field, code=exc.code)


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"Kolom '{name}' harus berupa teks.", field=name)
    return value


def act(session: Session, case_id: int, action: str, actor: Principal,
        data: dict[str, Any], now: dt.datetime | None = None) -> tuple[Case, list[int]]:
    """Apply ``action`` to the case's current step as ``actor``; return the case and events."""
    now = now or dt.datetime.now(dt.UTC)
    if action not in ACTIONS:
        raise NotFound(f"Tindakan '{action}' tidak dikenal.", field="action")
    events.lock_stream(session, events.STREAM_WORKFLOW)
    case = get_case(session, case_id, lock=True)
    step = current_step(case)
    if case.status != "open" or step is None:
        raise Conflict(f"Kasus ini sudah {CASE_LABELS.get(case.status, case.status).lower()}.",
                       code="case_closed")
    content = _content(session, case)
    definitions = _definitions(content)
    definition = next(d for d in definitions if d.id == step.step_key)
    domain_action = ACTIONS[action]
    if not can_act(set(actor.roles), set(definition.roles), domain_action):
        raise Forbidden(
            f"Langkah ini milik peran '{step.role}'; peran Anda "
            f"({', '.join(sorted(actor.roles)) or '-'}) tidak berwenang melakukan ini.",
            code="role_not_allowed")
    calendar = business_calendar(session)
    run = _run_of(step, definition, calendar)
    role = next(iter(sorted(actor.roles & definition.roles)), None) or sorted(actor.roles)[0]
    before = step.state
    try:
        if action == "complete":
            checked = data.get("checked_requirements", data.get("requirements_checked"))
            if checked is not None and (not isinstance(checked, list)
                                        or not all(isinstance(c, str) for c in checked)):
                raise ValidationFailed("Daftar persyaratan harus berupa daftar teks.",
                                       field="checked_requirements")
            decision = _text(data, "decision")
            branch_outcomes = set(definition.branches)
            if decision is not None and branch_outcomes and decision not in branch_outcomes:
                raise ValidationFailed(
                    f"Keputusan harus salah satu dari: {', '.join(sorted(branch_outcomes))}.",
                    field="decision")
            run = run.complete(now, _text(data, "output"), checked, outcome=decision,
                               by=actor.username)
        elif action == "return":
            run = run.return_to_applicant(now, _text(data, "reason"), by=actor.username)
        elif action == "resubmit":
            run = run.resubmit(now, by=actor.username)
        elif action == "reject":
            run = run.reject(now, _text(data, "reason"), by=actor.username)
        elif action == "cancel":
            run = run.cancel(now, _text(data, "reason"), by=actor.username)
        elif action == "reassign":
            assignee = _text(data, "assignee")
            run = run.reassign(now, assignee or "", {step.role}, by=actor.username)
    except TransitionError as exc:
        raise _domain_error(exc) from None

    step.state = run.state.value
    step.assignee = run.assignee
    step.reason = run.reason
    if run.clock is not None:
        step.pauses = [[_iso(a), _iso(b)] for a, b in run.clock.pauses]
        step.due_at = run.clock.due_at
        _plan_escalations(session, step, run.clock)
    ids: list[int] = []
    note = run.reason
    if action == "complete":
        step.output = run.output
        step.checked = list(run.checked_requirements)
        step.decision = run.outcome
        step.finished_at = now
        note = run.output
    elif action in ("reject", "cancel"):
        step.finished_at = now
    _log(session, case, step, actor.username, role, action, before, step.state, note, now)
    type_ = {"complete": events.STEP_COMPLETED, "return": events.STEP_RETURNED,
             "resubmit": events.STEP_RESUBMITTED, "reject": events.STEP_REJECTED,
             "reassign": events.STEP_REASSIGNED, "cancel": events.STEP_REJECTED}[action]
    ids.append(_record(session, type_, case, step))

    if action == "complete":
        following = next_step(definitions, step.step_key, run.outcome)
        if following.is_end:
            ids.append(_close(session, case, following.end or "done", actor, now))
        else:
            ids.extend(_advance_to(session, case, following.step_id or "", now, calendar,
                                   actor.username))
    elif action in ("reject", "cancel"):
        ids.append(_close(session, case, "rejected" if action == "reject" else "cancelled",
                          actor, now))
    return case, ids


def _advance_to(session: Session, case: Case, key: str, now: dt.datetime,
                calendar: BusinessCalendar, actor: str) -> list[int]:
    target = next((s for s in case.steps if s.step_key == key and s.state == "pending"), None)
    if target is None:  # a branch back to a step already done: run it again as a new row
        template = next(s for s in case.steps if s.step_key == key)
        target = Step(case_id=case.id, seq=max(s.seq for s in case.steps) + 1, step_key=key,
                      role=template.role, state="pending", time_standard=template.time_standard,
                      clock=template.clock, pauses=[], checked=[])
        session.add(target)
        session.flush()
        session.refresh(case)
    # Steps skipped by a branch are cancelled so worklists do not show them.
    for skipped in case.steps:
        if skipped.state == "pending" and skipped.seq < target.seq:
            skipped.state = "cancelled"
    return [_activate(session, case, target, now, calendar, actor)]


def _close(session: Session, case: Case, status: str, actor: Principal, now: dt.datetime) -> int:
    case.status = status
    case.closed_at = now
    case.current_step_id = None
    for step in case.steps:
        if step.state == "pending":
            step.state = "cancelled"
    _log(session, case, None, actor.username, None, "close", "open", status, at=now)
    return _record(session, events.CASE_CLOSED, case)


# -- escalations ----------------------------------------------------------------------------------

def due_escalations(session: Session, now: dt.datetime,
                    horizon: dt.timedelta) -> list[tuple[int, dt.datetime]]:
    """Unfired rungs of running steps that fall due before ``now + horizon``."""
    rows = session.execute(
        select(Escalation.id, Escalation.due_at)
        .join(Step, Step.id == Escalation.step_id)
        .where(Escalation.fired_at.is_(None), Escalation.due_at.is_not(None),
               Escalation.due_at <= now + horizon, Step.state == "active")
        .order_by(Escalation.due_at)
    ).all()
    return [(int(r[0]), r[1]) for r in rows if r[1] is not None]


def fire_escalation(session: Session, escalation_id: int,
                    now: dt.datetime | None = None) -> int | None:
    """Fire one rung if it is really due; return the event id, or None if nothing to do.

    Running it twice gives one escalation: ``fired_at`` is set by a conditional update and
    only the update that wins records the event and the notifications.
    """
    now = now or dt.datetime.now(dt.UTC)
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or escalation.fired_at is not None:
        return None
    step = session.get(Step, escalation.step_id)
    if step is None or step.state != "active":
        return None
    clock = _clock(step, business_calendar(session))
    if clock is None:
        return None
    events.lock_stream(session, events.STREAM_WORKFLOW)
    due = {level.key: level for level in due_levels(clock, now, set(), step_roles={step.role})}
    if escalation.level not in due:
        _plan_escalations(session, step, clock)  # the deadline moved (a pause); re-plan
        return None
    won = session.execute(
        update(Escalation).where(Escalation.id == escalation_id, Escalation.fired_at.is_(None))
        .values(fired_at=now)
    ).rowcount  # type: ignore[attr-defined]
    if not won:
        return None
    case = session.get(Case, step.case_id)
    assert case is not None
    level = escalation.level
    targets = sorted(due[level].notify_roles)
    type_ = {"reminder": events.SLA_REMINDER, "breach": events.SLA_BREACH,
             "escalation": events.SLA_ESCALATION}[level]
    _log(session, case, step, SYSTEM, None, f"sla_{level}", step.state, step.state,
         note=f"kepada: {', '.join(targets)}", at=now)
    event_id = _record(session, type_, case, step, level=level, notify_roles=targets)
    _queue_notifications(session, escalation, case, step, level, targets)
    return event_id


LEVEL_LABELS = {"reminder": "Pengingat", "breach": "Melewati batas waktu",
                "escalation": "Eskalasi ke Camat"}


def _queue_notifications(session: Session, escalation: Escalation, case: Case, step: Step,
                         level: str, targets: Iterable[str]) -> None:
    from workflow_service.notify import configured_channels

    sop_name = catalog().get(case.sop_code).name
    for role in targets:
        for channel in configured_channels():
            subject = f"[Loket] {LEVEL_LABELS[level]}: {sop_name} {case.tracking_code}"
            body = (f"{LEVEL_LABELS[level]} untuk kasus {case.tracking_code} ({sop_name}).\n"
                    f"Langkah {step.step_key} (peran {step.role}) batas waktu "
                    f"{_iso(step.due_at) or '-'}.\nDitujukan kepada peran: {role}.")
            session.add(Notification(escalation_id=escalation.id, channel=channel,
                                     recipient_role=role, subject=subject, body=body))


# -- reading --------------------------------------------------------------------------------------

def step_json(step: Step, content: dict[str, Any] | None = None,
              now: dt.datetime | None = None,
              calendar: BusinessCalendar | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = next(
        (s for s in (content or {}).get("steps", []) if str(s["id"]) == step.step_key), {})
    data: dict[str, Any] = {
        "id": step.id, "key": step.step_key, "seq": step.seq, "role": step.role,
        "state": step.state, "state_label": STATE_LABELS.get(step.state, step.state),
        "assignee": step.assignee, "activity": raw.get("activity"),
        "requirements": raw.get("requirements", []), "output_expected": raw.get("output", []),
        "decisions": [b["when"] for b in raw.get("branches", [])
                      if b["action"] != "return_to_applicant"],
        "time_standard": step.time_standard, "clock": step.clock,
        "activated_at": _iso(step.activated_at), "due_at": _iso(step.due_at),
        "finished_at": _iso(step.finished_at), "output": step.output,
        "checked_requirements": step.checked, "decision": step.decision, "reason": step.reason,
        "paused": bool(step.pauses and step.pauses[-1][1] is None),
    }
    if calendar is not None and step.state in ("active", "waiting_applicant"):
        clock = _clock(step, calendar)
        fraction = clock.fraction(now) if clock else None
        data["sla_fraction"] = round(fraction, 3) if fraction is not None else None
        data["overdue"] = bool(fraction is not None and fraction >= 1.0)
    return data


def case_json(session: Session, case: Case, *, detail: bool = False,
              now: dt.datetime | None = None) -> dict[str, Any]:
    content = _content(session, case)
    calendar = business_calendar(session)
    current = current_step(case)
    data: dict[str, Any] = {
        "id": case.id, "tracking_code": case.tracking_code, "sop": case.sop_code,
        "sop_name": content["name"], "sop_version": content.get("version"),
        "sop_hash": case.sop_hash, "channel": case.channel, "status": case.status,
        "status_label": CASE_LABELS.get(case.status, case.status),
        "ticket_id": case.ticket_id, "ticket_number": case.ticket_number,
        "subject": case.subject, "opened_at": _iso(case.opened_at),
        "closed_at": _iso(case.closed_at),
        "current_step": step_json(current, content, now, calendar) if current else None,
    }
    if detail:
        data["steps"] = [step_json(s, content, now, calendar) for s in case.steps]
        data["log"] = [
            {"at": _iso(e.at), "actor": e.actor, "role": e.actor_role, "action": e.action,
             "step": e.step_key, "from": e.from_state, "to": e.to_state, "note": e.note}
            for e in session.scalars(select(CaseLog).where(CaseLog.case_id == case.id)
                                     .order_by(CaseLog.id))
        ]
    return data


def list_cases(session: Session, *, role: str | None = None, status: str | None = None,
               assignee: str | None = None, sop: str | None = None,
               limit: int = 200) -> list[Case]:
    query = select(Case).order_by(Case.opened_at.desc(), Case.id.desc()).limit(limit)
    if sop:
        query = query.where(Case.sop_code == sop)
    if status:
        query = query.where(Case.status == status)
    if role or assignee:
        query = query.join(Step, Step.id == Case.current_step_id)
        if role:
            query = query.where(Step.role == role)
        if assignee:
            query = query.where(Step.assignee == assignee)
    return list(session.scalars(query))


def expected_completion(session: Session, case: Case) -> dt.datetime | None:
    """The current step's due time plus every later step's standard, on the calendar."""
    if case.status != "open":
        return case.closed_at
    calendar = business_calendar(session)
    current = current_step(case)
    if current is None:
        return None
    moment = current.due_at or dt.datetime.now(dt.UTC)
    for step in case.steps:
        if step.seq > current.seq and step.state == "pending" and step.time_standard:
            clock = StepClock.start(moment, step.time_standard, step.clock, calendar)
            moment = clock.due_at or moment
    return moment


def track(session: Session, code: str) -> dict[str, Any]:
    """Public status of a case: no personal data, only where it is and what comes next."""
    case = session.scalar(select(Case).where(Case.tracking_code == code.strip().upper()))
    if case is None:
        raise NotFound("Kode pelacakan tidak ditemukan. Periksa kembali kode pada tanda terima.",
                       field="code")
    content = _content(session, case)
    current = current_step(case)
    labels = {r.code: r.label for r in catalog().roles}
    steps = []
    for step in case.steps:
        raw = next(s for s in content["steps"] if str(s["id"]) == step.step_key)
        lines = raw.get("activity_lines") or [raw["activity"]]
        steps.append({"key": step.step_key, "activity": lines[-1],
                      "role": labels.get(step.role, step.role), "state": step.state,
                      "state_label": STATE_LABELS.get(step.state, step.state),
                      "finished_at": _iso(step.finished_at)})
    upcoming = [s for s in steps if s["state"] == "pending"]
    return {
        "tracking_code": case.tracking_code, "service": case.sop_code,
        "service_name": content["name"], "status": case.status,
        "status_label": CASE_LABELS.get(case.status, case.status),
        "opened_at": _iso(case.opened_at), "closed_at": _iso(case.closed_at),
        "current_step": next((s for s in steps if current and s["key"] == current.step_key
                              and s["state"] in ("active", "waiting_applicant")), None),
        "next_step": upcoming[0] if upcoming else None,
        "expected_completion": _iso(expected_completion(session, case)),
        "steps": steps,
    }
