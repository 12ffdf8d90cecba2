"""The database applies the calling rules exactly as the domain function does.

Issuing counts the people ahead with one SQL COUNT and call-next takes the head of the line with
one ORDER BY … LIMIT 1; both must agree with ``calling.order_candidates`` (the rules written in
plain Python) for any mix of returning, overdue, priority and regular tickets.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
DAY = dt.date(2026, 11, 30)


def _random_line(db, service_id: int, rng: random.Random, size: int) -> list:
    from queue_service.domain import calling
    from queue_service.models import Ticket

    candidates = []
    with db.session() as session:
        for seq in range(1, size + 1):
            # Around the 30-minute maximum wait, with ties in the issue time now and then.
            since = NOW - dt.timedelta(minutes=rng.choice([1, 5, 29, 30, 31, 45, 90]),
                                       seconds=rng.choice([0, 0, 17]))
            priority = rng.choice([None, None, None, "lansia", "disabilitas", "ibu_hamil"])
            returning = rng.random() < 0.1
            ticket = Ticket(number=f"C{seq:03d}", issued_service_id=service_id, issued_day=DAY,
                            seq=seq, service_id=service_id, service_day=DAY, status="waiting",
                            priority=priority, is_returning=returning,
                            tracking_code=f"T{rng.randrange(10**7):07d}", details={},
                            recalls=0, issued_at=since, original_issued_at=since,
                            updated_at=since)
            session.add(ticket)
            session.flush()
            candidates.append(calling.Candidate(id=ticket.id, service="ektp", priority=priority,
                                                waiting_since=since, returning=returning))
    return calling.order_candidates(candidates, NOW, dt.timedelta(minutes=30))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_people_ahead_and_call_order_match_the_domain_rules(hall: Hall, db, seed: int) -> None:
    from queue_service.models import Service
    from queue_service.usecases import queries

    with db.session() as session:
        service_id = session.query(Service.id).filter(Service.code == "ektp").scalar()
    expected = _random_line(db, service_id, random.Random(seed), 40)
    with db.read_session() as session:
        for place, candidate in enumerate(expected):
            ahead = queries.people_ahead(
                session, service_id, DAY, candidate.id, candidate.priority, candidate.returning,
                candidate.waiting_since, NOW, dt.timedelta(minutes=30))
            assert ahead == place, f"ticket {candidate.id}: {ahead} ahead, rules say {place}"
    with time_machine.travel(NOW, tick=False):
        headers = hall.open_counter(2)  # loket 2 serves e-KTP
        called = []
        for _ in expected:
            resp = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                                    headers=headers)
            assert resp.status_code == 200, resp.json
            called.append(resp.json["id"])
            done = hall.client.post(f"/api/queue/tickets/{resp.json['id']}/no-show",
                                    headers=headers)
            assert done.status_code == 200, done.json
        empty = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                                 headers=headers)
        assert empty.status_code == 204
    assert called == [c.id for c in expected]
