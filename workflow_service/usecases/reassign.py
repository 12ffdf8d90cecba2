"""Reassigning a step picks a person from the office's staff list, not a typed name.

The people who may take a step are those holding its role (for an outside actor's step the
petugas who record it; for a guest's host any member of staff), and for a section-owned step
that section's members only. The list comes from the queue's staff API.
"""

from __future__ import annotations

from typing import Any

from loket.auth import Principal
from loket.errors import Forbidden, LoketError, ValidationFailed
from workflow_service.adapters.queue_staff import QueueStaff
from workflow_service.domain import can_act
from workflow_service.domain.permissions import HOST, role_kind
from workflow_service.usecases import actions, desks, steps
from workflow_service.usecases.context import WorkflowContext
from workflow_service.validation import ActionInput


class StaffListUnavailable(LoketError):
    status = 503
    code = "staff_list_unavailable"


def directory(ctx: WorkflowContext) -> QueueStaff:
    return QueueStaff(f"{ctx.settings.base_url}/api/queue", ctx.settings.secret("secret_key"),
                      wsgi_app=ctx.queue_wsgi)


def _current(ctx: WorkflowContext, case_id: int) -> tuple[str, tuple[str, str] | None,
                                                          frozenset[str]]:
    """The current step's role, its section and the roles that may act on it."""
    with ctx.db.read_session() as session:
        case = steps.get_case(session, case_id)
        step = actions.open_step(case)
        definitions = steps.definitions(steps.content_of(session, case))
        definition = next(d for d in definitions if d.id == step.step_key)
        roles = definition.roles if step.role in definition.roles else steps.acting_roles(
            step.role)  # routed per case (a complaint's disposisi)
        return step.role, desks.step_section(step, case.sop_code), roles


def _holder_role(role: str) -> str | None:
    """Whose names the list shows: the petugas record an outside actor's step; a guest's host
    can be anyone (None)."""
    if role_kind(role) == "external":
        return "petugas"
    return None if role == HOST else role


def _check(actor: Principal, roles: frozenset[str]) -> None:
    if not can_act(set(actor.roles), set(roles), "reassign"):
        raise Forbidden("Hanya atasan (Kasi, Sekcam, Camat) atau admin yang dapat mengalihkan "
                        "langkah.", code="role_not_allowed")


def candidates(ctx: WorkflowContext, case_id: int, actor: Principal) -> dict[str, Any]:
    """The people the current step may be given to (``GET …/steps/current/candidates``)."""
    role, section, roles = _current(ctx, case_id)
    _check(actor, roles)
    people = directory(ctx).people(_holder_role(role), section[0] if section else None)
    if people is None:
        raise StaffListUnavailable("Daftar petugas tidak dapat dibaca dari layanan antrean; "
                                   "coba lagi sebentar lagi.")
    return {"role": role, "section": {"code": section[0], "name": section[1]} if section else None,
            "staff": people}


def reassign(ctx: WorkflowContext, case_id: int, actor: Principal,
             data: ActionInput) -> dict[str, Any]:
    """Give the current step to the person ``data.staff_id`` (or, as before, ``assignee``)."""
    _check(actor, _current(ctx, case_id)[2])
    if data.staff_id is None and not data.assignee:
        raise ValidationFailed("Pilih petugas pengganti dari daftar.", field="staff_id",
                               code="assignee_required")
    people = candidates(ctx, case_id, actor)["staff"]
    person = next((p for p in people if p["id"] == data.staff_id
                   or (data.staff_id is None and p["username"] == data.assignee)), None)
    if person is None:
        field = "staff_id" if data.staff_id is not None else "assignee"
        raise ValidationFailed("Petugas tersebut tidak ada dalam daftar petugas yang memegang "
                               "peran (dan seksi) langkah ini.", field=field,
                               code="unknown_staff")
    chosen = ActionInput(assignee=str(person["username"]))
    return actions.act(ctx, case_id, "reassign", actor, chosen)
