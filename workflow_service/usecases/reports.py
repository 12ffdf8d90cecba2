"""SOP compliance of a period: per SOP and step, on time and late against the mutu baku.

A step belongs to the period in which it was activated (office days in the office's zone). Of those:

- ``cases``: distinct cases that reached the step; ``finished``: the step is done;
- ``on_time``: done no later than its due instant (``due_at`` already moves with pauses, so
  time with the applicant does not count against the office); a step without a time standard
  ("seperlunya") is on time when done;
- ``late``: done after its due instant, or still active past it (not while the file is back
  with the applicant: the clock stands still then);
- ``on_time_share``: on_time / (on_time + late), null when neither;
- ``escalations``: rungs fired (reminder, breach, escalation to the Camat);
- ``paused_minutes``: total time the file was back with the applicant.

Complaints (SOP ``pengaduan``) are also counted per channel, with the median days to close.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket import periods
from sop import roles
from workflow_service.models import Case, Escalation, Step
from workflow_service.usecases import report_complaints
from workflow_service.usecases.context import WorkflowContext, office_timezone

# sop/data/roles.yaml (reads_reports: Sekcam, Camat); admin, a system role, always passes.
REPORT_ROLES = roles.report_roles()
MAX_RANGE_DAYS = 366
COMPLAINT_SOP = "pengaduan"


def parse_period(raw_from: str | None, raw_to: str | None,
                 now: dt.datetime) -> tuple[dt.date, dt.date]:
    today = now.astimezone(ZoneInfo(office_timezone())).date()
    return periods.parse_period(raw_from, raw_to, today, MAX_RANGE_DAYS)


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(office_timezone())
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    return start, end


def paused_minutes(pauses: list[list[str | None]], now: dt.datetime) -> float:
    total = 0.0
    for begin, end in pauses or []:
        if begin is None:
            continue
        stop = dt.datetime.fromisoformat(end) if end else now
        total += max(0.0, (stop - dt.datetime.fromisoformat(begin)).total_seconds() / 60.0)
    return total


def _step_names() -> dict[tuple[str, str], str]:
    from workflow_service.usecases.context import catalog

    return {(sop.code, step.id): step.activity for sop in catalog() for step in sop.steps}


def _sop_names() -> dict[str, str]:
    from workflow_service.usecases.context import catalog

    return {sop.code: sop.name for sop in catalog()}


def _judge(state: str, finished: dt.datetime | None, due: dt.datetime | None,
           now: dt.datetime) -> str | None:
    """'on_time', 'late' or None (still running within its time, or stopped)."""
    if state == "done" and finished is not None:
        return "late" if due is not None and finished > due else "on_time"
    # While the file is back with the applicant the clock stands still: not the office's delay.
    if state == "active" and due is not None and now > due:
        return "late"
    return None


def _step_rows(session: Session, start: dt.datetime, end: dt.datetime) -> list[Any]:
    fired = (select(Escalation.step_id, func.count().label("n"))
             .where(Escalation.fired_at.is_not(None)).group_by(Escalation.step_id).subquery())
    query = (select(Case.sop_code, Step.step_key, Step.seq, Step.case_id, Step.state,
                    Step.finished_at, Step.due_at, Step.pauses, Step.time_standard,
                    func.coalesce(fired.c.n, 0))
             .join(Case, Case.id == Step.case_id)
             .outerjoin(fired, fired.c.step_id == Step.id)
             .where(Step.activated_at >= start, Step.activated_at < end))
    return list(session.execute(query))


def compliance(session: Session, first: dt.date, last: dt.date,
               now: dt.datetime | None = None) -> dict[str, Any]:
    """Per SOP and step: cases, finished, on_time, late, on_time_share, escalations, pauses."""
    now = now or dt.datetime.now(dt.UTC)
    start, end = _bounds(first, last)
    names, sop_names = _step_names(), _sop_names()
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    order: dict[tuple[str, str], int] = {}
    for sop, key, seq, case_id, state, finished, due, pauses, standard, fired in \
            _step_rows(session, start, end):
        cell = cells.setdefault((sop, key), {
            "sop": sop, "step": key, "activity": names.get((sop, key), key),
            "time_standard": standard, "case_ids": set(), "finished": 0, "on_time": 0,
            "late": 0, "escalations": 0, "paused_minutes": 0.0})
        order[(sop, key)] = min(order.get((sop, key), seq), seq)
        cell["case_ids"].add(case_id)
        cell["finished"] += state == "done"
        verdict = _judge(state, finished, due, now)
        if verdict:
            cell[verdict] += 1
        cell["escalations"] += int(fired)
        cell["paused_minutes"] += paused_minutes(pauses, now)
    steps = []
    for k in sorted(cells, key=lambda k: (k[0], order[k])):
        cell = cells[k]
        judged = cell["on_time"] + cell["late"]
        steps.append({**{n: v for n, v in cell.items() if n != "case_ids"},
                      "cases": len(cell["case_ids"]),
                      "paused_minutes": round(cell["paused_minutes"], 1),
                      "on_time_share": round(cell["on_time"] / judged, 4) if judged else None})
    return {"from": first.isoformat(), "to": last.isoformat(), "timezone": office_timezone(),
            "steps": steps, "sops": _per_sop(session, start, end, steps, sop_names),
            "complaints": complaints(session, start, end),
            "complaint_categories": report_complaints.by_category(session, start, end)}


def _per_sop(session: Session, start: dt.datetime, end: dt.datetime,
             steps: list[dict[str, Any]], sop_names: dict[str, str]) -> list[dict[str, Any]]:
    opened: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = session.execute(select(Case.sop_code, Case.status, func.count())
                           .where(Case.opened_at >= start, Case.opened_at < end)
                           .group_by(Case.sop_code, Case.status))
    for sop, status, count in rows:
        opened[sop]["opened"] += int(count)
        opened[sop][status] += int(count)
    result = []
    for sop in sorted(set(opened) | {s["sop"] for s in steps}):
        mine = [s for s in steps if s["sop"] == sop]
        on_time = sum(s["on_time"] for s in mine)
        late = sum(s["late"] for s in mine)
        result.append({"sop": sop, "name": sop_names.get(sop, sop),
                       "opened": opened[sop]["opened"], "finished": opened[sop]["done"],
                       "rejected": opened[sop]["rejected"], "open": opened[sop]["open"],
                       "on_time": on_time, "late": late,
                       "on_time_share": round(on_time / (on_time + late), 4)
                       if on_time + late else None,
                       "escalations": sum(s["escalations"] for s in mine)})
    return result


def complaints(session: Session, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Complaints opened in the period per channel: how many, closed, median days to close."""
    rows = session.execute(select(Case.channel, Case.opened_at, Case.closed_at)
                           .where(Case.sop_code == COMPLAINT_SOP, Case.opened_at >= start,
                                  Case.opened_at < end))
    by_channel: dict[str, list[float | None]] = defaultdict(list)
    for channel, opened, closed in rows:
        by_channel[channel].append((closed - opened).total_seconds() / 86400 if closed else None)
    result = []
    for channel, values in sorted(by_channel.items()):
        done = [v for v in values if v is not None]
        result.append({"channel": channel, "count": len(values), "closed": len(done),
                       "median_days_to_close": round(statistics.median(done), 2)
                       if done else None})
    return result


