"""Real threads against the real database: no number twice, no ticket at two counters."""

from __future__ import annotations

import collections
import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

ISSUERS = 16
PER_ISSUER = 8
CALLERS = 8


def add_counters(db: Any) -> None:
    """Four more counters (Loket 5–8) serving e-KTP and KK, so eight call at once."""
    from queue_service.models import Counter, Service

    with db.session() as session:
        services = list(session.scalars(select(Service).where(Service.code.in_(["ektp", "kk"]))))
        for number in range(5, 9):
            session.add(Counter(number=number, name=f"Loket {number}", status="closed",
                                services=services))


def test_concurrent_issuing_and_calling(hall: Hall, db) -> None:
    from queue_service.models import Ticket, TicketHistory

    add_counters(db)
    admin = hall.staff("admin")
    counters = [c["id"] for c in hall.client.get("/api/queue/counters",
                                                 headers=admin).json["counters"]]
    assert len(counters) == CALLERS
    for counter_id in counters:
        assert hall.client.post(f"/api/queue/counters/{counter_id}/open",
                                headers=admin).status_code == 200

    issued: list[dict[str, Any]] = []
    called: list[tuple[int, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(ISSUERS + CALLERS)
    issuing_done = threading.Event()

    def issuer(index: int) -> None:
        client = hall.app.test_client()
        barrier.wait()
        for n in range(PER_ISSUER):
            service = ("ektp", "kk")[(index + n) % 2]
            resp = client.post("/api/queue/tickets", json={"service": service},
                               headers={**hall.kiosk, "Idempotency-Key": str(uuid.uuid4())})
            with lock:
                if resp.status_code == 201:
                    issued.append(resp.json)
                else:
                    errors.append(f"issue {resp.status_code} {resp.json}")

    def caller(counter_id: int) -> None:
        client = hall.app.test_client()
        barrier.wait()
        idle = 0
        while idle < 3:
            resp = client.post(f"/api/queue/counters/{counter_id}/call-next", headers=admin)
            if resp.status_code == 204:
                if issuing_done.is_set():
                    idle += 1
                time.sleep(0.01)
                continue
            if resp.status_code != 200:
                with lock:
                    errors.append(f"call {resp.status_code} {resp.json}")
                return
            ticket_id = resp.json["id"]
            with lock:
                called.append((ticket_id, counter_id))
            done = client.post(f"/api/queue/tickets/{ticket_id}/no-show", headers=admin)
            if done.status_code != 200:
                with lock:
                    errors.append(f"no-show {done.status_code} {done.json}")
                return

    threads = [threading.Thread(target=issuer, args=(i,)) for i in range(ISSUERS)]
    threads += [threading.Thread(target=caller, args=(c,)) for c in counters]
    for thread in threads:
        thread.start()
    for thread in threads[:ISSUERS]:
        thread.join(120)
    issuing_done.set()
    for thread in threads[ISSUERS:]:
        thread.join(120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    total = ISSUERS * PER_ISSUER
    numbers = [t["number"] for t in issued]
    assert len(numbers) == total
    assert len(set(numbers)) == total, [n for n, c in collections.Counter(numbers).items() if c > 1]
    by_prefix = collections.defaultdict(list)
    for number in numbers:
        by_prefix[number[0]].append(int(number[1:]))
    for prefix, seqs in by_prefix.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), prefix

    called_ids = [ticket_id for ticket_id, _ in called]
    assert len(called_ids) == len(set(called_ids)) == total
    assert len({counter for _, counter in called}) > 1  # the work really was shared
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == total
        calls_per_ticket = session.execute(
            select(TicketHistory.ticket_id, func.count()).where(TicketHistory.action == "call")
            .group_by(TicketHistory.ticket_id)).all()
        assert len(calls_per_ticket) == total
        assert all(count == 1 for _, count in calls_per_ticket)


def test_concurrent_retries_with_one_idempotency_key_make_one_ticket(hall: Hall, db) -> None:
    from queue_service.models import Ticket

    key = str(uuid.uuid4())
    results: list[Any] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def retry() -> None:
        client = hall.app.test_client()
        barrier.wait()
        resp = client.post("/api/queue/tickets", json={"service": "ektp"},
                           headers={**hall.kiosk, "Idempotency-Key": key})
        with lock:
            results.append((resp.status_code, resp.json))

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert {status for status, _ in results} == {201}
    assert len({body["id"] for _, body in results}) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
