"""SLA escalations: which rungs fall due soon, and firing one exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update

from loket import events
from workflow_service.domain import due_levels
from workflow_service.models import Case, Escalation, Notification, Step
from workflow_service.usecases import steps
from workflow_service.usecases.context import UnitOfWork, business_calendar, catalog

LEVEL_LABELS = {"reminder": "Pengingat", "breach": "Melewati batas waktu",
                "escalation": "Eskalasi ke Camat"}
LEVEL_EVENTS = {"reminder": events.SLA_REMINDER, "breach": events.SLA_BREACH,
                "escalation": events.SLA_ESCALATION}


def due_escalations(session: Any, now: dt.datetime,
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


def fire_escalation(uow: UnitOfWork, escalation_id: int,
                    now: dt.datetime | None = None) -> bool:
    """Fire one rung if it is really due; True when this call fired it.

    Running it twice gives one escalation: ``fired_at`` is set by a conditional update and
    only the update that wins records the event and the notifications.
    """
    now = now or dt.datetime.now(dt.UTC)
    session = uow.session
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or escalation.fired_at is not None:
        return False
    step = session.get(Step, escalation.step_id)
    if step is None or step.state != "active":
        return False
    clock = steps.clock_of(step, business_calendar(session))
    if clock is None:
        return False
    due = {level.key: level for level in due_levels(clock, now, set(), step_roles={step.role})}
    if escalation.level not in due:
        steps.plan_escalations(session, step, clock)  # the deadline moved (a pause); re-plan
        return False
    won = session.execute(
        update(Escalation).where(Escalation.id == escalation_id, Escalation.fired_at.is_(None))
        .values(fired_at=now)
    ).rowcount  # type: ignore[attr-defined]
    if not won:
        return False
    case = session.get(Case, step.case_id)
    assert case is not None
    level = escalation.level
    targets = sorted(due[level].notify_roles)
    steps.log(uow, case, step, steps.SYSTEM, None, f"sla_{level}", step.state, step.state,
              note=f"kepada: {', '.join(targets)}", at=now)
    steps.record(uow, LEVEL_EVENTS[level], case, step, level=level, notify_roles=targets)
    _queue_notifications(session, escalation, case, step, level, targets)
    return True


def _queue_notifications(session: Any, escalation: Escalation, case: Case, step: Step,
                         level: str, targets: Iterable[str]) -> None:
    from workflow_service.notify import configured_channels

    sop_name = catalog().get(case.sop_code).name
    for role in targets:
        for channel in configured_channels():
            subject = f"[Loket] {LEVEL_LABELS[level]}: {sop_name} {case.tracking_code}"
            body = (f"{LEVEL_LABELS[level]} untuk kasus {case.tracking_code} ({sop_name}).\n"
                    f"Langkah {step.step_key} (peran {step.role}) batas waktu "
                    f"{steps.iso(step.due_at) or '-'}.\nDitujukan kepada peran: {role}.")
            session.add(Notification(escalation_id=escalation.id, channel=channel,
                                     recipient_role=role, subject=subject, body=body))
