"""Pure-Python core of the workflow service: calendar, SLA clocks, escalation, step lifecycle.

Imports no Flask, SQLAlchemy, Redis or Celery; the service layers build on it.
"""

from workflow_service.domain.calendar import BusinessCalendar, CalendarError, OfficeHours, OpenDay
from workflow_service.domain.escalation import (
    EscalationPolicy,
    Level,
    Threshold,
    due_levels,
    thresholds_for,
)
from workflow_service.domain.lifecycle import (
    CaseDefinitionError,
    NextStep,
    StepDefinition,
    StepRun,
    StepState,
    TransitionError,
    next_step,
)
from workflow_service.domain.permissions import can_act
from workflow_service.domain.sla import (
    ClockKind,
    InvalidTimeStandard,
    StepClock,
    TimeStandard,
    compute_due_at,
    parse_time_standard,
)

__all__ = [
    "BusinessCalendar",
    "CalendarError",
    "CaseDefinitionError",
    "ClockKind",
    "EscalationPolicy",
    "InvalidTimeStandard",
    "Level",
    "NextStep",
    "OfficeHours",
    "OpenDay",
    "StepClock",
    "StepDefinition",
    "StepRun",
    "StepState",
    "Threshold",
    "TimeStandard",
    "TransitionError",
    "can_act",
    "compute_due_at",
    "due_levels",
    "next_step",
    "parse_time_standard",
    "thresholds_for",
]
