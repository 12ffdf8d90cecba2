"""Helpers the views share: the service context, the JSON body, the caller, the staff roles."""

from __future__ import annotations

from typing import Any

from flask import current_app

from loket.auth import Principal, current_principal
from loket.errors import Unauthorized
from loket.web import json_object
from workflow_service.domain.permissions import login_roles, staff_roles
from workflow_service.usecases.context import WorkflowContext

# Who may call the staff endpoints, read once from sop/data/roles.yaml.
STAFF: tuple[str, ...] = tuple(sorted(staff_roles()))
STAFF_AND_ADMIN: tuple[str, ...] = tuple(sorted(login_roles()))
# Who may change the office calendar and look after parked notifications.
SUPERVISORS = ("sekcam", "camat")


def ctx() -> WorkflowContext:
    return current_app.extensions["workflow"]  # type: ignore[no-any-return]


def json_body() -> dict[str, Any]:
    """The request's JSON object (``{}`` when empty); the one contract of loket.web."""
    return json_object(required=False)


def principal() -> Principal:
    who = current_principal()
    if who is None:  # views call this behind loket.auth.require, so this is a safety net
        raise Unauthorized("Perlu masuk (login) atau token perangkat.")
    return who
