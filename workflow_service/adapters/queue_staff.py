"""The office's staff list, read from the queue's staff API (never from its tables).

Reassigning a step picks a person: the workflow asks the queue who holds the step's role (and
section) with its own service token, as it does for a ticket's visitor.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from loket.auth import issue_token
from workflow_service.adapters.queue_tickets import SERVICE_PRINCIPAL

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
        headers = {"Authorization": "Bearer " + issue_token(self.secret_key, SERVICE_PRINCIPAL),
                   "Accept": "application/json"}
        try:
            staff = self._get(f"/staff?{query}", headers).get("staff")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("staff lookup for role %s failed (%s)", role, type(exc).__name__)
            return None
        return [{"id": p["id"], "username": p["username"], "full_name": p.get("full_name"),
                 "roles": list(p.get("roles") or []), "section": p.get("section")}
                for p in staff or [] if isinstance(p, dict)]

    def _get(self, path: str, headers: dict[str, str]) -> dict[str, Any]:
        if self.wsgi_app is not None:
            from werkzeug.test import Client

            response = Client(self.wsgi_app).get(path, headers=headers)
            if response.status_code != 200:
                raise OSError(f"queue answered {response.status_code}")
            return json.loads(response.get_data())  # type: ignore[no-any-return]
        request = urllib.request.Request(f"{self.queue_api.rstrip('/')}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))  # type: ignore[no-any-return]
