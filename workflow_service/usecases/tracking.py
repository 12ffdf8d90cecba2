"""Public tracking: where a case is and what comes next. No personal data, ever."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from loket.errors import LoketError, NotFound
from workflow_service.models import Case
from workflow_service.usecases.context import WorkflowContext, catalog
from workflow_service.usecases.queries import expected_completion
from workflow_service.usecases.serializers import CASE_LABELS, STATE_LABELS
from workflow_service.usecases.steps import content_of, current_step, iso, raw_step

logger = logging.getLogger(__name__)

NOT_FOUND = "Kode pelacakan tidak ditemukan. Periksa kembali kode pada tanda terima."
UNAVAILABLE = ("Status permohonan tidak dapat ditampilkan saat ini. Silakan coba lagi nanti "
               "atau tanyakan kepada petugas loket.")


def _status(session: Any, code: str) -> dict[str, Any]:
    case = session.scalar(select(Case).where(Case.tracking_code == code.strip().upper()))
    if case is None:
        raise NotFound(NOT_FOUND, field="code")
    content = content_of(session, case)
    current = current_step(case)
    labels = {r.code: r.label for r in catalog().roles}
    steps = []
    for step in case.steps:
        raw = raw_step(content, step.step_key)
        # The step's whole text: every bullet of the SOP's "Kegiatan" cell.
        activity = " ".join(raw.get("activity_lines") or [raw["activity"]])
        steps.append({"key": step.step_key, "activity": activity,
                      "role": labels.get(step.role, step.role), "state": step.state,
                      "state_label": STATE_LABELS.get(step.state, step.state),
                      "finished_at": iso(step.finished_at)})
    upcoming = [s for s in steps if s["state"] == "pending"]
    return {
        "tracking_code": case.tracking_code, "service": case.sop_code,
        "service_name": content["name"], "status": case.status,
        "status_label": CASE_LABELS.get(case.status, case.status),
        "opened_at": iso(case.opened_at), "closed_at": iso(case.closed_at),
        "current_step": next((s for s in steps if current and s["key"] == current.step_key
                              and s["state"] in ("active", "waiting_applicant")), None),
        "next_step": upcoming[0] if upcoming else None,
        "expected_completion": iso(expected_completion(session, case)),
        "steps": steps,
    }


def track(ctx: WorkflowContext, code: str) -> dict[str, Any]:
    """Public status of a case (the JSON endpoint)."""
    with ctx.db.read_session() as session:
        return _status(session, code)


def track_page(ctx: WorkflowContext, code: str) -> tuple[dict[str, Any] | None, str | None]:
    """The same for the phone page: (status, None) or (None, a message of the project's own).

    Whatever goes wrong, an anonymous visitor reads one of our sentences; the exception's
    text (table names, values, paths) goes to the log only.
    """
    try:
        return track(ctx, code), None
    except LoketError as exc:
        return None, exc.message
    except Exception:
        logger.exception("tracking page failed for a code of length %s", len(code))
        return None, UNAVAILABLE
