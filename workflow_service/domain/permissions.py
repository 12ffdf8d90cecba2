"""Who may act on a step: the step's own role or a supervisor up the chain.

The chain of command and the role list are the SOP catalog's (``sop/data/roles.yaml``, read
through :mod:`sop.roles`): one definition, so a late guest-reception step (``tujuan``) goes to
the Sekcam as the registry says. ``admin`` is not an SOP actor: it manages accounts and
workload, and may reassign a step but never decide one (no approving, rejecting or returning).
"""

from __future__ import annotations

from collections.abc import Iterable

from sop import roles as sop_roles

PETUGAS = "petugas"
OPERATOR = "operator"
KASI = "kasi"
SEKCAM = "sekcam"
CAMAT = "camat"
ADMIN = "admin"
# A guest's host: any member of staff (the SOP's "Pejabat/Pegawai yang Dituju" column).
HOST = "tujuan"


def _registry() -> sop_roles.RoleRegistry:
    return sop_roles.default_registry()


def staff_roles() -> frozenset[str]:
    """Roles a member of staff signs in with (the registry's staff, the host placeholder aside)."""
    return frozenset(sop_roles.staff_roles())


def login_roles() -> frozenset[str]:
    """Every role a token may carry: the staff roles and the system roles (admin)."""
    return frozenset(sop_roles.login_roles())


def role_kind(code: str) -> str:
    """``citizen`` / ``staff`` / ``external``; a role outside the registry counts as staff."""
    return str(_registry().get(code).kind) if code in _registry() else "staff"


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
    """The role directly above ``role`` (None for camat and for roles outside the registry)."""
    return _registry().supervisor_of(role) if role in _registry() else None


def supervisors_of(role: str) -> list[str]:
    """Every role above ``role``, nearest first (``petugas`` → [kasi, sekcam, camat])."""
    return _registry().escalation_chain(role) if role in _registry() else []


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
