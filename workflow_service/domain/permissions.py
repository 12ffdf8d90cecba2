"""Who may act on a step: the step's own role or a supervisor up the chain.

Chain of command at the kecamatan: petugas → kasi, operator → kasi, kasi → sekcam,
sekcam → camat. ``admin`` manages accounts and workload: it may reassign a step but never
decide one (no approving, rejecting or returning).
"""

from __future__ import annotations

from collections.abc import Iterable

PETUGAS = "petugas"
OPERATOR = "operator"
KASI = "kasi"
SEKCAM = "sekcam"
CAMAT = "camat"
ADMIN = "admin"

STAFF_ROLES: frozenset[str] = frozenset({PETUGAS, OPERATOR, KASI, SEKCAM, CAMAT})
ROLES: frozenset[str] = STAFF_ROLES | {ADMIN}

SUPERVISOR_OF: dict[str, str] = {
    PETUGAS: KASI,
    OPERATOR: KASI,
    KASI: SEKCAM,
    SEKCAM: CAMAT,
}

# Actions on a step. "approve" is completing a step whose output is a decision (persetujuan,
# tanda tangan); the lifecycle treats it as ``complete``.
ACTIONS: frozenset[str] = frozenset(
    {
        "activate",
        "complete",
        "approve",
        "return_to_applicant",
        "resubmit",
        "reject",
        "cancel",
        "reassign",
    }
)
# Handing a step to a colleague is a supervisor's (or admin's) call, not the assignee's own.
SUPERVISOR_ONLY_ACTIONS: frozenset[str] = frozenset({"reassign"})
ADMIN_ACTIONS: frozenset[str] = frozenset({"reassign"})


def supervisor_of(role: str) -> str | None:
    """The role directly above ``role`` (None for camat and for roles outside the chain)."""
    return SUPERVISOR_OF.get(role)


def supervisors_of(role: str) -> list[str]:
    """Every role above ``role``, nearest first (``petugas`` → [kasi, sekcam, camat])."""
    chain: list[str] = []
    current = SUPERVISOR_OF.get(role)
    while current is not None and current not in chain:
        chain.append(current)
        current = SUPERVISOR_OF.get(current)
    return chain


def _supervises(actor_role: str, step_roles: Iterable[str]) -> bool:
    return any(actor_role in supervisors_of(step_role) for step_role in step_roles)


def can_act(
    actor_roles: set[str] | frozenset[str], step_roles: set[str] | frozenset[str], action: str
) -> bool:
    """May someone holding ``actor_roles`` perform ``action`` on a step owned by ``step_roles``?

    - The step's own role may do everything except reassign.
    - A supervisor anywhere up the chain may do everything, reassign included.
    - ``admin`` may only reassign.
    - Nobody acts for a role above their own (a petugas cannot act as camat).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action: {action!r}")
    if action in ADMIN_ACTIONS and ADMIN in actor_roles:
        return True
    for role in actor_roles:
        if role == ADMIN:
            continue
        if _supervises(role, step_roles):
            return True
        if role in step_roles and action not in SUPERVISOR_ONLY_ACTIONS:
            return True
    return False
