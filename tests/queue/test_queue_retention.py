"""Retention (issue #17): personal data past LOKET_RETENTION_DAYS is removed by the beat task's
code and `loket retention run`, and the statistics of those days stay as they were."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import select, update

from tests.queue.conftest import VALID_NIK, Hall
from tests.support import wait_until

pytestmark = pytest.mark.integration

OLD = dt.timedelta(days=400)
VISITOR = {"name": "Siti Aminah", "nik": VALID_NIK, "phone": "081234567890", "consent": True}
STAMPS = ("issued_at", "original_issued_at", "called_at", "last_called_at", "serving_at",
          "finished_at", "updated_at")


def _served(hall: Hall, officer: dict[str, str], **body) -> dict:
    ticket = hall.issue("ektp", visitor=VISITOR, **body)
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                              headers=officer)
    assert called.json["id"] == ticket["id"]
    for action in ("start", "finish"):
        assert hall.client.post(f"/api/queue/tickets/{ticket['id']}/{action}",
                                headers=officer).status_code == 200
    return ticket


def _backdate_ticket(db, ticket_id: int) -> dt.date:
    from queue_service.models import Ticket

    with db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        values = {name: getattr(ticket, name) - OLD for name in STAMPS
                  if getattr(ticket, name) is not None}
        values.update(service_day=ticket.service_day - OLD, issued_day=ticket.issued_day - OLD)
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(**values))
        return values["service_day"]  # type: ignore[no-any-return]


def _visitor(db, ticket_id: int):
    from queue_service.models import Ticket

    with db.read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        return ticket.visitor, ticket.details, ticket.status, ticket.finished_at


def _figures(hall: Hall, day: dt.date) -> tuple[dict, str]:
    query = f"from={day}&to={day}"
    camat = hall.staff("camat")
    summary = hall.client.get(f"/api/queue/reports/summary?{query}", headers=camat)
    rows = hall.client.get(f"/api/queue/reports/tickets?{query}&format=csv", headers=camat)
    assert summary.status_code == rows.status_code == 200
    return summary.json, rows.get_data(as_text=True)


def _run(settings, db, dry_run: bool = False) -> dict:
    from loket.composition.retention import run_retention

    return run_retention(settings, db, None, dry_run)


def test_retention_removes_an_old_visitors_nik_and_keeps_the_days_figures(hall: Hall, db,
                                                                          settings) -> None:
    officer = hall.open_counter(2)
    old = _served(hall, officer, details={"keperluan": "Perekaman baru"})
    recent = _served(hall, officer)
    waiting = hall.issue("ektp", visitor=VISITOR)
    day = _backdate_ticket(db, old["id"])
    before = _figures(hall, day)
    assert before[0]["totals"]["issued"] == 1
    today_before = _figures(hall, dt.date.fromisoformat(recent["service_day"]))

    assert _run(settings, db, dry_run=True)["queue"] == {"visitors": 1, "ticket_details": 1}
    assert _visitor(db, old["id"])[0].nik_enc is not None  # a dry run changes nothing

    assert _run(settings, db)["queue"] == {"visitors": 1, "ticket_details": 1}
    visitor, details, status, finished_at = _visitor(db, old["id"])
    assert (visitor.nik_enc, visitor.nik_index, visitor.nik_masked, visitor.name_enc,
            visitor.phone_enc) == (None, None, None, None, None)
    assert details == {} and status == "done" and finished_at is not None
    assert _figures(hall, day) == before
    assert _figures(hall, dt.date.fromisoformat(recent["service_day"])) == today_before
    for kept in (recent, waiting):
        assert _visitor(db, kept["id"])[0].nik_enc is not None
    # Idempotent; and the staff view of the old ticket still works, with nothing to show.
    assert _run(settings, db)["queue"] == {"visitors": 0, "ticket_details": 0}
    shown = hall.client.get(f"/api/queue/tickets/id/{old['id']}", headers=hall.staff("admin"))
    assert shown.status_code == 200 and shown.json["visitor"]["name"] is None


def test_retention_clears_an_old_closed_case_and_keeps_it_counted(hall: Hall, db,
                                                                  settings) -> None:
    from tests.workflow.conftest import token_for
    from workflow_service.app import create_app
    from workflow_service.models import Case

    wf = create_app(settings).test_client()
    petugas = {"Authorization": f"Bearer {token_for('petugas')}"}
    opened = [wf.post("/cases", json={"sop": "rekomendasi", "channel": "langsung",
                                      "subject": "Izin keramaian", "applicant": {
                                          "name": "Budi Santoso", "nik": VALID_NIK}},
                      headers=petugas).json for _ in range(2)]
    for case in opened:
        assert wf.post(f"/cases/{case['id']}/steps/current/cancel",
                       json={"reason": "Pemohon membatalkan"},
                       headers={"Authorization": f"Bearer {token_for('kasi')}"}
                       ).status_code == 200
    with db.session() as session:
        case = session.get(Case, opened[0]["id"])
        case.opened_at, case.closed_at = case.opened_at - OLD, case.closed_at - OLD
    cleared = _run(settings, db)["workflow"]
    assert cleared["cases"] == 1 and cleared["steps"] >= 1
    with db.read_session() as session:
        old, recent = (session.get(Case, c["id"]) for c in opened)
        assert old.applicant_enc is None and old.subject is None and old.status == "cancelled"
        assert recent.applicant_enc is not None and recent.subject == "Izin keramaian"
        assert len(session.scalars(select(Case)).all()) == 2
    assert _run(settings, db)["workflow"]["cases"] == 0


def test_the_retention_command_counts_then_clears(hall: Hall, db, settings) -> None:
    officer = hall.open_counter(2)
    ticket = _served(hall, officer)
    _backdate_ticket(db, ticket["id"])

    def loket(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "loket", *args], capture_output=True,
                              text=True, timeout=120, env=dict(os.environ))

    dry = loket("retention", "run", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would clear" in dry.stdout and '"visitors": 1' in dry.stdout
    assert _visitor(db, ticket["id"])[0].nik_enc is not None
    done = loket("retention", "run")
    assert done.returncode == 0 and '"visitors": 1' in done.stdout, done.stderr
    assert _visitor(db, ticket["id"])[0].nik_enc is None


def test_the_beat_schedule_runs_retention(settings) -> None:
    from loket.composition.registry import TASK_MODULES, beat_schedule

    assert beat_schedule()["retention"]["task"] == "loket.retention"
    assert "loket.composition.retention" in TASK_MODULES
    assert settings.retention_days == 365


def test_a_real_worker_runs_the_retention_task(celery_worker, hall: Hall, db) -> None:
    from tests.conftest import celery_client

    officer = hall.open_counter(2)
    ticket = _served(hall, officer)
    _backdate_ticket(db, ticket["id"])
    celery_client().send_task("loket.retention")
    wait_until(lambda: _visitor(db, ticket["id"])[0].nik_enc is None, timeout=30,
               message="the worker to clear the old visitor")
    assert _visitor(db, ticket["id"])[0].nik_masked is None
