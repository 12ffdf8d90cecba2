"""A small fixed history of cases, walked through the real workflow use cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from loket.auth import Principal
from tests.reports.history import local

OFFICER = Principal(kind="staff", id=1, username="petugas1",
                    roles=frozenset({"petugas", "kasi", "operator", "sekcam", "camat"}))


def at(day: str, hm: str) -> dt.datetime:
    value = local(day, hm)
    assert value is not None
    return value


def _do(session: Any, case_id: int, action: str, when: dt.datetime, **data: Any) -> None:
    from workflow_service.usecases import steps
    from workflow_service.usecases.actions import act_in
    from workflow_service.usecases.context import session_work
    from workflow_service.validation import parse_action

    case = steps.get_case(session, case_id)
    step = steps.current_step(case)
    assert step is not None
    raw = steps.raw_step(steps.content_of(session, case), step.step_key)
    decisions = (raw.get("outcomes") or {}).get("decisions") or []
    if action == "complete":
        data.setdefault("output", "selesai")
        if decisions:
            data.setdefault("decision", decisions[0])
    with session_work(session) as uow:
        act_in(uow, case_id, action, OFFICER, parse_action(data), now=when)


def _open(session: Any, sop: str, channel: str, actor: str, when: dt.datetime) -> int:
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case

    with session_work(session) as uow:
        return open_case(uow, sop_code=sop, channel=channel, actor=actor, now=when).case.id


def write(db: Any) -> dict[str, int]:
    """Three cases on Monday 2 November 2026 and one on Wednesday 4 (outside the period).

    e-KTP X: steps 1 (2 min) on time, 2 (3 min) nine minutes: late, 3 and 4 on time.
    e-KTP Y: step 1 returned to the applicant for 30 minutes, resubmitted, done on time
             (the pause moves the due time); step 2 still running past its due time.
    Pengaduan Z by telephone: step 1 on time, then cancelled twenty minutes after opening.
    """
    day = "2026-11-02"
    ids: dict[str, int] = {}
    with db.session() as session:
        x = _open(session, "ektp", "loket", "sistem", at(day, "08:00"))
        for hm in ("08:01", "08:10", "08:14", "08:15"):
            _do(session, x, "complete", at(day, hm))
        y = _open(session, "ektp", "loket", "sistem", at(day, "09:00"))
        _do(session, y, "return", at(day, "09:01"), reason="KK belum dibawa")
        _do(session, y, "resubmit", at(day, "09:31"))
        _do(session, y, "complete", at(day, "09:32"))
        z = _open(session, "pengaduan", "telepon", "petugas1", at(day, "10:00"))
        _do(session, z, "complete", at(day, "10:10"))
        _do(session, z, "cancel", at(day, "10:20"), reason="pelapor membatalkan")
        _open(session, "kk", "loket", "sistem", at("2026-11-04", "08:00"))
        ids.update(x=x, y=y, z=z)
    return ids


def fire_due_escalations(db: Any, when: dt.datetime) -> int:
    """Fire every rung due at ``when``; return how many fired."""
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.escalations import due_escalations, fire_escalation

    fired = 0
    with db.session() as session:
        for escalation_id, _ in due_escalations(session, when, dt.timedelta(0)):
            with session_work(session) as uow:
                fired += bool(fire_escalation(uow, escalation_id, now=when))
    return fired
