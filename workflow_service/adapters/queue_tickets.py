"""The visitor behind a ticket, read from the queue's staff API (never from its tables).

Names and NIKs never travel in events. When a ``ticket.serving`` event opens a case, the
workflow asks the queue for that one ticket over HTTP with a short-lived token of its own
(signed with the shared secret key, a *service* token: the queue gives it the full NIK and
writes the read to the access log), and keeps what it learns encrypted on the case.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from loket.auth import Principal, issue_token

logger = logging.getLogger(__name__)

# Who the queue sees calling: not a person, so no staff account (the queue's check that an
# account is still active does not apply to a service).
SERVICE_PRINCIPAL = Principal(kind="service", id=0, username="layanan-alur-kerja",
                              roles=frozenset({"petugas"}))


@dataclass(frozen=True)
class QueueTickets:
    """``GET {queue_api}/tickets/id/{id}``; None when the queue cannot say (logged, no data)."""

    queue_api: str  # e.g. http://127.0.0.1:8000/api/queue
    secret_key: str
    timeout: float = 5.0

    def visitor(self, ticket_id: int) -> dict[str, Any] | None:
        """The ticket's visitor (name, NIK, phone) and the kiosk's answers, or None."""
        request = urllib.request.Request(
            f"{self.queue_api.rstrip('/')}/tickets/id/{int(ticket_id)}",
            headers={"Authorization": "Bearer " + issue_token(self.secret_key, SERVICE_PRINCIPAL),
                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                ticket = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("ticket %s: visitor lookup failed (%s)", ticket_id,
                           type(exc).__name__)
            return None
        visitor = ticket.get("visitor") or {}
        answers = ticket.get("details") or {}
        if not visitor and not answers:
            return None
        return {"name": visitor.get("name"), "nik": visitor.get("nik"),
                "phone": visitor.get("phone"), "answers": answers}
