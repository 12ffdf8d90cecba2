"""Open a case for intake that may race the queue event of the same ticket."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_service import services
from workflow_service.models import Case


def open_case_once(session: Session, **kwargs: Any) -> services.Opened:
    """``services.open_case``; when a ticket's case is opened by the worker at the same moment
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
