"""The applicant on a case: added or corrected by staff at intake, kept encrypted."""

from __future__ import annotations

from typing import Any

from loket.auth import Principal
from loket.errors import Conflict, ValidationFailed
from workflow_service.privacy import applicant_for_letters, encrypt_applicant
from workflow_service.usecases import steps
from workflow_service.usecases.context import WorkflowContext, unit_of_work
from workflow_service.usecases.serializers import case_json


def set_applicant(ctx: WorkflowContext, case_id: int, applicant: dict[str, Any] | None,
                  actor: Principal) -> dict[str, Any]:
    """Replace the fields given; the others (e.g. the kiosk's answers) stay as they were."""
    if applicant is None:
        raise ValidationFailed("Isi sedikitnya satu data pemohon.", field="applicant")
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = steps.get_case(uow.session, case_id, lock=True)
        if case.status != "open":
            raise Conflict("Data pemohon hanya dapat diubah selama kasus berjalan.",
                           field="applicant", code="case_closed")
        merged = applicant_for_letters(case.applicant_enc)
        merged.update({k: v for k, v in applicant.items() if v not in (None, {}, "")})
        case.applicant_enc = encrypt_applicant(merged)
        changed = ", ".join(sorted(k for k, v in applicant.items() if v not in (None, {}, "")))
        # The log names which fields changed, never their values.
        steps.log(uow, case, steps.current_step(case), actor.username,
                  sorted(actor.roles)[0] if actor.roles else None, "applicant", None, None,
                  note=f"data pemohon diperbarui: {changed}")
        return case_json(uow.session, case, detail=True)
