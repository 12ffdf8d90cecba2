"""The event streams and event types that cross services, and the Redis channel prefix."""

from __future__ import annotations

STREAM_QUEUE = "queue"
STREAM_WORKFLOW = "workflow"

# Queue events (consumed by displays, consoles and the workflow service).
TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_RECALLED = "ticket.recalled"
TICKET_SERVING = "ticket.serving"
TICKET_DONE = "ticket.done"
TICKET_NO_SHOW = "ticket.no_show"
TICKET_ON_HOLD = "ticket.on_hold"
TICKET_RESUMED = "ticket.resumed"
TICKET_TRANSFERRED = "ticket.transferred"
TICKET_CANCELLED = "ticket.cancelled"
TICKET_CLOSED = "ticket.closed"
COUNTER_UPDATED = "counter.updated"
ANNOUNCEMENT_UPDATED = "announcement.updated"
KIOSK_FAULT = "kiosk.fault"

# Workflow events (consumed by the consoles and the dashboard).
CASE_OPENED = "case.opened"
STEP_ACTIVATED = "step.activated"
STEP_COMPLETED = "step.completed"
STEP_RETURNED = "step.returned"
STEP_RESUBMITTED = "step.resubmitted"
STEP_REJECTED = "step.rejected"
STEP_REASSIGNED = "step.reassigned"
STEP_SENT = "step.sent"  # a file left for an outside office (the KK to the Dinas)
STEP_RECEIVED = "step.received"  # ... and came back
SLA_REMINDER = "sla.reminder"
SLA_BREACH = "sla.breach"
SLA_ESCALATION = "sla.escalation"
CASE_CLOSED = "case.closed"

CHANNEL_PREFIX = "loket:events:"
