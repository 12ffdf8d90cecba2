"""The office profile's rooms, read from the queue's ``GET /office`` (never from its tables),
with the workflow's service token, as the staff list is (``queue_staff.py``)."""

from __future__ import annotations

import logging
import urllib.error
from dataclasses import dataclass
from typing import Any

from workflow_service.adapters.queue_api import get_json

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
        try:
            rooms = get_json(self.queue_api, self.secret_key, "/office", timeout=self.timeout,
                             wsgi_app=self.wsgi_app).get("rooms")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("office rooms lookup failed (%s)", type(exc).__name__)
            return None
        return {str(k): v for k, v in (rooms or {}).items() if isinstance(v, dict)}