def live(session: Session, now: dt.datetime | None = None) -> dict[str, Any]:
    """Right now, counted by the database: open cases, those past their step's due time, and
    cases finished today, per SOP (the dashboard's live figures; no list is capped)."""
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(ZoneInfo(office_timezone())).date()
    start, end = _bounds(today, today)
    rows: dict[str, dict[str, Any]] = {
        code: {"sop": code, "name": name, "open": 0, "overdue": 0, "done_today": 0}
        for code, name in _sop_names().items()}

    def add(key: str, query: Any) -> None:
        for sop, count in session.execute(query):
            rows.setdefault(sop, {"sop": sop, "name": sop, "open": 0, "overdue": 0,
                                  "done_today": 0})[key] = int(count)

    add("open", select(Case.sop_code, func.count()).where(Case.status == "open")
        .group_by(Case.sop_code))
    add("overdue", select(Case.sop_code, func.count())
        .join(Step, Step.id == Case.current_step_id)
        .where(Case.status == "open", Step.state == "active", Step.due_at < now)
        .group_by(Case.sop_code))
    add("done_today", select(Case.sop_code, func.count())
        .where(Case.status == "done", Case.closed_at >= start, Case.closed_at < end)
        .group_by(Case.sop_code))
    sops = sorted(rows.values(), key=lambda r: r["sop"])
    totals = {k: sum(r[k] for r in sops) for k in ("open", "overdue", "done_today")}
    return {"at": now.isoformat(), "date": today.isoformat(), "totals": totals, "sops": sops}


def compliance_of(ctx: WorkflowContext, first: dt.date, last: dt.date) -> dict[str, Any]:
    """:func:`compliance` in a read session of the service."""
    with ctx.db.read_session() as session:
        return compliance(session, first, last)


def live_now(ctx: WorkflowContext) -> dict[str, Any]:
    """:func:`live` in a read session of the service."""
    with ctx.db.read_session() as session:
        return live(session)
