"""HTTP client for the queue API; the kiosk's only way to reach the server."""

from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)


class ServerUnreachable(Exception):
    """The queue server could not be reached (connection refused, timeout, 5xx)."""


class ApiError(Exception):
    """The server refused the request (4xx) with its JSON error shape."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status


class QueueClient:
    """Talks to ``/api/queue/…`` with the kiosk device token."""

    def __init__(self, base_url: str, token: str, timeout: float = 5.0,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        # {"open": bool, "message": str | None} from the last catalog: closed outside hours.
        self.office: dict[str, Any] = {"open": True, "message": None}
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"} if token else {},
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def services(self) -> list[dict[str, Any]]:
        """Return the live service catalog (and keep the office's state in ``self.office``)."""
        body = self._request("GET", "/api/queue/services")
        self.office = dict(body.get("office") or {"open": True, "message": None})
        return list(body.get("services", []))

    def issue_ticket(self, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Issue a ticket; the same key always yields the same ticket."""
        return self._request(
            "POST", "/api/queue/tickets", json=payload,
            headers={"Idempotency-Key": idempotency_key},
        )

    def notify_staff(self, code: str, detail: str) -> bool:
        """Report a kiosk fault to staff (``POST /api/queue/kiosk/faults``).

        ``code`` is one the queue knows (``printer_offline``, ``paper_out``, ``printer_error``…);
        the server keeps at most 200 characters of ``detail``. False when the server has no
        fault endpoint.
        """
        body = {"code": code, "detail": detail[:200]}
        try:
            self._request("POST", "/api/queue/kiosk/faults", json=body)
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TransportError as exc:  # connect errors, timeouts, broken connections
            logger.warning("queue server unreachable: %s %s (%s)", method, path, type(exc).__name__)
            raise ServerUnreachable(str(exc)) from exc
        if response.status_code >= 500:
            logger.warning("queue server error %s on %s %s", response.status_code, method, path)
            raise ServerUnreachable(f"server error {response.status_code}")
        if response.status_code >= 400:
            raise _api_error(response)
        if response.status_code == 204 or not response.content:
            return {}
        data = response.json()
        return data if isinstance(data, dict) else {"data": data}


def _api_error(response: httpx.Response) -> ApiError:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    return ApiError(
        code=str(error.get("code") or f"http_{response.status_code}"),
        message=str(error.get("message") or response.reason_phrase),
        field=error.get("field"),
        status=response.status_code,
    )
