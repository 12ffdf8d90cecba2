"""Local service days: numbers restart at midnight WIB, not at the UTC date line; end of day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select, update

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_sequences_restart_at_local_midnight_wib(hall: Hall) -> None:
    with time_machine.travel(at(2026, 11, 28, 16, 59), tick=False):  # 23:59 WIB
        assert hall.issue("ektp")["number"] == "C001"
        assert hall.issue("ektp")["number"] == "C002"
    with time_machine.travel(at(2026, 11, 28, 17, 1), tick=False):  # 00:01 WIB, next day
        fresh = hall.issue("ektp")
        assert fresh["number"] == "C001"
        assert fresh["service_day"] == "2026-11-29"
        assert fresh["position"] == 1  # yesterday's tickets are not ahead of today's


def test_the_utc_date_line_does_not_reset_numbers(hall: Hall) -> None:
    with time_machine.travel(at(2026, 11, 28, 23, 59), tick=False):  # 06:59 WIB
        assert hall.issue("kk")["number"] == "D001"
    with time_machine.travel(at(2026, 11, 29, 0, 0), tick=False):  # 07:00 WIB = 00:00 UTC
        ticket = hall.issue("kk")
        assert ticket["number"] == "D002"
        assert ticket["service_day"] == "2026-11-29"


def test_end_of_day_closes_leftovers_of_the_previous_local_day(hall: Hall, db) -> None:
    from loket.events import Event
    from queue_service.models import Ticket
    from queue_service.tasks import end_of_day

    with time_machine.travel(at(2026, 11, 28, 8, 0), tick=False):  # 15:00 WIB
        left = hall.issue("ektp")
        headers = hall.open_counter(2)
        called = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                                  headers=headers).json
        hall.issue("ektp")
        with hall.app.app_context():
            assert end_of_day() == {"closed": 0, "carried_over": 0}  # same day: nothing
    with time_machine.travel(at(2026, 11, 28, 17, 5), tick=False):  # 00:05 WIB
        today_ticket = hall.issue("ektp")
        with hall.app.app_context():
            assert end_of_day() == {"closed": 2, "carried_over": 0}
            assert end_of_day() == {"closed": 0, "carried_over": 0}  # safe to repeat
        status = hall.client.get(f"/api/queue/tickets/{left['tracking_code']}").json
        assert status["status"] == "closed"
    with db.session() as session:
        statuses = dict(session.execute(select(Ticket.id, Ticket.status)).all())
        closed_events = session.scalars(select(Event).where(Event.type == "ticket.closed")).all()
    assert statuses[called["id"]] == "closed"
    assert statuses[today_ticket["id"]] == "waiting"
    assert len(closed_events) == 2
    board = hall.client.get("/api/queue/board").json
    assert next(c for c in board["counters"] if c["number"] == 2)["current"] is None


def test_end_of_day_carry_over_keeps_the_place_in_line(hall: Hall, db) -> None:
    from queue_service.models import Office
    from queue_service.tasks import end_of_day

    with db.session() as session:
        session.execute(update(Office).values(end_of_day_policy="carry_over"))
    with time_machine.travel(at(2026, 11, 28, 9, 0), tick=False):
        old = hall.issue("kk")
    with time_machine.travel(at(2026, 11, 29, 1, 0), tick=False):  # 08:00 WIB next day
        new = hall.issue("kk")
        assert new["number"] == "D001"
        with hall.app.app_context():
            assert end_of_day() == {"closed": 0, "carried_over": 1}
        headers = hall.open_counter(2)
        first = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                                 headers=headers).json
        assert first["id"] == old["id"] and first["number"] == "D001"
        assert first["service_day"] == "2026-11-29"


def test_worker_registers_and_runs_the_end_of_day_task(settings, hall: Hall) -> None:
    from loket.celery_app import create_worker_app

    worker = create_worker_app(settings)
    celery = worker.extensions["celery"]
    assert "queue.end_of_day" in celery.tasks
    with time_machine.travel(at(2026, 11, 28, 8, 0), tick=False):
        hall.issue("rekomendasi")
    with time_machine.travel(at(2026, 11, 29, 8, 0), tick=False):
        result = celery.tasks["queue.end_of_day"].apply()
    assert result.get() == {"closed": 1, "carried_over": 0}
