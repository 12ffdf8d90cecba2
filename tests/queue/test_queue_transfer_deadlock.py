"""Opposite transfers at once (issue #18): two desks move waiting tickets e-KTP → KK and KK →
e-KTP at the same moment. Each transfer of a waiting ticket changes two ``queue_line`` rows (one
down, one up); taken in opposite orders, PostgreSQL would find a deadlock and fail one of them.
Real threads, the real database (SQLite serialises writers; the test runs on both)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

PER_SIDE = 25


def _transfer_all(hall: Hall, headers: dict[str, str], ids: list[int], to: str,
                  start: threading.Barrier, out: list[Any]) -> None:
    client = hall.client
    start.wait(10)
    for ticket_id in ids:
        resp = client.post(f"/api/queue/tickets/{ticket_id}/transfer", json={"service": to},
                           headers=headers)
        out.append((ticket_id, resp.status_code, resp.json))


def test_opposite_transfers_at_once_all_succeed_and_keep_the_counts(hall: Hall, db) -> None:
    from queue_service.line_state import QueueLine
    from queue_service.models import Service, Ticket

    headers = hall.staff("admin")
    ektp = [hall.issue("ektp")["id"] for _ in range(PER_SIDE)]
    kk = [hall.issue("kk")["id"] for _ in range(PER_SIDE)]
    start = threading.Barrier(2)
    results: list[Any] = []
    threads = [threading.Thread(target=_transfer_all, args=(hall, headers, ektp, "kk", start,
                                                            results)),
               threading.Thread(target=_transfer_all, args=(hall, headers, kk, "ektp", start,
                                                            results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    failed = [r for r in results if r[1] != 200]
    assert not failed, failed[:3]
    assert len(results) == 2 * PER_SIDE

    with db.read_session() as session:
        codes = dict(session.execute(select(Service.id, Service.code)).all())
        moved = dict(session.execute(select(Ticket.id, Ticket.service_id)).all())
        assert {codes[moved[i]] for i in ektp} == {"kk"}
        assert {codes[moved[i]] for i in kk} == {"ektp"}
        counted = dict(session.execute(
            select(Ticket.service_id, func.count()).where(Ticket.status == "waiting")
            .group_by(Ticket.service_id)).all())
        kept = dict(session.execute(
            select(QueueLine.service_id, func.sum(QueueLine.waiting))
            .group_by(QueueLine.service_id)).all())
    assert {k: int(v) for k, v in kept.items() if v} == counted


def test_a_transfer_locks_both_lines_in_service_order_before_changing_either(
        hall: Hall, db) -> None:
    """The fix itself, without luck in the timing (PostgreSQL; SQLite has one writer at a time,
    so there the transfer only has to work): while another transaction holds the lower line's
    row, a transfer from the higher line to the lower one waits WITHOUT holding the higher
    line's row. (Before the fix the trigger took the old line's row first: a transfer the other
    way, waiting for it, closed the circle.)"""
    from sqlalchemy import text

    from queue_service.models import Service

    headers = hall.staff("admin")
    with db.read_session() as session:
        ids = dict(session.execute(select(Service.code, Service.id)
                                   .where(Service.code.in_(["ektp", "kk"]))).all())
    (low_code, low), (high_code, high) = sorted(ids.items(), key=lambda kv: kv[1])
    hall.issue(low_code)  # the lower line has its row
    moving = hall.issue(high_code)["id"]
    out: list[Any] = []
    if db.is_sqlite:
        resp = hall.client.post(f"/api/queue/tickets/{moving}/transfer",
                                json={"service": low_code}, headers=headers)
        assert resp.status_code == 200, resp.json
        return
    rows = "SELECT service_id FROM queue_line WHERE service_id = :s FOR UPDATE"
    with db.engine.connect() as holder:
        holder.execute(text(rows), {"s": low})  # the lower line's row is held
        worker = threading.Thread(target=_transfer_all, args=(
            hall, headers, [moving], low_code, threading.Barrier(1), out))
        worker.start()
        worker.join(1.0)
        assert worker.is_alive(), out  # it waits for the lower line's row ...
        with db.engine.connect() as probe:  # ... holding nothing of the higher line
            probe.execute(text(rows + " NOWAIT"), {"s": high}).all()
            probe.rollback()
        holder.rollback()
    worker.join(30)
    assert out and out[0][1] == 200, out
