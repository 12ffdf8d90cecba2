"""Whose desk a step is on: its role, and for a section-owned step that section's Kasi only.

The section of a member of staff is read from their token (the ``section`` claim the queue
signs at login, from its staff record); the sections and the steps they own are the office's
(``sections`` / ``step_sections`` in the office file).
"""

from __future__ import annotations

from loket.auth import Principal
from loket.errors import Forbidden
from workflow_service.domain.permissions import supervisors_of
from workflow_service.models import Step
from workflow_service.usecases.context import office


def section_of(sop_code: str, step_key: str) -> tuple[str, str] | None:
    """(code, name) of the section owning the step, or None."""
    finder = getattr(office(), "section_of", None)
    return finder(sop_code, step_key) if finder else None


def step_section(step: Step, sop_code: str) -> tuple[str, str] | None:
    """The section owning this step row: routed per case (``step.section``), else the office's."""
    if step.section:
        return step.section, (getattr(office(), "sections", {}) or {}).get(step.section,
                                                                          step.section)
    return section_of(sop_code, step.step_key)


def _in_section(actor: Principal, section: tuple[str, str]) -> bool:
    mine = (actor.section or "").strip().casefold()
    return bool(mine) and mine in {section[0].casefold(), section[1].casefold()}


def bound_by_section(actor: Principal, step: Step, sop_code: str) -> tuple[str, str] | None:
    """The section that keeps ``actor`` off the step, or None when it does not.

    Only holders of the step's own role are bound: a supervisor up the chain (Sekcam, Camat)
    still sees and acts on every step below them.
    """
    section = step_section(step, sop_code)
    if section is None or step.role not in actor.roles:
        return None
    if any(role in supervisors_of(step.role) for role in actor.roles):
        return None
    return None if _in_section(actor, section) else section


def check_section(actor: Principal, step: Step, sop_code: str) -> None:
    section = bound_by_section(actor, step, sop_code)
    if section is not None:
        raise Forbidden(f"Langkah ini milik Seksi {section[1]}; hanya Kasi seksi tersebut yang "
                        "dapat menanganinya.", code="other_section")
