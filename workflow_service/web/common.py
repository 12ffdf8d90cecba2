"""Helpers the views share: the service context, the JSON body, the caller, the staff roles."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from loket.auth import Principal, current_principal
from loket.errors import Unauthorized, ValidationFailed
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
    """The request's JSON object, or a 422 naming what is wrong."""
    data = request.get_json(silent=True)
    if data is None:
        if request.content_length:
            raise ValidationFailed("Isi permintaan bukan JSON yang valid.", field="body",
                                   code="malformed_json")
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed("Isi permintaan harus berupa objek JSON.", field="body",
                               code="malformed_json")
    return data


def principal() -> Principal:
    who = current_principal()
    if who is None:  # views call this behind loket.auth.require, so this is a safety net
        raise Unauthorized("Perlu masuk (login) atau token perangkat.")
    return who
