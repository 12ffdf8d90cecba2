"""The office profile's rooms, read from the queue's ``GET /office`` (never from its tables),
with the workflow's service token, as the staff list is (``queue_staff.py``)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from loket.auth import issue_token
from workflow_service.adapters.queue_tickets import SERVICE_PRINCIPAL

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueOffice:
    queue_api: str  # e.g. http://127.0.0.1:8000/api/queue
    secret_key: str
    timeout: float = 3.0
    # The queue's WSGI app when the hall runs both in this process (no network hop).
    wsgi_app: Any = None

    def rooms(self) -> dict[str, dict[str, Any]] | None:
        """Section code or official -> ``{"room", "floor"}``; None when the queue cannot say."""
        headers = {"Authorization": "Bearer " + issue_token(self.secret_key, SERVICE_PRINCIPAL),
                   "Accept": "application/json"}
        try:
            rooms = self._get("/office", headers).get("rooms")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("office rooms lookup failed (%s)", type(exc).__name__)
            return None
        return {str(k): v for k, v in (rooms or {}).items() if isinstance(v, dict)}

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
