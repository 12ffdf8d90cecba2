"""Celery tasks of the workflow service. Each takes ids, re-loads state and checks it first.

Deadlines live in the database. The beat task ``workflow.sweep_deadlines`` looks a short
horizon ahead and schedules one short countdown per rung; nothing is ever scheduled hours
ahead, so the Redis broker's visibility timeout can never deliver a task twice by itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task

from loket.app_support import get_app_settings, get_db, get_redis
from workflow_service.adapters.queue_tickets import QueueTickets
from workflow_service.usecases import escalations, opening
from workflow_service.usecases.context import unit_of_work

logger = logging.getLogger(__name__)

HORIZON = dt.timedelta(seconds=60)


@shared_task(name="workflow.on_queue_event")
def on_queue_event(message: dict[str, Any]) -> int | None:
    """A ticket served at a counter opens its case (idempotent per ticket).

    The visitor is read from the queue's API first, outside the transaction.
    """
    ticket_id = opening.ticket_of(message)
    if ticket_id is None:
        return None
    settings = get_app_settings()
    applicant = QueueTickets(f"{settings.base_url}/api/queue",
                             settings.secret("secret_key")).visitor(ticket_id)
    with unit_of_work(get_db(), get_redis()) as uow:
        opened = opening.open_case_for_ticket(uow, message, applicant)
        if opened is None:
            return None
        case_id, created = opened.case.id, opened.created
        ticket_id = opened.case.ticket_id
    if created:
        logger.info("case %s opened for ticket %s", case_id, ticket_id)
    return case_id


@shared_task(name="workflow.sweep_deadlines")
def sweep_deadlines() -> int:
    """Schedule a short countdown for every rung due within the horizon (and overdue ones)."""
    db = get_db()
    redis_client = get_redis()
    retry = get_app_settings().escalation_retry_seconds
    now = dt.datetime.now(dt.UTC)
    with db.read_session() as session:
        due = escalations.due_escalations(session, now, HORIZON)
    scheduled = 0
    for escalation_id, due_at in due:
        countdown = max(0.0, (due_at - now).total_seconds())
        # One enqueue per rung and due time, however many sweeps see it (SET NX EX).
        key = f"loket:wf:esc:{escalation_id}:{int(due_at.timestamp())}"
        try:
            if not redis_client.set(key, "1", nx=True, ex=int(countdown) + retry):
                continue
        except Exception:
            logger.warning("redis unavailable; scheduling escalation %s without a lock",
                           escalation_id)
        fire_escalation.apply_async(args=[escalation_id], countdown=countdown)
        scheduled += 1
    return scheduled


@shared_task(name="workflow.fire_escalation")
def fire_escalation(escalation_id: int) -> bool:
    with unit_of_work(get_db(), get_redis()) as uow:
        fired = escalations.fire_escalation(uow, escalation_id)
    if fired:
        logger.info("escalation %s fired", escalation_id)
    return fired


@shared_task(name="workflow.deliver_notifications")
def deliver_notifications() -> dict[str, int]:
    from workflow_service.notify import deliver_due

    return deliver_due(get_db().session)
