"""Files that leave the office and the cases nobody moves.

A step owned by an outside actor (the Kepala Dinas Dukcapil signing the KK, "3 hari") is a
hand-off: the petugas marks the file "dikirim" when it leaves and "diterima kembali" when it
comes back. The time at the Dinas is its own clock, from sent to received, against the step's
standard; receiving it back completes the step. The stuck list holds every open case whose
current step is past its deadline, or whose file has been at the outside office too long.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from loket import events
from loket.auth import Principal
from loket.errors import Conflict
from workflow_service.domain import BusinessCalendar, StepClock
from workflow_service.domain.permissions import HOST, role_kind
from workflow_service.models import Case, Step
from workflow_service.models_routing import Handoff
from workflow_service.usecases import actions, desks, steps
from workflow_service.usecases.context import WorkflowContext, business_calendar, unit_of_work
from workflow_service.usecases.serializers import case_json
from workflow_service.validation import ActionInput


def _handoff_step(case: Case) -> Step:
    step = actions.open_step(case)
    if role_kind(step.role) != "external":
        raise Conflict("Langkah saat ini tidak dikerjakan di luar kantor; tidak ada berkas "
                       "yang dikirim.", code="not_a_handoff")
    return step


def handoff_step(case: Case) -> str | None:
    """The current step's key when it is done outside the office (dikirim / diterima)."""
    step = steps.current_step(case)
    if case.status != "open" or step is None or role_kind(step.role) != "external":
        return None
    return step.step_key


def _clock(step: Step, handoff: Handoff, calendar: BusinessCalendar) -> StepClock | None:
    if not step.time_standard:
        return None
    return StepClock.start(handoff.sent_at, step.time_standard, step.clock,  # type: ignore[arg-type]
                           calendar)


def mark_sent(ctx: WorkflowContext, case_id: int, actor: Principal) -> dict[str, Any]:
    """"Dikirim": the file leaves for the outside office; its clock starts now."""
    now = dt.datetime.now(dt.UTC)
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = steps.get_case(uow.session, case_id, lock=True)
        step = _handoff_step(case)
        definitions = steps.definitions(steps.content_of(uow.session, case))
        definition = next(d for d in definitions if d.id == step.step_key)
        actions.check_role(actor, step, definition, "complete")
        if uow.session.scalar(select(Handoff).where(Handoff.step_id == step.id)) is not None:
            raise Conflict("Berkas ini sudah dicatat terkirim.", code="already_sent")
        uow.session.add(Handoff(step_id=step.id, sent_at=now, sent_by=actor.username))
        step.assignee = actor.username  # on the worklist of whoever sent it
        steps.log(uow, case, step, actor.username, "petugas", "sent", step.state, step.state,
                  "Berkas dikirim ke luar kantor", now)
        steps.record(uow, events.STEP_SENT, case, step)
        return case_json(uow.session, case, detail=True)


def mark_received(ctx: WorkflowContext, case_id: int, actor: Principal) -> dict[str, Any]:
    """"Diterima kembali": the file is back; its clock stops and the step is completed."""
    now = dt.datetime.now(dt.UTC)
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = steps.get_case(uow.session, case_id, lock=True)
        step = _handoff_step(case)
        handoff = uow.session.scalar(select(Handoff).where(Handoff.step_id == step.id))
        if handoff is None:
            raise Conflict("Berkas belum dicatat terkirim; tandai \"dikirim\" lebih dulu.",
                           code="not_sent")
        handoff.received_at, handoff.received_by = now, actor.username
        steps.log(uow, case, step, actor.username, "petugas", "received", step.state,
                  step.state, "Berkas diterima kembali", now)
        steps.record(uow, events.STEP_RECEIVED, case, step)
        output = "; ".join(steps.raw_step(steps.content_of(uow.session, case),
                                          step.step_key).get("output") or []) or "diterima"
        actions.act_in(uow, case_id, "complete", actor, ActionInput(output=output), now)
        return case_json(uow.session, case, detail=True)


def handoffs_json(session: Any, case: Case, calendar: BusinessCalendar,
                  now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Each hand-off of the case: sent, received, and the time at the outside office."""
    now = now or dt.datetime.now(dt.UTC)
    by_id = {s.id: s for s in case.steps}
    rows = session.scalars(select(Handoff).where(Handoff.step_id.in_(list(by_id)))
                           .order_by(Handoff.id)) if by_id else []
    result = []
    for row in rows:
        step = by_id[row.step_id]
        clock = _clock(step, row, calendar)
        until = row.received_at or now
        fraction = clock.fraction(until) if clock else None
        result.append({
            "step": step.step_key, "sent_at": steps.iso(row.sent_at), "sent_by": row.sent_by,
            "received_at": steps.iso(row.received_at), "received_by": row.received_by,
            "at_outside": row.received_at is None,
            "seconds_outside": int((until - row.sent_at).total_seconds()),
            "time_standard": step.time_standard,
            "due_at": steps.iso(clock.due_at) if clock else None,
            "sla_fraction": round(fraction, 3) if fraction is not None else None,
            "overdue": bool(fraction is not None and fraction >= 1.0)})
    return result


def _nobody_holds(step: Step, case: Case, staff: list[dict[str, Any]]) -> bool:
    """No active member of staff holds the step's own role (and section): only a supervisor
    could move it. Outside actors' steps are the petugas'; a guest's host can be anyone."""
    if step.role == HOST:
        return False
    role = "petugas" if role_kind(step.role) == "external" else step.role
    section = desks.step_section(step, case.sop_code)
    names = set(section) if section else None
    return not any(role in p["roles"] and (names is None or p["section"] in names)
                   for p in staff)


def stuck(ctx: WorkflowContext, now: dt.datetime | None = None) -> dict[str, Any]:
    """Open cases past their current step's deadline, long at the outside office, or on a
    desk nobody holds (no active member of staff has the step's role and section)."""
    now = now or dt.datetime.now(dt.UTC)
    from workflow_service.usecases.reassign import directory  # reassign imports actions too

    staff = directory(ctx).people(None)  # None: the queue cannot say; that check is skipped
    with ctx.db.read_session() as session:
        calendar = business_calendar(session)
        cases = session.scalars(select(Case).join(Step, Step.id == Case.current_step_id)
                                .where(Case.status == "open")
                                .order_by(Step.due_at, Case.id)).all()
        result = []
        for case in cases:
            step = steps.current_step(case)
            if step is None:
                continue
            outside = [h for h in handoffs_json(session, case, calendar, now)
                       if h["at_outside"] and h["step"] == step.step_key]
            if outside and outside[0]["overdue"]:
                reason, label = "at_outside", "Terlalu lama di luar kantor (Dinas)"
            elif step.due_at is not None and step.due_at <= now:
                reason, label = "overdue", "Melewati batas waktu langkah"
            elif staff is not None and _nobody_holds(step, case, staff):
                reason, label = "unstaffed", "Tidak ada petugas aktif di meja langkah ini"
            else:
                continue
            data = case_json(session, case, now=now)
            data["stuck"] = {"reason": reason, "label": label,
                             "handoff": outside[0] if outside else None}
            result.append(data)
        return {"cases": result}
