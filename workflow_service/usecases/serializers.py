"""Cases and steps as JSON for staff (the public tracking view is in ``tracking``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from workflow_service.domain import BusinessCalendar
from workflow_service.models import Case, CaseLog, Step
from workflow_service.privacy import applicant_for_staff
from workflow_service.usecases.context import business_calendar
from workflow_service.usecases.desks import step_section
from workflow_service.usecases.steps import clock_of, content_of, current_step, iso, raw_step

STATE_LABELS = {
    "pending": "Menunggu", "active": "Sedang diproses",
    "waiting_applicant": "Berkas dikembalikan ke pemohon", "done": "Selesai",
    "rejected": "Ditolak", "cancelled": "Dibatalkan",
}
CASE_LABELS = {"open": "Sedang diproses", "done": "Selesai", "rejected": "Ditolak",
               "cancelled": "Dibatalkan"}


def _outcomes(raw: dict[str, Any]) -> dict[str, Any]:
    # A version pinned before steps declared their outcomes keeps the generic lifecycle.
    return raw.get("outcomes") or {"return_to_applicant": True, "reject": True}


def decisions_of(raw: dict[str, Any]) -> list[dict[str, str]]:
    """The decisions completing the step records, each with its label and where it goes."""
    branches = {b["when"]: b for b in raw.get("branches", [])}
    result = []
    for value in _outcomes(raw).get("decisions") or []:
        branch = branches.get(value, {})
        result.append({"value": value, "label": branch.get("label") or value,
                       "action": branch.get("action") or "next",
                       "goto": branch.get("goto") or raw.get("next_step")})
    return result


def actions_of(step: Step, raw: dict[str, Any]) -> list[str]:
    """What may be done to the step now, as the SOP allows it (the console offers these)."""
    outcomes = _outcomes(raw)
    if step.state == "active":
        allowed = ["complete"]
        allowed += ["return"] if outcomes.get("return_to_applicant") else []
    elif step.state == "waiting_applicant":
        allowed = ["resubmit"]
    else:
        return []
    allowed += ["reject"] if outcomes.get("reject") else []
    return [*allowed, "reassign", "cancel"]


def step_json(step: Step, content: dict[str, Any] | None = None,
              now: dt.datetime | None = None,
              calendar: BusinessCalendar | None = None) -> dict[str, Any]:
    raw = raw_step(content or {}, step.step_key)
    data: dict[str, Any] = {
        "id": step.id, "key": step.step_key, "seq": step.seq, "role": step.role,
        "state": step.state, "state_label": STATE_LABELS.get(step.state, step.state),
        "assignee": step.assignee, "activity": raw.get("activity"),
        # The SOP's Kelengkapan column: what the step is done with, not an applicant checklist.
        "equipment": raw.get("requirements", []), "output_expected": raw.get("output", []),
        "decisions": [d["value"] for d in decisions_of(raw)],
        "decision_options": decisions_of(raw), "actions": actions_of(step, raw),
        "time_standard": step.time_standard, "clock": step.clock,
        "activated_at": iso(step.activated_at), "due_at": iso(step.due_at),
        "finished_at": iso(step.finished_at), "output": step.output,
        "checked_requirements": step.checked, "decision": step.decision, "reason": step.reason,
        "paused": bool(step.pauses and step.pauses[-1][1] is None),
        "delegates": raw.get("delegates") or [],
    }
    if calendar is not None and step.state in ("active", "waiting_applicant"):
        clock = clock_of(step, calendar)
        fraction = clock.fraction(now) if clock else None
        data["sla_fraction"] = round(fraction, 3) if fraction is not None else None
        data["overdue"] = bool(fraction is not None and fraction >= 1.0)
    return data


def _log_json(session: Any, case: Case) -> list[dict[str, Any]]:
    return [
        {"at": iso(e.at), "actor": e.actor, "role": e.actor_role, "action": e.action,
         "step": e.step_key, "from": e.from_state, "to": e.to_state, "note": e.note}
        for e in session.scalars(select(CaseLog).where(CaseLog.case_id == case.id)
                                 .order_by(CaseLog.id))
    ]


def case_json(session: Any, case: Case, *, detail: bool = False,
              now: dt.datetime | None = None) -> dict[str, Any]:
    content = content_of(session, case)
    calendar = business_calendar(session)
    current = current_step(case)
    data: dict[str, Any] = {
        "id": case.id, "tracking_code": case.tracking_code, "sop": case.sop_code,
        "sop_name": content["name"], "sop_version": content.get("version"),
        "sop_hash": case.sop_hash, "channel": case.channel, "status": case.status,
        "status_label": CASE_LABELS.get(case.status, case.status),
        "ticket_id": case.ticket_id, "ticket_number": case.ticket_number,
        "subject": case.subject, "opened_at": iso(case.opened_at),
        "closed_at": iso(case.closed_at),
        "current_step": step_json(current, content, now, calendar) if current else None,
    }
    for step_data in [data["current_step"]] if current else []:
        section = step_section(current, case.sop_code) if current else None
        step_data["section"] = {"code": section[0], "name": section[1]} if section else None
    if detail:
        data["steps"] = [step_json(s, content, now, calendar) for s in case.steps]
        data["log"] = _log_json(session, case)
        data["applicant"] = applicant_for_staff(case.applicant_enc)
        from workflow_service.usecases import handoffs, routing  # they serialise cases too

        data.update(routing.complaint_routing(session, case))
        data["handoffs"] = handoffs.handoffs_json(session, case, calendar, now)
        data["handoff_step"] = handoffs.handoff_step(case)
    return data
