"""Celery tasks of the queue service."""

from __future__ import annotations

import logging

from celery import shared_task

from loket.app_support import get_app_settings, get_db, get_redis
from loket.db import utcnow
from queue_service.usecases import end_of_day as closing
from queue_service.usecases import idempotency
from queue_service.usecases.context import QueueContext

logger = logging.getLogger(__name__)


@shared_task(name="queue.end_of_day")
def end_of_day() -> dict[str, int]:
    """Close or carry over tickets left from earlier local days (idempotent; beat every 5 min)."""
    context = QueueContext(db=get_db(), redis=get_redis(), settings=get_app_settings())
    counts = closing.end_of_day(context)
    purged = idempotency.purge_expired(context, utcnow())  # keys of earlier service days
    if purged:
        logger.info("end of day: %s idempotency keys of earlier days purged", purged)
    if counts["closed"] or counts["carried_over"]:
        logger.info("end of day: %s closed, %s carried over", counts["closed"],
                    counts["carried_over"])
    return counts
