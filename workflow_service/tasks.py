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

from loket import events
from loket.app_support import get_app_settings, get_db, get_redis
from workflow_service import services

logger = logging.getLogger(__name__)

HORIZON = dt.timedelta(seconds=60)


@shared_task(name="workflow.on_queue_event")
def on_queue_event(message: dict[str, Any]) -> int | None:
    """A ticket served at a counter opens its case (idempotent per ticket)."""
    db = get_db()
    with db.session() as session:
        opened = services.open_case_for_ticket(session, message)
        if opened is None:
            return None
        case_id = opened.case.id
    if opened.created:
        events.publish_after_commit(db, get_redis(), opened.event_ids)
        logger.info("case %s opened for ticket %s", case_id, opened.case.ticket_id)
    return case_id


@shared_task(name="workflow.sweep_deadlines")
def sweep_deadlines() -> int:
    """Schedule a short countdown for every rung due within the horizon (and overdue ones)."""
    db = get_db()
    redis_client = get_redis()
    retry = get_app_settings().escalation_retry_seconds
    now = dt.datetime.now(dt.UTC)
    with db.session() as session:
        due = services.due_escalations(session, now, HORIZON)
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
def fire_escalation(escalation_id: int) -> int | None:
    db = get_db()
    with db.session() as session:
        event_id = services.fire_escalation(session, escalation_id)
    if event_id is not None:
        events.publish_after_commit(db, get_redis(), [event_id])
        logger.info("escalation %s fired (event %s)", escalation_id, event_id)
    return event_id


@shared_task(name="workflow.deliver_notifications")
def deliver_notifications() -> dict[str, int]:
    from workflow_service.notify import deliver_due

    return deliver_due(get_db().session)
