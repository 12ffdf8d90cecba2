"""A served SOP ticket always gets its case: the task retries, the sweep reconciles, and a
ticket transferred to a second SOP service opens that service's case. Real Celery workers, the
real Redis broker, the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import func, select, text

from tests.conftest import WorkerProcess, celery_client
from tests.queue.conftest import Hall, mounted
from tests.support import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def queue_hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    return Hall(app=mounted(create_app(settings)), demo=seed_demo(settings))


def serve(hall: Hall, service: str, counter: int = 2) -> dict:
    """Issue a ticket, call it to ``counter`` and start serving it (``ticket.serving``)."""
    ticket = hall.issue(service)
    officer = hall.open_counter(counter)
    q = hall.client
    called = q.post(f"/api/queue/counters/{hall.counter_id(counter)}/call-next", headers=officer)
    assert called.status_code == 200 and called.json["id"] == ticket["id"], called.json
    started = q.post(f"/api/queue/tickets/{ticket['id']}/start", headers=officer)
    assert started.status_code == 200, started.json
    return ticket


def cases_of(db, ticket_id: int) -> list[tuple[int, str]]:
    from workflow_service.models import Case

    with db.read_session() as session:
        return [tuple(row) for row in session.execute(select(Case.id, Case.sop_code)
                                    .where(Case.ticket_id == ticket_id)
                                    .order_by(Case.id))]


def drop_queued_messages(db, redis_client) -> None:
    """What a restart of the embedded broker does: the queued task messages are gone. The
    events are already marked published, so the relay will not hand them on again."""
    from loket import events

    assert events.Publisher.wait_all_idle(10)
    with db.read_session() as session:
        unpublished = session.scalar(select(func.count()).select_from(events.Event)
                                     .where(events.Event.published_at.is_(None)))
    assert unpublished == 0
    assert redis_client.llen("loket") > 0  # the on_queue_event messages were queued ...
    redis_client.flushdb()                  # ... and are lost


def test_the_sweep_runs_on_beat_at_least_every_minute():
    from loket.composition.registry import beat_schedule

    entry = next(e for e in beat_schedule().values() if e["task"] == "workflow.sweep_cases")
    assert entry["schedule"] <= 60


def test_a_served_ektp_ticket_whose_event_was_lost_gets_its_case_from_the_sweep(
        queue_hall, db, redis_client, repo_root, tmp_path):
    ticket = serve(queue_hall, "ektp")
    drop_queued_messages(db, redis_client)
    worker = WorkerProcess(repo_root, tmp_path / "worker.log")
    worker.start()
    try:
        time.sleep(1.0)
        assert cases_of(db, ticket["id"]) == []  # nothing else will ever open it ...
        time.sleep(5.5)  # ... the sweep leaves events younger than its grace to the task
        celery_client().send_task("workflow.sweep_cases")
        found = wait_until(lambda: cases_of(db, ticket["id"]), timeout=30,
                           message="the sweep to open the missing case")
    finally:
        worker.stop()
    assert [sop for _, sop in found] == ["ektp"]


def test_a_served_ektp_ticket_whose_first_task_fails_gets_its_case_by_retry(
        celery_worker, queue_hall, db):
    """The first run meets a real database failure (the case table is away); the task retries
    with back-off and opens the case once the table is back. No sweep runs here."""
    rename = "ALTER TABLE {} RENAME TO {}"
    with db.engine.begin() as conn:
        conn.execute(text(rename.format("wf_case", "wf_case_away")))
    try:
        ticket = serve(queue_hall, "ektp")
        wait_until(lambda: "Retry in" in celery_worker.log.read_text(), timeout=30,
                   message="the task to fail and be retried")
    finally:
        with db.engine.begin() as conn:
            conn.execute(text(rename.format("wf_case_away", "wf_case")))
    found = wait_until(lambda: cases_of(db, ticket["id"]), timeout=60,
                       message="a retry to open the case")
    assert [sop for _, sop in found] == ["ektp"]
    log = celery_worker.log.read_text()
    assert "workflow.on_queue_event" in log and "Retry in" in log


def test_two_concurrent_sweeps_open_each_missing_case_once(queue_hall, db, redis_client,
                                                          settings):
    from workflow_service.usecases import case_sweep

    tickets = [serve(queue_hall, "ektp"), serve(queue_hall, "kk", counter=3),
               serve(queue_hall, "ektp", counter=4)]
    drop_queued_messages(db, redis_client)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10)  # past the grace
    start = threading.Barrier(2)
    created: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(5)
            created.append(case_sweep.sweep(db, None, settings, now=later))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(created) == 3
    assert [[sop for _, sop in cases_of(db, t["id"])] for t in tickets] == \
        [["ektp"], ["kk"], ["ektp"]]
    assert case_sweep.sweep(db, None, settings, now=later) == 0  # and a third run: nothing


def test_a_ticket_transferred_from_kk_to_ektp_and_served_again_opens_an_ektp_case(
        celery_worker, queue_hall, db):
    ticket = serve(queue_hall, "kk")
    first = wait_until(lambda: cases_of(db, ticket["id"]), timeout=30,
                       message="the KK case")
    assert [sop for _, sop in first] == ["kk"]
    officer = queue_hall.staff("petugas2")
    q = queue_hall.client
    moved = q.post(f"/api/queue/tickets/{ticket['id']}/transfer", json={"service": "ektp"},
                   headers=officer)
    assert moved.status_code == 200 and moved.json["service"] == "ektp", moved.json
    called = q.post(f"/api/queue/counters/{queue_hall.counter_id(2)}/call-next",
                    headers=officer)
    assert called.status_code == 200 and called.json["id"] == ticket["id"]
    assert q.post(f"/api/queue/tickets/{ticket['id']}/start",
                  headers=officer).status_code == 200
    both = wait_until(lambda: len(cases_of(db, ticket["id"])) == 2 and cases_of(db, ticket["id"]),
                      timeout=30, message="the e-KTP case")
    assert [sop for _, sop in both] == ["kk", "ektp"]
    assert both[0][0] == first[0][0] and both[1][0] != first[0][0]
