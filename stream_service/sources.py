"""What the stream process needs to know about the queue, as an interface.

The composition root passes an implementation (``loket.composition.streams.QueueSource``); the
hub calls its blocking methods on its thread pool, never on the event loop.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from loket.auth import Principal


@dataclasses.dataclass(frozen=True)
class TicketScope:
    """A phone's stream: the ticket behind a tracking code."""

    ticket_id: int
    service: str


class Source(Protocol):
    def device(self, token: str) -> Principal | None:
        """The active device holding this token, or None."""

    def board(self, services: list[str] | None) -> dict[str, Any]:
        """What the TV shows now (a ``reset`` carries it)."""

    def ticket(self, tracking_code: str) -> TicketScope | None:
        """The ticket behind a tracking code, or None."""
