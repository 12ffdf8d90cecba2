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
from workflow_service.usecases import case_sweep, escalations
from workflow_service.usecases.context import unit_of_work

logger = logging.getLogger(__name__)

HORIZON = dt.timedelta(seconds=60)


@shared_task(name="workflow.on_queue_event", autoretry_for=(Exception,), retry_backoff=2,
             retry_backoff_max=60, retry_jitter=True, max_retries=8)
def on_queue_event(message: dict[str, Any]) -> int | None:
    """A ticket served at a counter opens its case (idempotent per ticket and service).

    A failure (a database blip) is retried with exponential back-off (2, 4, 8 … up to 60 s);
    a message lost altogether is caught by ``workflow.sweep_cases``.
    """
    opened = case_sweep.open_for_message(get_db(), get_redis(), get_app_settings(), message)
    return opened[0] if opened else None


@shared_task(name="workflow.sweep_cases")
def sweep_cases() -> int:
    """Open the case of every recently served SOP ticket that has none (beat, every 30 s)."""
    return case_sweep.sweep(get_db(), get_redis(), get_app_settings())


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
