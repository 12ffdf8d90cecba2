"""Issuing reads the line's length from counts the database keeps (queue_line, by triggers):
the counts follow every transition, and the people ahead still follow the calling rules."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from tests.queue.conftest import Hall
from tests.queue.test_queue_calling_sql import DAY, NOW, _random_line

pytestmark = pytest.mark.integration


def _counts_match(db) -> dict:
    from sqlalchemy import case, func, select

    from queue_service.line_state import QueueLine
    from queue_service.models import Ticket

    kind = case((Ticket.is_returning.is_(True), "R"), (Ticket.priority.is_not(None), "P"),
                else_="N")
    with db.read_session() as session:
        real = {(s, str(d), k): n for s, d, k, n in session.execute(
            select(Ticket.service_id, Ticket.service_day, kind, func.count())
            .where(Ticket.status == "waiting")
            .group_by(Ticket.service_id, Ticket.service_day, kind))}
        kept = {(r.service_id, str(r.service_day), r.kind): r.waiting
                for r in session.scalars(select(QueueLine)) if r.waiting}
    assert kept == real
    return kept


@pytest.mark.parametrize("seed", [1, 2])
def test_issuing_counts_who_is_ahead_as_the_rules_do(hall: Hall, db, seed: int) -> None:
    from queue_service.domain import calling
    from queue_service.models import Service, ServiceSequence

    with db.session() as session:
        service_id = session.query(Service.id).filter(Service.code == "ektp").scalar()
    line = _random_line(db, service_id, random.Random(seed), 40)
    with db.session() as session:  # the numbers 1-40 are taken: issuing goes on from 41
        session.add(ServiceSequence(service_id=service_id, service_day=DAY, last=40))
    _counts_match(db)
    with time_machine.travel(NOW, tick=False):
        for priority in (None, "lansia", None):
            issued = hall.issue("ektp", priority=priority)
            line.append(calling.Candidate(id=issued["id"], service="ektp", priority=priority,
                                          waiting_since=NOW, returning=False))
            ordered = calling.order_candidates(line, NOW, dt.timedelta(minutes=30))
            place = [c.id for c in ordered].index(issued["id"])
            assert issued["people_ahead"] == place, (priority, issued["people_ahead"], place)
            assert issued["position"] == place + 1
    assert DAY.isoformat() in str(_counts_match(db))


def test_line_counts_follow_every_transition(hall: Hall, db) -> None:
    tickets = [hall.issue("penerimaan-tamu", priority=p)["id"] for p in (None, "lansia", None)]
    hall.issue("ektp")
    _counts_match(db)
    headers = hall.open_counter(1)
    first = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next",
                             headers=headers).json["id"]
    _counts_match(db)
    for action, body in (("start", None),
                         ("transfer", {"service": "pengaduan", "return_after": True}),
                         ("cancel", None)):
        resp = hall.client.post(f"/api/queue/tickets/{first}/{action}", json=body,
                                headers=headers)
        assert resp.status_code == 200, (action, resp.json)
        _counts_match(db)
    second = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next",
                              headers=headers).json["id"]
    for action in ("hold", "resume", "cancel"):
        resp = hall.client.post(f"/api/queue/tickets/{second}/{action}", headers=headers)
        assert resp.status_code == 200, (action, resp.json)
        _counts_match(db)
    assert second in tickets
    kept = _counts_match(db)
    assert sum(kept.values()) == 2  # one penerimaan-tamu and the e-KTP ticket still wait
