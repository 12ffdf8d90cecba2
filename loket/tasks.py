"""Platform tasks: the event relay."""

from __future__ import annotations

import logging

from celery import shared_task

from loket.app_support import get_db, get_redis
from loket.events import publish_pending

logger = logging.getLogger(__name__)


@shared_task(name="loket.relay_events")
def relay_events() -> int:
    """Publish events that were committed but not yet published (e.g. while Redis was down)."""
    count = publish_pending(get_db(), get_redis())
    if count:
        logger.info("relayed %s pending events", count)
    return count
