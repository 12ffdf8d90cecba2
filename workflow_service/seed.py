"""Demo data of the workflow service: the office's visitor-card pool (twenty cards)."""

from __future__ import annotations

from loket.db import Database
from loket.settings import Settings

DEMO_VISITOR_CARDS = 20


def seed_demo_workflow(settings: Settings) -> None:
    from workflow_service.usecases.guests import ensure_pool

    with Database.for_url(settings.effective_database_url).session() as session:
        ensure_pool(session, DEMO_VISITOR_CARDS)
