"""The machinery every use case shares: a case's pinned steps, clocks, the log and events.

Activating, advancing and closing live here because opening a case, acting on a step and
branching all do them the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from loket import events
from loket.errors import NotFound
from workflow_service.domain import (
    BusinessCalendar,
    ClockKind,
    StepClock,
    StepDefinition,
    StepState,
    thresholds_for,
)
from workflow_service.domain.permissions import HOST, role_kind, staff_roles
from workflow_service.models import Case, CaseLog, Escalation, SopVersion, Step
from workflow_service.usecases.context import UnitOfWork

SYSTEM = "sistem"
CITIZEN_ROLES = frozenset({"warga", "pemohon", "pelapor", "tamu"})


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def acting_roles(owner: str) -> frozenset[str]:
    """Who may act on a step owned by ``owner``.

    An outside actor (Kepala Dinas Dukcapil) does not log in to Loket: the officer at the
    counter records what happened. A guest's host ("tujuan") can be any member of staff.
    """
    if role_kind(owner) == "external":
        return frozenset({owner, "petugas"})
    if owner == HOST:
        return frozenset({HOST, *staff_roles()})
    return frozenset({owner})


def step_owner(raw: dict[str, Any]) -> str:
    """The role a step belongs to: its ``assignee``, else its first non-citizen role."""
    return str(raw.get("assignee") or next(r for r in raw["roles"] if r not in CITIZEN_ROLES))


def _definition(raw: dict[str, Any]) -> StepDefinition:
    # A version pinned before steps declared their outcomes keeps the generic lifecycle.
    outcomes = raw.get("outcomes") or {"return_to_applicant": True, "reject": True}
    decisions = tuple(outcomes.get("decisions") or ())
    branches: dict[str, str] = {}
    hands_back: set[str] = set()
    for branch in raw.get("branches", []):
        if decisions and branch["when"] not in decisions:
            continue  # describes the step's own return to applicant, not a decision
        if branch["action"] == "reject":
            branches[branch["when"]] = "end:rejected"
        elif branch.get("goto"):
            branches[branch["when"]] = branch["goto"]
            if branch["action"] == "return_to_applicant":
                hands_back.add(branch["when"])
    return StepDefinition(
        id=str(raw["id"]),
        # The document's "Camat/Sekcam": a delegate may act in the assignee's place.
        roles=acting_roles(step_owner(raw)) | frozenset(raw.get("delegates") or ()),
        time_standard=raw.get("time_standard"),
        clock=ClockKind(raw.get("clock") or "business"),
        name=" ".join(raw.get("activity_lines") or [str(raw["activity"])]),
        output="; ".join(raw.get("output") or []),
        # The Kelengkapan column is the step's equipment, not a checklist for the applicant.
        requirements=(), branches=branches, decisions=decisions,
        hands_back=frozenset(hands_back),
        allows_return=bool(outcomes.get("return_to_applicant")),
        allows_reject=bool(outcomes.get("reject")),
    )


def definitions(content: dict[str, Any]) -> list[StepDefinition]:
    """The pinned SOP's steps as the domain sees them."""
    return [_definition(raw) for raw in content["steps"]]


def raw_step(content: dict[str, Any], key: str) -> dict[str, Any]:
    """The pinned SOP's own data of step ``key`` (empty when the version lacks it)."""
    return next((s for s in content.get("steps", []) if str(s["id"]) == key), {})


def content_of(session: Any, case: Case) -> dict[str, Any]:
    version = session.get(SopVersion, case.sop_hash)
    assert version is not None
    return version.content  # type: ignore[no-any-return]


