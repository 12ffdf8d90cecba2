"""Who may act on a step: its own role or a supervisor up the chain; admin only reassigns."""

from __future__ import annotations

import pytest

from workflow_service.domain.permissions import (
    ACTIONS,
    can_act,
    supervisor_of,
    supervisors_of,
)

pytestmark = pytest.mark.unit

DECIDING = [
    "activate",
    "complete",
    "approve",
    "return_to_applicant",
    "resubmit",
    "reject",
    "cancel",
]
ACTORS = ["petugas", "operator", "kasi", "sekcam", "camat", "admin"]

Y, N = True, False

# For each step role: actor → (may decide [every action except reassign], may reassign).
MATRIX: dict[str, dict[str, tuple[bool, bool]]] = {
    "petugas": {
        "petugas": (Y, N),
        "operator": (N, N),
        "kasi": (Y, Y),
        "sekcam": (Y, Y),
        "camat": (Y, Y),
        "admin": (N, Y),
    },
    "operator": {
        "petugas": (N, N),
        "operator": (Y, N),
        "kasi": (Y, Y),
        "sekcam": (Y, Y),
        "camat": (Y, Y),
        "admin": (N, Y),
    },
    "kasi": {
        "petugas": (N, N),
        "operator": (N, N),
        "kasi": (Y, N),
        "sekcam": (Y, Y),
        "camat": (Y, Y),
        "admin": (N, Y),
    },
    "sekcam": {
        "petugas": (N, N),
        "operator": (N, N),
        "kasi": (N, N),
        "sekcam": (Y, N),
        "camat": (Y, Y),
        "admin": (N, Y),
    },
    "camat": {
        "petugas": (N, N),
        "operator": (N, N),
        "kasi": (N, N),
        "sekcam": (N, N),
        "camat": (Y, N),
        "admin": (N, Y),
    },
}

CASES = [
    (step_role, actor, action, MATRIX[step_role][actor][1 if action == "reassign" else 0])
    for step_role in MATRIX
    for actor in ACTORS
    for action in [*DECIDING, "reassign"]
]


def test_matrix_covers_every_action() -> None:
    assert set(DECIDING) | {"reassign"} == ACTIONS


@pytest.mark.parametrize(("step_role", "actor", "action", "allowed"), CASES)
def test_permission_matrix(step_role: str, actor: str, action: str, allowed: bool) -> None:
    assert can_act({actor}, {step_role}, action) is allowed


def test_officer_cannot_approve_as_camat() -> None:
    assert not can_act({"petugas"}, {"camat"}, "approve")
    assert not can_act({"kasi"}, {"camat"}, "approve")


def test_admin_may_reassign_but_never_approve_or_reject() -> None:
    assert can_act({"admin"}, {"camat"}, "reassign")
    assert not can_act({"admin"}, {"petugas"}, "approve")
    assert not can_act({"admin"}, {"petugas"}, "reject")


def test_admin_who_is_also_kasi_decides_as_kasi() -> None:
    assert can_act({"admin", "kasi"}, {"petugas"}, "approve")
    assert not can_act({"admin", "kasi"}, {"sekcam"}, "approve")


def test_step_shared_by_two_roles_may_be_done_by_either() -> None:
    # Rekomendasi: the recommendation is signed by the Camat or the Sekcam.
    assert can_act({"sekcam"}, {"camat", "sekcam"}, "approve")
    assert can_act({"camat"}, {"camat", "sekcam"}, "approve")
    assert not can_act({"kasi"}, {"camat", "sekcam"}, "approve")


def test_no_roles_may_do_nothing() -> None:
    assert not any(can_act(set(), {"petugas"}, action) for action in ACTIONS)


def test_role_outside_the_chain_acts_only_on_its_own_steps() -> None:
    assert can_act({"kepala_dinas"}, {"kepala_dinas"}, "complete")
    assert not can_act({"kepala_dinas"}, {"petugas"}, "complete")
    assert can_act({"camat"}, {"kepala_dinas"}, "complete") is False


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        can_act({"camat"}, {"petugas"}, "hapus")


def test_chain_of_command() -> None:
    assert supervisor_of("petugas") == "kasi"
    assert supervisor_of("operator") == "kasi"
    assert supervisor_of("camat") is None
    assert supervisors_of("petugas") == ["kasi", "sekcam", "camat"]
    assert supervisors_of("operator") == ["kasi", "sekcam", "camat"]
    assert supervisors_of("camat") == []
