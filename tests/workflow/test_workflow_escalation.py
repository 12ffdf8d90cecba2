"""SLA escalation with a real Celery worker on the real Redis: detected, idempotent, durable."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from loket import events
from tests.conftest import WorkerProcess, celery_client
from tests.support import wait_until
from workflow_service.models import Escalation, Notification
from workflow_service.usecases import escalations, opening, serializers, steps
from workflow_service.usecases.context import business_calendar, session_work

pytestmark = pytest.mark.integration


def backdated_case(db, sop="ektp", days=10):
    """A case whose first step started on a working morning ``days`` ago: every rung is due."""
    with db.session() as session, session_work(session) as uow:
        calendar = business_calendar(session)
        start = calendar.next_working_instant(dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        opened = opening.open_case(uow, sop_code=sop, channel="langsung", actor="uji",
                                   now=start)
        return opened.case.id


def escalation_ids(db, case_id):
    with db.session() as session:
        case = steps.get_case(session, case_id)
        step_ids = [s.id for s in case.steps]
        return list(session.scalars(select(Escalation.id).where(Escalation.step_id.in_(step_ids))
                                    .order_by(Escalation.id)))


def sla_events(db):
    with db.session() as session:
        rows = session.scalars(select(events.Event).where(events.Event.type.like("sla.%")))
        return Counter((e.payload["step"]["id"], e.payload["level"]) for e in rows)


def fired_count(db):
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Escalation)
                              .where(Escalation.fired_at.is_not(None)))


def test_a_step_gets_reminder_breach_and_escalation_rungs_with_the_right_targets(db):
    case_id = backdated_case(db, "ektp")
    with db.session() as session:
        rows = session.scalars(select(Escalation).order_by(Escalation.id)).all()
        assert [(r.level, r.target_roles) for r in rows] == [
            ("reminder", ["petugas"]), ("breach", ["kasi"]), ("escalation", ["camat"])]
        case = steps.get_case(session, case_id)
        step = case.steps[0]
        assert rows[1].due_at == step.due_at  # breach at 100 % of the standard


def test_firing_the_same_escalation_twice_gives_one(db):
    case_id = backdated_case(db)
    first, *_ = escalation_ids(db, case_id)
    with db.session() as session, session_work(session) as uow:
        assert escalations.fire_escalation(uow, first)
    with db.session() as session, session_work(session) as uow:
        assert not escalations.fire_escalation(uow, first)
    assert sum(sla_events(db).values()) == 1


def test_real_worker_detects_a_breach_and_escalates(celery_worker, db, redis_client):
    case_id = backdated_case(db)
    client = celery_client()
    client.send_task("workflow.sweep_deadlines")
    wait_until(lambda: fired_count(db) == 3, timeout=30, message="three rungs to fire")
    counted = sla_events(db)
    assert sorted(level for _, level in counted) == ["breach", "escalation", "reminder"]
    assert set(counted.values()) == {1}
    with db.session() as session:
        log = serializers.case_json(session, steps.get_case(session, case_id),
                                     detail=True)["log"]
    assert sorted(e["action"] for e in log if e["action"].startswith("sla_")) == [
        "sla_breach", "sla_escalation", "sla_reminder"]


def test_the_same_task_delivered_twice_escalates_once(celery_worker, db, redis_client):
    case_id = backdated_case(db)
    breach = escalation_ids(db, case_id)[1]
    client = celery_client()
    client.send_task("workflow.fire_escalation", args=[breach])
    client.send_task("workflow.fire_escalation", args=[breach])
    wait_until(lambda: fired_count(db) == 1, timeout=20, message="the breach to fire")
    # Give the second delivery time to run; it must change nothing.
    client.send_task("workflow.fire_escalation", args=[breach])
    wait_until(lambda: redis_client.llen("loket") == 0, timeout=10, message="queue drained")
    import time

    time.sleep(1.0)
    assert sla_events(db) == Counter({(sla_step(db, case_id), "breach"): 1})


def sla_step(db, case_id):
    with db.session() as session:
        return steps.get_case(session, case_id).steps[0].id


def test_killing_the_worker_mid_sweep_loses_nothing_and_duplicates_nothing(
        settings, schema, db, redis_client, repo_root, tmp_path):
    case_ids = [backdated_case(db) for _ in range(25)]
    total = 3 * len(case_ids)
    env = {"LOKET_ESCALATION_RETRY_SECONDS": "2"}
    first = WorkerProcess(repo_root, tmp_path / "worker-1.log", env)
    first.start()
    client = celery_client()
    client.send_task("workflow.sweep_deadlines")
    wait_until(lambda: fired_count(db) >= 1, timeout=30, message="the first rung to fire")
    first.kill()  # SIGKILL: main process and pool, mid-work
    fired_before_restart = fired_count(db)

    second = WorkerProcess(repo_root, tmp_path / "worker-2.log", env)
    second.start()
    try:
        def all_fired() -> bool:
            client.send_task("workflow.sweep_deadlines")  # what beat does every 30 s
            return fired_count(db) == total

        wait_until(all_fired, timeout=90, interval=2.5, message=f"all {total} rungs to fire")
    finally:
        second.stop()
    counted = sla_events(db)
    assert len(counted) == total and set(counted.values()) == {1}
    assert fired_before_restart <= total


class Webhook(http.server.BaseHTTPRequestHandler):
    status = 500
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Webhook.received.append(json.loads(body))
        self.send_response(Webhook.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook(settings):
    from loket import settings as settings_module

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Webhook.received = []
    Webhook.status = 500
    os.environ["LOKET_NOTIFY_WEBHOOK_URL"] = f"http://127.0.0.1:{server.server_port}/hook"
    settings_module.get_settings.cache_clear()
    yield Webhook
    del os.environ["LOKET_NOTIFY_WEBHOOK_URL"]
    settings_module.get_settings.cache_clear()
    server.shutdown()


def test_failing_notifications_are_retried_then_parked_and_an_admin_can_retry(db, webhook,
                                                                              settings):
    from loket.settings import get_settings
    from workflow_service.notify import deliver_due, retry_incident

    case_id = backdated_case(db)
    breach = escalation_ids(db, case_id)[1]
    with db.session() as session, session_work(session) as uow:
        escalations.fire_escalation(uow, breach)
    now = dt.datetime.now(dt.UTC)
    attempts = get_settings().notify_max_attempts
    for i in range(attempts):
        counts = deliver_due(db.session, now=now + dt.timedelta(hours=i + 1))
        assert counts["sent"] == 0
    assert len(webhook.received) == attempts
    assert webhook.received[0]["role"] == "kasi"
    assert "Melewati batas waktu" in webhook.received[0]["subject"]
    with db.session() as session:
        item = session.scalars(select(Notification)).one()
        assert item.status == "parked" and "500" in (item.last_error or "")
        retry_incident(session, item.id)
    webhook.status = 200
    assert deliver_due(db.session, now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)) == {
        "sent": 1, "failed": 0, "parked": 0}
    with db.session() as session:
        assert session.scalars(select(Notification)).one().status == "sent"
