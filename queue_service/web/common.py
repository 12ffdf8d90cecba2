"""Helpers the views share: the service context, the caller, role lists, the JSON body."""

from __future__ import annotations

from flask import current_app, request

from loket.auth import Principal, current_principal
from loket.errors import Unauthorized
from loket.web import json_body
from queue_service.usecases.context import QueueContext
from sop import roles

__all__ = ["FRONTLINE", "STAFF", "SUPERVISORS", "ctx", "json_body", "principal",
           "query_list"]

# Who may use the staff endpoints, who supervises, who serves the visitor: sop/data/roles.yaml.
STAFF = roles.staff_roles()
SUPERVISORS = roles.supervising_roles()
FRONTLINE = roles.frontline_roles()


def ctx() -> QueueContext:
    return current_app.extensions["queue"]  # type: ignore[no-any-return]


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
