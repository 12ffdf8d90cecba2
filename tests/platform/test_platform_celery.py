"""Celery wired the Flask way: a real worker on the real Redis runs tasks in an app context."""

from __future__ import annotations

import pytest

from tests.conftest import celery_client
from tests.support import wait_until

pytestmark = pytest.mark.integration


def test_worker_answers_a_ping(celery_worker):
    replies = celery_client().control.ping(timeout=2)
    assert replies and all("ok" in next(iter(r.values())) for r in replies)


def test_relay_task_publishes_events_committed_while_redis_was_down(celery_worker, db,
                                                                    redis_client):
    from loket import events

    with db.session() as session:
        event = events.record(session, events.STREAM_QUEUE, events.COUNTER_UPDATED,
                              {"counter": {"id": 1, "number": 1, "name": "Loket 1"}})
    pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(events.CHANNEL_PREFIX + events.STREAM_QUEUE)
    celery_client().send_task("loket.relay_events")

    def published() -> bool:
        with db.session() as session:
            return session.get(events.Event, event.id).published_at is not None

    wait_until(published, timeout=20, message="the relay task to publish the event")
    message = wait_until(lambda: pubsub.get_message(timeout=0.2), timeout=5)
    assert '"counter.updated"' in message["data"]
