"""Celery task of the word to the citizen (issue #20): idempotent, cheap to run often."""

from __future__ import annotations

from celery import shared_task

from loket.app_support import get_db


@shared_task(name="workflow.deliver_ready_notices")
def deliver_ready_notices() -> dict[str, int]:
    """Cases now at their hand-over step get their "berkas siap diambil"; due ones are sent."""
    from workflow_service.usecases import ready_notice

    db = get_db()
    with db.session() as session:
        ready_notice.queue_notices(session)
    return ready_notice.deliver_due(db.session)
