"""The stream process as the composition root builds it: the stream app fed by the queue.

``stream_service`` knows no other service; what it needs of the queue (device tokens, the board
a ``reset`` shows, the ticket behind a tracking code) is this adapter, run on its thread pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from loket.db import Database
from loket.settings import Settings
from stream_service.sources import TicketScope


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


def create_streams(settings: Settings, upstream: str | None = None) -> Any:
    """The stream app (aiohttp) with the queue as its source."""
    from loket.redis_bus import make_redis
    from stream_service.app import create_stream_app

    db = Database.for_url(settings.effective_database_url)
    return create_stream_app(settings, QueueSource(db, make_redis(settings), settings),
                             upstream=upstream)
