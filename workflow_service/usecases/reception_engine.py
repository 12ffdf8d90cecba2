"""The one place where guest reception and complaints use the case engine.

Reception and complaints open ordinary SOP cases and act on their steps through the engine's
own functions (never a copy); this module adapts those calls to the session-and-event-ids style
of the reception use cases, so a change in the engine's layout is a change here only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.auth import Principal
from workflow_service import services
from workflow_service.domain import BusinessCalendar
from workflow_service.models import Case, Step

Opened = services.Opened


def office() -> Any:
    return services.office()


def catalog() -> Any:
    return services.catalog()


def business_calendar(session: Session) -> BusinessCalendar:
    return services.business_calendar(session)


def content_of(session: Session, case: Case) -> dict[str, Any]:
    return services._content(session, case)


def current_step(case: Case) -> Step | None:
    return services.current_step(case)


def open_case(session: Session, **kwargs: Any) -> services.Opened:
    """Open a case; when a ticket's case is opened by the worker at the same moment
    (``ticket.serving``), the loser of the unique ``ticket_id`` gets the winner's case."""
    ticket_id = kwargs.get("ticket_id")
    if ticket_id is None:
        return services.open_case(session, **kwargs)
    try:
        with session.begin_nested():
            return services.open_case(session, **kwargs)
    except IntegrityError:
        case = session.scalar(select(Case).where(Case.ticket_id == ticket_id))
        assert case is not None
        return services.Opened(case, False, [])


def complete_current(session: Session, case_id: int, actor: Principal, output: str,
                     checked: list[str], now: dt.datetime) -> tuple[Case, list[int]]:
    """Complete the case's current step as ``actor`` (the engine checks the role)."""
    return services.act(session, case_id, "complete", actor,
                        {"output": output, "checked_requirements": checked}, now=now)
