"""What the stream process needs from the queue service, behind plain blocking functions.

The only module of ``stream_service`` that imports ``queue_service``; the hub calls these on
its thread pool, never on the event loop.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from loket.db import Database
from loket.settings import Settings


@dataclasses.dataclass(frozen=True)
class TicketScope:
    """A phone's stream: the ticket behind a tracking code."""

    ticket_id: int
    service: str


class QueueSource:
    def __init__(self, db: Database, redis_client: Any, settings: Settings) -> None:
        from queue_service.usecases.context import QueueContext

        self.context = QueueContext(db=db, redis=redis_client, settings=settings)

    def device(self, token: str) -> Principal | None:
        from queue_service.usecases.accounts import resolve_device

        return resolve_device(self.context, token)

    def board(self, services: list[str] | None) -> dict[str, Any]:
        from queue_service.usecases.hall import board

        return board(self.context, services)

    def ticket(self, tracking_code: str) -> TicketScope | None:
        from queue_service.domain.numbering import is_tracking_code, normalize_tracking_code
        from queue_service.models import Service, Ticket

        code = normalize_tracking_code(tracking_code)
        if not is_tracking_code(code):
            return None
        with self.context.db.lookup_session() as session:
            row = session.execute(
                select(Ticket.id, Service.code).join(Service, Service.id == Ticket.service_id)
                .where(Ticket.tracking_code == code)).first()
        return TicketScope(ticket_id=int(row[0]), service=str(row[1])) if row else None
