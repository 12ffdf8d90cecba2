"""Acting on a case's current step: complete, return, resubmit, reject, reassign, cancel.

One table says, per action, the domain's name for it, how the step run moves, the event it
records and what happens to the case afterwards; :func:`act` is the same few lines for all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import object_session

from loket import events
from loket.auth import Principal
from loket.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workflow_service.domain import (
    BusinessCalendar,
    StepDefinition,
    StepRun,
    StepState,
    TransitionError,
    can_act,
    next_step,
)
from workflow_service.models import Case, Step
from workflow_service.usecases import desks, steps
from workflow_service.usecases.context import (
    UnitOfWork,
    WorkflowContext,
    business_calendar,
    unit_of_work,
)
from workflow_service.usecases.serializers import CASE_LABELS, case_json
from workflow_service.validation import ActionInput

# Error codes that mean "the input is incomplete" (422) rather than "not in this state" (409).
INPUT_ERRORS = {"output_required", "requirements_required", "unknown_requirement",
                "requirements_missing", "reason_required", "assignee_required",
                "assignee_role", "same_assignee", "decision_required", "unknown_decision"}

Move = Callable[[StepRun, Step, ActionInput, dt.datetime, str], StepRun]


def _complete(run: StepRun, step: Step, data: ActionInput, now: dt.datetime,
              by: str) -> StepRun:
    if data.decision is not None and not run.definition.decisions:
        raise ValidationFailed("Langkah ini tidak meminta keputusan.", field="decision",
                               code="unknown_decision")
    # Nothing to tick: the Kelengkapan column is the step's equipment (see steps.definitions).
    return run.complete(now, data.output, (), outcome=data.decision, by=by)


@dataclass(frozen=True)
class Action:
    domain: str  # the lifecycle's and the permissions' name for it
    move: Move
    event: str
    closes_as: str | None = None  # the case's status when the action ends it


ACTIONS: dict[str, Action] = {
    "complete": Action("complete", _complete, events.STEP_COMPLETED),
    "return": Action("return_to_applicant",
                     lambda run, _s, d, now, by: run.return_to_applicant(now, d.reason, by=by),
                     events.STEP_RETURNED),
    "resubmit": Action("resubmit", lambda run, _s, _d, now, by: run.resubmit(now, by=by),
                       events.STEP_RESUBMITTED),
    "reject": Action("reject", lambda run, _s, d, now, by: run.reject(now, d.reason, by=by),
                     events.STEP_REJECTED, closes_as="rejected"),
    "reassign": Action("reassign",
                       lambda run, s, d, now, by: run.reassign(now, d.assignee or "", {s.role},
                                                               by=by),
                       events.STEP_REASSIGNED),
    "cancel": Action("cancel", lambda run, _s, d, now, by: run.cancel(now, d.reason, by=by),
                     events.STEP_REJECTED, closes_as="cancelled"),
}


def _domain_error(exc: TransitionError) -> Exception:
    if exc.code in INPUT_ERRORS:
        return ValidationFailed(exc.message, field=exc.field, code=exc.code)
    return Conflict(exc.message, field=exc.field, code=exc.code)


def open_step(case: Case) -> Step:
    step = steps.current_step(case)
    if case.status != "open" or step is None:
        raise Conflict(f"Kasus ini sudah {CASE_LABELS.get(case.status, case.status).lower()}.",
                       code="case_closed")
    return step


def check_role(actor: Principal, step: Step, definition: StepDefinition, domain: str) -> str:
    """The role the actor acts in; Forbidden when none of theirs may."""
    if not can_act(set(actor.roles), set(definition.roles), domain):
        raise Forbidden(
            f"Langkah ini milik peran '{step.role}'; peran Anda "
            f"({', '.join(sorted(actor.roles)) or '-'}) tidak berwenang melakukan ini.",
            code="role_not_allowed")
    return next(iter(sorted(actor.roles & definition.roles)), None) or sorted(actor.roles)[0]


def _store(uow: UnitOfWork, step: Step, run: StepRun, action: str, now: dt.datetime) -> None:
    step.state = run.state.value
    step.assignee = run.assignee
    step.reason = run.reason
    if run.clock is not None:
        step.pauses = [[steps.iso(a), steps.iso(b)] for a, b in run.clock.pauses]
        step.due_at = run.clock.due_at
        steps.plan_escalations(uow.session, step, run.clock)
    if action == "complete":
        step.output = run.output
        step.checked = list(run.checked_requirements)
        step.decision = run.outcome
    if run.state in (StepState.DONE, StepState.REJECTED, StepState.CANCELLED):
        step.finished_at = now


def _afterwards(uow: UnitOfWork, case: Case, step: Step, spec: Action, run: StepRun,
                definitions: list[StepDefinition], calendar: BusinessCalendar,
                actor: str, now: dt.datetime) -> None:
    if spec.closes_as is not None:
        steps.close(uow, case, spec.closes_as, actor, now)
    elif run.state is StepState.DONE:
        following = next_step(definitions, step.step_key, run.outcome)
        if following.is_end:
            steps.close(uow, case, following.end or "done", actor, now)
            return
        target = steps.advance_to(uow, case, following.step_id or "", now, calendar, actor)
        if following.hands_back:
            steps.hand_back(uow, case, target, _branch_label(case, step, run.outcome), now,
                            actor)


def _branch_label(case: Case, step: Step, outcome: str | None) -> str:
    raw = steps.raw_step(steps.content_of(object_session(case), case), step.step_key)
    label = next((b["label"] for b in raw.get("branches", []) if b["when"] == outcome), outcome)
    return f"Langkah {step.step_key}: {label}; berkas dikembalikan ke pemohon."


def act_in(uow: UnitOfWork, case_id: int, action: str, actor: Principal, data: ActionInput,
           now: dt.datetime | None = None) -> Case:
    """Apply ``action`` to the case's current step as ``actor`` inside ``uow``."""
    now = now or dt.datetime.now(dt.UTC)
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(f"Tindakan '{action}' tidak dikenal.", field="action")
    case = steps.get_case(uow.session, case_id, lock=True)
    step = open_step(case)
    definitions = steps.definitions(steps.content_of(uow.session, case))
    definition = next(d for d in definitions if d.id == step.step_key)
    if step.role not in definition.roles:  # routed per case (a complaint's disposisi)
        definition = dataclasses.replace(definition, roles=steps.acting_roles(step.role))
    role = check_role(actor, step, definition, spec.domain)
    desks.check_section(actor, step, case.sop_code)
    calendar = business_calendar(uow.session)
    run = StepRun(definition=definition, state=StepState(step.state), assignee=step.assignee,
                  clock=steps.clock_of(step, calendar), output=step.output,
                  checked_requirements=tuple(step.checked or ()), reason=step.reason)
    before = step.state
    try:
        run = spec.move(run, step, data, now, actor.username)
    except TransitionError as exc:
        raise _domain_error(exc) from None
    _store(uow, step, run, action, now)
    note = run.output if action == "complete" else run.reason
    steps.log(uow, case, step, actor.username, role, action, before, step.state, note, now)
    steps.record(uow, spec.event, case, step)
    _afterwards(uow, case, step, spec, run, definitions, calendar, actor.username, now)
    return case


def act(ctx: WorkflowContext, case_id: int, action: str, actor: Principal,
        data: ActionInput) -> dict[str, Any]:
    """The HTTP use case: act, commit, publish; the case as the staff JSON."""
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = act_in(uow, case_id, action, actor, data)
        return case_json(uow.session, case, detail=True)
