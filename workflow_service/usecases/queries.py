"""Reading cases for staff: worklists, one case, the expected completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from workflow_service.domain import StepClock
from workflow_service.models import Case, Step
from workflow_service.usecases import desks
from workflow_service.usecases.context import WorkflowContext, business_calendar, catalog
from workflow_service.usecases.serializers import case_json
from workflow_service.usecases.steps import acting_roles, current_step, get_case
from workflow_service.validation import Worklist


def list_cases(session: Any, *, role: str | None = None, status: str | None = None,
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
            # Outside actors' steps (the Kepala Dinas) are recorded by the petugas: theirs too.
            query = query.where(Step.role.in_(worked_by(role)))
        if assignee:
            query = query.where(Step.assignee == assignee)
    return list(session.scalars(query))


# The guest's host ("tujuan") has no account of their own in Loket: the receptionist who
# showed the guest the way keeps the step on their desk.
RECEPTION = "petugas"


def worked_by(role: str) -> list[str]:
    """The step roles whose steps sit on ``role``'s worklist: its own, outside actors' (the
    petugas records what the Dinas did) and, for the receptionist, the guest host's."""
    registry = catalog().roles
    outside = [r.code for r in registry if r.kind == "external"]
    hosts = [r.code for r in registry if getattr(r, "any_staff", False)]
    return [role, *(code for code in outside if role in acting_roles(code)),
            *(hosts if role == RECEPTION else [])]


def external_steps(ctx: WorkflowContext) -> dict[str, Any]:
    """Open cases whose file is outside the office (e.g. the KK at the Dinas), oldest first."""
    outside = [r.code for r in catalog().roles if r.kind == "external"]
    with ctx.db.read_session() as session:
        cases = session.scalars(
            select(Case).join(Step, Step.id == Case.current_step_id)
            .where(Case.status == "open", Step.role.in_(outside))
            .order_by(Step.activated_at, Case.id)).all()
        return {"cases": [case_json(session, c) for c in cases]}


def worklist(ctx: WorkflowContext, query: Worklist, actor: Principal) -> dict[str, Any]:
    """Cases whose current step belongs to ``query.role`` (and ``query.status``)."""
    with ctx.db.read_session() as session:
        cases = list_cases(session, role=query.role, status=query.status, sop=query.sop,
                           assignee=actor.username if query.mine else None)
        # A section-owned step is on that section's Kasi desk only.
        visible = [c for c in cases if (step := current_step(c)) is None
                   or desks.bound_by_section(actor, step, c.sop_code) is None]
        return {"cases": [case_json(session, c) for c in visible]}


def show_case(ctx: WorkflowContext, case_id: int) -> dict[str, Any]:
    """One case with every step and its audit log."""
    with ctx.db.read_session() as session:
        return case_json(session, get_case(session, case_id), detail=True)


def expected_completion(session: Any, case: Case) -> dt.datetime | None:
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
