"""`loket demo-history` plays its past through the queue's use cases, each at its own moment.

The rows it leaves are the ones the kiosk and the counters leave: an ``issue`` row per ticket,
calls by the counter's officer at a counter serving the ticket's service, the events of the
outbox stamped with the simulated moment, and no ticket left waiting.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 11, 7)  # a Saturday: days=2 plays Thursday and Friday
ZONE = ZoneInfo("Asia/Jakarta")


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(ZONE)


def test_every_ticket_went_through_the_use_cases(hall, db, settings) -> None:
    from loket.composition import demo_history
    from loket.events.outbox import Event
    from queue_service.models import (
        Counter,
        SurveyResponse,
        Ticket,
        TicketHistory,
        counter_service,
    )
    from workflow_service.models import Case

    with db.session() as session:
        before = {c.number: c.status for c in session.scalars(select(Counter))}
    totals = demo_history.fill(settings, days=2, seed=7, case_share=0.2, today=TODAY)
    assert totals["days"] == 2 and totals["tickets"] > 50
    with db.session() as session:
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        assert len(tickets) == totals["tickets"]
        assert {t.status for t in tickets.values()} <= {"done", "no_show", "cancelled"}
        history = list(session.scalars(select(TicketHistory)))
        issued = [h for h in history if h.action == "issue"]
        assert sorted(h.ticket_id for h in issued) == sorted(tickets)  # one issue row each
        serves = {(cid, sid) for cid, sid in session.execute(select(counter_service))}
        for row in history:
            ticket = tickets[row.ticket_id]
            assert ticket.service_day.weekday() in (3, 4)
            if row.action == "call":
                assert row.actor is not None and row.actor.startswith("petugas")
                assert (row.counter_id, ticket.service_id) in serves
                assert row.at >= ticket.issued_at
        for ticket in tickets.values():
            assert 8 <= _local(ticket.issued_at).hour < 15
            assert _local(ticket.issued_at).date() == ticket.service_day
            if ticket.status == "done":
                assert ticket.issued_at <= ticket.called_at <= ticket.serving_at \
                    <= ticket.finished_at
        called = session.scalar(select(func.count()).select_from(Event).where(
            Event.type == "ticket.called"))
        assert called == sum(1 for h in history if h.action == "call")
        newest = session.scalar(select(func.max(Event.created_at)).where(
            Event.type == "ticket.called"))
        assert _local(newest).date() < TODAY  # stamped with the simulated moment
        cases = list(session.scalars(select(Case).where(Case.ticket_id.is_not(None))))
        assert cases and all(tickets[c.ticket_id].status == "done" for c in cases)
        assert all(c.opened_at == tickets[c.ticket_id].serving_at for c in cases)
        after = {c.number: c.status for c in session.scalars(select(Counter))}
        answers = list(session.scalars(select(SurveyResponse)))
        assert answers and all(tickets[a.ticket_id].status == "done" for a in answers)
        assert all(a.created_at > tickets[a.ticket_id].finished_at for a in answers)
    assert after == before  # the counters are as they were
    skm = hall.client.get("/api/queue/skm?from=2026-11-05&to=2026-11-06",
                          headers=hall.staff("camat")).json
    assert skm["respondents"] == len(answers) and 25 <= skm["ikm"] <= 100


def test_the_same_seed_fills_the_same_history(hall, db, settings) -> None:
    from loket.composition import demo_history
    from queue_service.models import Ticket

    def history() -> list[tuple[object, ...]]:
        with db.session() as session:
            return [(t.number, t.status, t.issued_at, t.finished_at) for t in
                    session.scalars(select(Ticket).order_by(Ticket.issued_at, Ticket.number))]

    demo_history.fill(settings, days=1, seed=3, today=TODAY)
    first = history()
    from sqlalchemy import delete

    from queue_service.models import ServiceSequence, TicketHistory

    with db.session() as session:  # the queue's past gone; the same seed plays it again
        session.execute(delete(TicketHistory))
        session.execute(delete(Ticket))
        session.execute(delete(ServiceSequence))
    demo_history.fill(settings, days=1, seed=3, case_share=0, today=TODAY)
    assert history() == first and first
