"""The office's staff list, read from the queue's staff API (never from its tables).

Reassigning a step picks a person: the workflow asks the queue who holds the step's role (and
section) with its own service token, as it does for a ticket's visitor.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
from dataclasses import dataclass
from typing import Any

from workflow_service.adapters.queue_api import get_json

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueStaff:
    """``GET {queue_api}/staff?role=&section=``; None when the queue cannot say."""

    queue_api: str  # e.g. http://127.0.0.1:8000/api/queue
    secret_key: str
    timeout: float = 5.0
    # The queue's WSGI app when the hall runs both in this process (no network hop).
    wsgi_app: Any = None

    def people(self, role: str | None, section: str | None = None) -> list[dict[str, Any]] | None:
        """Active staff holding ``role`` (in ``section`` when given): id, username, name."""
        params = {"role": role, "section": section}
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v})
        try:
            staff = get_json(self.queue_api, self.secret_key, f"/staff?{query}",
                             timeout=self.timeout, wsgi_app=self.wsgi_app).get("staff")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("staff lookup for role %s failed (%s)", role, type(exc).__name__)
            return None
        return [{"id": p["id"], "username": p["username"], "full_name": p.get("full_name"),
                 "roles": list(p.get("roles") or []), "section": p.get("section")}
                for p in staff or [] if isinstance(p, dict)]
