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
    from workflow_service import services

    case = services.get_case(session, case_id)
    step = services.current_step(case)
    assert step is not None
    content = services._content(session, case)
    raw = next(s for s in content["steps"] if str(s["id"]) == step.step_key)
    if action == "complete":
        data.setdefault("output", "selesai")
        data.setdefault("checked_requirements", list(raw.get("requirements") or []))
    services.act(session, case_id, action, OFFICER, data, now=when)


def write(db: Any) -> dict[str, int]:
    """Three cases on Monday 2 November 2026 and one on Wednesday 4 (outside the period).

    e-KTP X: steps 1 (2 min) on time, 2 (3 min) nine minutes: late, 3 and 4 on time.
    e-KTP Y: step 1 returned to the applicant for 30 minutes, resubmitted, done on time
             (the pause moves the due time); step 2 still running past its due time.
    Pengaduan Z by telephone: step 1 on time, then cancelled twenty minutes after opening.
    """
    from workflow_service import services

    day = "2026-11-02"
    ids: dict[str, int] = {}
    with db.session() as session:
        x = services.open_case(session, sop_code="ektp", channel="loket", actor="sistem",
                               now=at(day, "08:00")).case.id
        for hm in ("08:01", "08:10", "08:14", "08:15"):
            _do(session, x, "complete", at(day, hm))
        y = services.open_case(session, sop_code="ektp", channel="loket", actor="sistem",
                               now=at(day, "09:00")).case.id
        _do(session, y, "return", at(day, "09:01"), reason="KK belum dibawa")
        _do(session, y, "resubmit", at(day, "09:31"))
        _do(session, y, "complete", at(day, "09:32"))
        z = services.open_case(session, sop_code="pengaduan", channel="telepon",
                               actor="petugas1", now=at(day, "10:00")).case.id
        _do(session, z, "complete", at(day, "10:10"), decision=_first_decision(session, z))
        _do(session, z, "cancel", at(day, "10:20"), reason="pelapor membatalkan")
        services.open_case(session, sop_code="kk", channel="loket", actor="sistem",
                           now=at("2026-11-04", "08:00"))
        ids.update(x=x, y=y, z=z)
    return ids


def _first_decision(session: Any, case_id: int) -> str | None:
    from workflow_service import services

    case = services.get_case(session, case_id)
    step = services.current_step(case)
    assert step is not None
    content = services._content(session, case)
    raw = next(s for s in content["steps"] if str(s["id"]) == step.step_key)
    decisions = [b["when"] for b in raw.get("branches", []) if b["action"] == "goto"]
    return decisions[0] if decisions else None


def fire_due_escalations(db: Any, when: dt.datetime) -> int:
    """Fire every rung due at ``when``; return how many fired."""
    from workflow_service import services

    fired = 0
    with db.session() as session:
        for escalation_id, _ in services.due_escalations(session, when, dt.timedelta(0)):
            fired += services.fire_escalation(session, escalation_id, now=when) is not None
    return fired
