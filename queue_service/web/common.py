"""Helpers the views share: the service context, safe JSON bodies, the caller."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, request

from loket.auth import Principal, current_principal
from loket.errors import LoketError, Unauthorized
from queue_service.usecases.context import QueueContext
from sop import roles

# Who may use the staff endpoints, who supervises, who serves the visitor: sop/data/roles.yaml.
STAFF = roles.staff_roles()
SUPERVISORS = roles.supervising_roles()
FRONTLINE = roles.frontline_roles()


def ctx() -> QueueContext:
    return current_app.extensions["queue"]  # type: ignore[no-any-return]


def json_body(required: bool = True) -> Any:
    """The request body parsed as JSON, whatever the Content-Type; 400 if it is not JSON."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise LoketError("Isi permintaan (JSON) wajib diisi.", field="body", code="empty_body")
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LoketError("Isi permintaan bukan JSON yang valid.", field="body",
                         code="invalid_json") from None


def principal() -> Principal:
    who = current_principal()
    if who is None:  # views call this behind loket.auth.require, so this is a safety net
        raise Unauthorized("Perlu masuk (login) atau token perangkat.")
    return who


def query_list(name: str) -> list[str] | None:
    raw = request.args.get(name)
    if not raw:
        return None
    return [part.strip() for part in raw.split(",") if part.strip()][:20] or None
