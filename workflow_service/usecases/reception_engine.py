"""The one place where guest reception and complaints use the case engine.

Reception and complaints open ordinary SOP cases and act on their steps through the engine's
own use cases (never a copy); this module adapts those calls to the session-and-event-ids style
of the reception use cases, so a change in the engine's layout is a change here only. Each call
runs in a :class:`UnitOfWork` on the caller's session whose events are inserted when the call
ends; the caller adopts the returned ids into its :func:`context.unit_of_work`
(``UnitOfWork.adopt``), which publishes them after its commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.auth import Principal
from workflow_service.domain import BusinessCalendar
from workflow_service.models import Case, Step
from workflow_service.usecases import actions, context, opening, steps
from workflow_service.validation import ActionInput


@dataclass
class Opened:
    case: Case
    created: bool
    event_ids: list[int]


def office() -> Any:
    return context.office()


def catalog() -> Any:
    return context.catalog()


def business_calendar(session: Session) -> BusinessCalendar:
    return context.business_calendar(session)


def content_of(session: Session, case: Case) -> dict[str, Any]:
    return steps.content_of(session, case)


def current_step(case: Case) -> Step | None:
    return steps.current_step(case)


def open_case(session: Session, **kwargs: Any) -> Opened:
    """Open a case; when a ticket's case is opened by the worker at the same moment
    (``ticket.serving``), the loser of the unique ``(ticket_id, sop_code)`` gets the winner's
    case."""
    uow = context.UnitOfWork(session)
    ticket_id = kwargs.get("ticket_id")
    try:
        with session.begin_nested():
            opened = opening.open_case(uow, **kwargs)
    except IntegrityError:
        if ticket_id is None:
            raise
        uow.discard(0)
        case = opening.case_of_ticket(session, ticket_id, kwargs["sop_code"])
        assert case is not None
        return Opened(case, False, [])
    uow.flush_events()
    return Opened(opened.case, opened.created, uow.event_ids)


def complete_current(session: Session, case_id: int, actor: Principal, output: str,
                     checked: list[str], now: dt.datetime) -> tuple[Case, list[int]]:
    """Complete the case's current step as ``actor`` (the engine checks the role)."""
    uow = context.UnitOfWork(session)
    case = actions.act_in(uow, case_id, "complete", actor,
                          ActionInput(output=output, checked_requirements=checked), now=now)
    uow.flush_events()
    return case, uow.event_ids
