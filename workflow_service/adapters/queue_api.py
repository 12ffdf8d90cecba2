"""One GET on the queue's API with the workflow's service token: in-process when the hall runs
both services (the mounted queue app, no network hop), else over HTTP. Used by the staff list
(``queue_staff.py``) and the office's rooms (``queue_office.py``)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from loket.auth import issue_token
from workflow_service.adapters.queue_tickets import SERVICE_PRINCIPAL


def get_json(queue_api: str, secret_key: str, path: str, *, timeout: float,
             wsgi_app: Any = None) -> dict[str, Any]:
    """The JSON answer of ``GET {queue_api}{path}``; OSError (or URLError) when the queue does
    not answer 200, ValueError when the answer is not JSON."""
    headers = {"Authorization": "Bearer " + issue_token(secret_key, SERVICE_PRINCIPAL),
               "Accept": "application/json"}
    if wsgi_app is not None:
        from werkzeug.test import Client

        response = Client(wsgi_app).get(path, headers=headers)
        if response.status_code != 200:
            raise OSError(f"queue answered {response.status_code}")
        return json.loads(response.get_data())  # type: ignore[no-any-return]
    request = urllib.request.Request(f"{queue_api.rstrip('/')}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read().decode("utf-8"))  # type: ignore[no-any-return]
