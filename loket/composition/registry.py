"""The services of the hall, by module name: their apps, Celery task modules and tables."""

from __future__ import annotations

from typing import Any

# prefix -> (name in LOKET_APPS, module whose create_app builds the app mounted there)
MOUNTS = {
    "/api/queue": ("queue", "queue_service.app"),
    "/api/workflow": ("workflow", "workflow_service.app"),
    "/display": ("display", "display.app"),
    "/console": ("console", "console.app"),
}

# Modules whose @shared_task functions the worker registers.
TASK_MODULES = ("loket.tasks", "queue_service.tasks", "workflow_service.tasks",
                "workflow_service.tasks_reception", "loket.composition.monthly_report",
                "loket.composition.retention",
                "workflow_service.tasks_citizen")

# Modules that declare tables, so ``Base.metadata`` is complete (migrations, tests).
MODEL_MODULES = (
    "loket.events",
    "loket.access_log",
    "queue_service.models",
    "workflow_service.models",
    "workflow_service.models_guests",
    "workflow_service.models_complaints",
    "workflow_service.models_routing",
    "workflow_service.models_citizen",
)


def beat_schedule() -> dict[str, Any]:
    """Periodic jobs. Each is cheap and idempotent; none schedules work hours ahead."""
    return {
        "relay-events": {"task": "loket.relay_events", "schedule": 2.0},
        "queue-end-of-day": {"task": "queue.end_of_day", "schedule": 300.0},
        "workflow-sweep-deadlines": {"task": "workflow.sweep_deadlines", "schedule": 30.0},
        "workflow-sweep-cases": {"task": "workflow.sweep_cases", "schedule": 30.0},
        "workflow-deliver-notifications": {"task": "workflow.deliver_notifications",
                                           "schedule": 30.0},
        "workflow-guest-closing-alert": {"task": "workflow.guest_closing_alert",
                                         "schedule": 60.0},
        "workflow-deliver-complaint-replies": {"task": "workflow.deliver_complaint_replies",
                                               "schedule": 15.0},
        # Personal data past LOKET_RETENTION_DAYS: idempotent, so hourly is plenty.
        "retention": {"task": "loket.retention", "schedule": 3600.0},
        "workflow-deliver-ready-notices": {"task": "workflow.deliver_ready_notices",
                                           "schedule": 15.0},
    }