def get_case(session: Any, case_id: int, lock: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    case = session.scalar(query)
    if case is None:
        raise NotFound(f"Kasus {case_id} tidak ditemukan.", field="id")
    return case  # type: ignore[no-any-return]


def current_step(case: Case) -> Step | None:
    return next((s for s in case.steps if s.id == case.current_step_id), None)


def clock_of(step: Step, calendar: BusinessCalendar) -> StepClock | None:
    if step.activated_at is None:
        return None
    pauses = [(parse_instant(a), parse_instant(b)) for a, b in step.pauses]
    return StepClock.start(step.activated_at, step.time_standard, step.clock, calendar,
                           pauses)  # type: ignore[arg-type]


def log(uow: UnitOfWork, case: Case, step: Step | None, actor: str, role: str | None,
        action: str, from_state: str | None, to_state: str | None,
        note: str | None = None, at: dt.datetime | None = None) -> None:
    uow.session.add(CaseLog(
        case_id=case.id, step_id=step.id if step else None,
        step_key=step.step_key if step else None, actor=actor, actor_role=role, action=action,
        from_state=from_state, to_state=to_state, note=note, at=at or dt.datetime.now(dt.UTC)))


def event_payload(case: Case, step: Step | None = None) -> dict[str, Any]:
    """What an event says about a case: ids, codes and states, never the applicant."""
    payload: dict[str, Any] = {"case": {"id": case.id, "tracking_code": case.tracking_code,
                                        "sop": case.sop_code, "status": case.status}}
    if case.ticket_number:
        payload["case"]["ticket_number"] = case.ticket_number
    if case.ticket_id is not None:
        payload["case"]["ticket_id"] = case.ticket_id
    if step is not None:
        payload["step"] = {"id": step.id, "key": step.step_key, "role": step.role,
                           "state": step.state, "assignee": step.assignee,
                           "due_at": iso(step.due_at)}
    return payload


def record(uow: UnitOfWork, type_: str, case: Case, step: Step | None = None,
           **extra: Any) -> None:
    uow.session.flush()
    uow.record(type_, {**event_payload(case, step), **extra})


def plan_escalations(session: Any, step: Step, clock: StepClock | None) -> None:
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


def activate(uow: UnitOfWork, case: Case, step: Step, now: dt.datetime,
             calendar: BusinessCalendar, actor: str = SYSTEM) -> None:
    step.state = StepState.ACTIVE.value
    step.activated_at = now
    step.pauses = []
    if role_kind(step.role) == "external" and actor != SYSTEM:
        # A hand-off outside the office (the KK at the Dinas) stays with whoever sent it.
        step.assignee = actor
    clock = clock_of(step, calendar)
    step.due_at = clock.due_at if clock else None
    uow.session.flush()
    plan_escalations(uow.session, step, clock)
    case.current_step_id = step.id
    log(uow, case, step, actor, None, "activate", "pending", "active", at=now)
    record(uow, events.STEP_ACTIVATED, case, step)


def advance_to(uow: UnitOfWork, case: Case, key: str, now: dt.datetime,
               calendar: BusinessCalendar, actor: str) -> Step:
    """Activate step ``key``; a branch back to a step already done runs it again (new row)."""
    session = uow.session
    target = next((s for s in case.steps if s.step_key == key and s.state == "pending"), None)
    if target is None:
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
    activate(uow, case, target, now, calendar, actor)
    return target


def close(uow: UnitOfWork, case: Case, status: str, actor: str, now: dt.datetime) -> None:
    case.status = status
    case.closed_at = now
    case.current_step_id = None
    for step in case.steps:
        if step.state == "pending":
            step.state = "cancelled"
    log(uow, case, None, actor, None, "close", "open", status, at=now)
    record(uow, events.CASE_CLOSED, case)


def hand_back(uow: UnitOfWork, case: Case, step: Step, reason: str, now: dt.datetime,
              actor: str) -> None:
    """A decision sent the file back: the step it resumes at waits for the applicant."""
    step.state = StepState.WAITING_APPLICANT.value
    step.reason = reason
    step.pauses = [[iso(now), None]]
    step.due_at = None  # not known until the applicant brings the file back
    log(uow, case, step, actor, None, "return", "active", step.state, reason, now)
    record(uow, events.STEP_RETURNED, case, step)
