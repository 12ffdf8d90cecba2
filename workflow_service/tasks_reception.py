"""Celery tasks of guest reception and complaints. Each is idempotent and cheap to run often."""

from __future__ import annotations

import logging

from celery import shared_task

from loket.app_support import get_db, get_redis
from workflow_service.usecases import guests
from workflow_service.usecases.context import unit_of_work

logger = logging.getLogger(__name__)


@shared_task(name="workflow.guest_closing_alert")
def guest_closing_alert() -> int | None:
    """After closing time, once a day: the cards still out, to the receptionist and Sekcam."""
    with unit_of_work(get_db(), get_redis()) as uow:  # commits, then publishes
        event_id = guests.closing_alert(uow.session)
        if event_id is not None:
            uow.adopt([event_id])
    if event_id is not None:
        logger.info("closing alert sent (event %s)", event_id)
    return event_id


@shared_task(name="workflow.deliver_complaint_replies")
def deliver_complaint_replies() -> dict[str, int]:
    """Answers of completed answer steps become replies; due replies are sent (with retries)."""
    from workflow_service.usecases import replies

    db = get_db()
    with db.session() as session:
        replies.queue_replies(session)
    return replies.deliver_due(db.session)
