"""Events that cross services: names, payload rules and the transactional outbox.

Every state change writes an :class:`Event` row in the same transaction as the change. After the
commit, :func:`publish_pending` (the relay) publishes unpublished rows to Redis as a wake-up
signal; SSE endpoints read the rows themselves by id, so a client that reconnects with
``Last-Event-ID`` never misses one, and nothing is lost while Redis is down.

Payloads carry ticket numbers, counters, case codes and steps, never a name, NIK or phone.

The package is split by job: ``names`` (streams, event types), ``privacy`` (the payload guard),
``outbox`` (the event table, recording), ``locks`` (per-stream commit order), ``publisher`` (the
relay and the per-process publisher thread) and ``routing`` (events another service's task
acts on). Server-Sent Events are the stream process's (``stream_service``). Every name is
re-exported here: ``from loket import events as ev`` keeps working.
"""

from __future__ import annotations

from loket.events.locks import (
    STREAM_LOCKS,
    lock_stream,
)
from loket.events.names import (
    ANNOUNCEMENT_UPDATED,
    CASE_CLOSED,
    CASE_OPENED,
    CHANNEL_PREFIX,
    COUNTER_UPDATED,
    KIOSK_FAULT,
    SLA_BREACH,
    SLA_ESCALATION,
    SLA_REMINDER,
    STEP_ACTIVATED,
    STEP_COMPLETED,
    STEP_REASSIGNED,
    STEP_RECEIVED,
    STEP_REJECTED,
    STEP_RESUBMITTED,
    STEP_RETURNED,
    STEP_SENT,
    STREAM_QUEUE,
    STREAM_WORKFLOW,
    TICKET_CALLED,
    TICKET_CANCELLED,
    TICKET_CLOSED,
    TICKET_DONE,
    TICKET_ISSUED,
    TICKET_NO_SHOW,
    TICKET_ON_HOLD,
    TICKET_RECALLED,
    TICKET_RESUMED,
    TICKET_SERVING,
    TICKET_TRANSFERRED,
)
from loket.events.outbox import (
    Event,
    add_events,
    events_after,
    last_event_id,
    new_event,
    record,
)
from loket.events.privacy import (
    FORBIDDEN_KEYS,
    NAMED_THINGS,
    PersonalDataInEvent,
    _check_payload,
    check_payload,
)
from loket.events.publisher import (
    Message,
    Publisher,
    messages_of,
    publish_after_commit,
    publish_pending,
    publish_soon,
)
from loket.events.routing import (
    TASK_ROUTES,
    dispatch_to_consumers,
)

__all__ = [
    "ANNOUNCEMENT_UPDATED",
    "CASE_CLOSED",
    "CASE_OPENED",
    "CHANNEL_PREFIX",
    "COUNTER_UPDATED",
    "Event",
    "FORBIDDEN_KEYS",
    "KIOSK_FAULT",
    "Message",
    "NAMED_THINGS",
    "PersonalDataInEvent",
    "Publisher",
    "SLA_BREACH",
    "SLA_ESCALATION",
    "SLA_REMINDER",
    "STEP_ACTIVATED",
    "STEP_COMPLETED",
    "STEP_REASSIGNED",
    "STEP_RECEIVED",
    "STEP_SENT",
    "STEP_REJECTED",
    "STEP_RESUBMITTED",
    "STEP_RETURNED",
    "STREAM_LOCKS",
    "STREAM_QUEUE",
    "STREAM_WORKFLOW",
    "TASK_ROUTES",
    "TICKET_CALLED",
    "TICKET_CANCELLED",
    "TICKET_CLOSED",
    "TICKET_DONE",
    "TICKET_ISSUED",
    "TICKET_NO_SHOW",
    "TICKET_ON_HOLD",
    "TICKET_RECALLED",
    "TICKET_RESUMED",
    "TICKET_SERVING",
    "TICKET_TRANSFERRED",
    "_check_payload",
    "add_events",
    "check_payload",
    "dispatch_to_consumers",
    "events_after",
    "last_event_id",
    "lock_stream",
    "messages_of",
    "new_event",
    "publish_after_commit",
    "publish_pending",
    "publish_soon",
    "record",
]
