"""Every served SOP ticket gets its case: the event handler, and the sweep that reconciles.

A ``ticket.serving`` event reaches ``workflow.on_queue_event`` through Celery. That task retries
with back-off when it fails (a database blip), but a message can also be lost outright (the
embedded broker restarted with the message in it, no worker ran before the queue was flushed).
The event row itself is durable: it is committed with the ticket's change in the queue's
transaction. So the beat task ``workflow.sweep_cases`` reads the recent ``ticket.serving``
events, finds those whose (ticket, SOP service) has no case, and opens each the same way the
handler does. Opening is idempotent per (ticket, service): the pre-check finds an existing case
and the unique constraint ``uq_wf_case_ticket_sop`` turns a concurrent second insert into a
read of the winner's case, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select

from loket import events
from loket.db import Database
from loket.settings import Settings
from workflow_service.adapters.queue_tickets import QueueTickets
from workflow_service.models import Case
from workflow_service.usecases import opening
from workflow_service.usecases.context import unit_of_work

logger = logging.getLogger(__name__)

# How far back the sweep looks: a service day and some. Older events were swept many times.
LOOKBACK = dt.timedelta(hours=26)
# Events younger than this are left to the task that is handling them right now.
GRACE = dt.timedelta(seconds=5)
# At most this many cases per run (each reads its visitor over HTTP, outside any transaction).
BATCH = 100


def open_for_message(db: Database, redis: Any, settings: Settings,
                     message: dict[str, Any]) -> tuple[int, bool] | None:
    """Open the case of one ``ticket.serving`` message: ``(case id, created)`` or None.

    The visitor is read from the queue's API first, outside the transaction; the write that
    opens the case is short and does no network I/O.
    """
    ticket_id = opening.ticket_of(message)
    if ticket_id is None:
        return None
    applicant = QueueTickets(f"{settings.base_url}/api/queue",
                             settings.secret("secret_key")).visitor(ticket_id)
    with unit_of_work(db, redis) as uow:
        opened = opening.open_case_for_ticket(uow, message, applicant)
        if opened is None:
            return None
        result = (opened.case.id, opened.created)
    if result[1]:
        logger.info("case %s opened for ticket %s", result[0], ticket_id)
    return result


def missing(db: Database, now: dt.datetime, limit: int = BATCH) -> list[dict[str, Any]]:
    """Recent ``ticket.serving`` messages of SOP services whose case does not exist."""
    with db.read_session() as session:
        rows = session.scalars(
            select(events.Event)
            .where(events.Event.type == events.TICKET_SERVING,
                   events.Event.stream == events.STREAM_QUEUE,
                   events.Event.created_at >= now - LOOKBACK,
                   events.Event.created_at <= now - GRACE)
            .order_by(events.Event.id)).all()
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        for row in rows:
            message = row.as_message()
            ticket_id = opening.ticket_of(message)
            if ticket_id is not None:
                wanted.setdefault((ticket_id, message["ticket"]["service"]), message)
        if not wanted:
            return []
        have = {(ticket, sop) for ticket, sop in session.execute(
            select(Case.ticket_id, Case.sop_code)
            .where(Case.ticket_id.in_({ticket for ticket, _ in wanted})))}
    return [m for key, m in wanted.items() if key not in have][:limit]


def sweep(db: Database, redis: Any, settings: Settings,
          now: dt.datetime | None = None) -> int:
    """Open every missing case; return how many this run created (safe to run concurrently)."""
    now = now or dt.datetime.now(dt.UTC)
    created = 0
    for message in missing(db, now):
        try:
            result = open_for_message(db, redis, settings, message)
        except Exception:  # one bad ticket must not stop the others; the next run retries it
            logger.exception("sweep: case of ticket %s not opened",
                             message.get("ticket", {}).get("id"))
            continue
        if result is not None and result[1]:
            created += 1
            logger.warning("sweep opened missing case %s (ticket %s, %s)", result[0],
                           message["ticket"]["id"], message["ticket"]["service"])
    return created
