"""Domain exceptions. They subclass loket.errors so every service maps them to one JSON shape."""

from __future__ import annotations

from loket.errors import Conflict, Forbidden, NotFound, ValidationFailed
from loket.nik import InvalidNIK  # noqa: F401 - raised by the queue domain


class InvalidInput(ValidationFailed):
    """A field of a request is wrong (422)."""


class UnknownService(ValidationFailed):
    code = "unknown_service"


class ServiceClosed(Conflict):
    code = "service_closed"


class QuotaReached(Conflict):
    code = "daily_quota_reached"


class OfficeClosed(Conflict):
    code = "office_closed"


class CounterNotOpen(Conflict):
    code = "counter_not_open"


class CounterBusy(Conflict):
    code = "counter_busy"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class TicketNotWaiting(Conflict):
    code = "ticket_not_waiting"


class NotYourCounter(Forbidden):
    code = "not_your_counter"


class OutsideRemit(Forbidden):
    """A ticket of a service the officer's counter does not serve (403)."""

    code = "outside_remit"


class TicketNotFound(NotFound):
    code = "ticket_not_found"


class CounterNotFound(NotFound):
    code = "counter_not_found"
