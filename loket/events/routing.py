"""Task routing: the queue events another service acts on, sent to its Celery task."""

from __future__ import annotations

from typing import Any

from loket.events.names import STREAM_QUEUE, TICKET_SERVING

# Queue events that the workflow service acts on, and the Celery task that receives each.
TASK_ROUTES: dict[tuple[str, str], str] = {
    (STREAM_QUEUE, TICKET_SERVING): "workflow.on_queue_event",
}


def dispatch_to_consumers(stream: str, type_: str, message: dict[str, Any]) -> None:
    task = TASK_ROUTES.get((stream, type_))
    if task is not None:
        from loket.celery_app import producer

        # retry=False: if the broker is down, fail now and leave the row for the relay.
        producer().send_task(task, args=[message], retry=False)
