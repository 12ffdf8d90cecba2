"""Step lifecycle: pending → active → (waiting_applicant ⇄ active) → done | rejected | cancelled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.workflow_domain.workflow_domain_support import utc_of, wib
from workflow_service.domain.calendar import BusinessCalendar
from workflow_service.domain.lifecycle import (
    CaseDefinitionError,
    NextStep,
    StepDefinition,
    StepRun,
    StepState,
    TransitionError,
    next_step,
)

pytestmark = pytest.mark.unit

CAL = BusinessCalendar()
T0 = wib(2026, 11, 30, 8, 0)

VERIFY = StepDefinition(
    id="verifikasi",
    roles=frozenset({"petugas"}),
    time_standard="PT2M",
    name="Verifikasi berkas",
    output="Verifikasi permohonan",
    requirements=("Fotokopi KK", "Surat pengantar desa"),
)


def pending() -> StepRun:
    return StepRun.new(VERIFY)


def active() -> StepRun:
    return pending().activate(T0, CAL, assignee="petugas-1")


def waiting() -> StepRun:
    return active().return_to_applicant(wib(2026, 11, 30, 8, 1), "Fotokopi KK tidak terbaca")


def done() -> StepRun:
    return active().complete(
        wib(2026, 11, 30, 8, 2), "Berkas lengkap", ["Fotokopi KK", "Surat pengantar desa"]
    )


def rejected() -> StepRun:
    return active().reject(wib(2026, 11, 30, 8, 2), "Bukan warga Kecamatan Genteng")


def cancelled() -> StepRun:
    return active().cancel(wib(2026, 11, 30, 8, 2), "Pemohon membatalkan")


STATES: dict[StepState, Callable[[], StepRun]] = {
    StepState.PENDING: pending,
    StepState.ACTIVE: active,
    StepState.WAITING_APPLICANT: waiting,
    StepState.DONE: done,
    StepState.REJECTED: rejected,
    StepState.CANCELLED: cancelled,
}

AT = wib(2026, 11, 30, 9, 0)
ACTIONS: dict[str, Callable[[StepRun], StepRun]] = {
    "activate": lambda run: run.activate(AT, CAL, assignee="petugas-1"),
    "complete": lambda run: run.complete(
        AT, "Berkas lengkap", ["Fotokopi KK", "Surat pengantar desa"]
    ),
    "return_to_applicant": lambda run: run.return_to_applicant(AT, "Berkas kurang"),
    "resubmit": lambda run: run.resubmit(AT),
    "reject": lambda run: run.reject(AT, "Tidak memenuhi syarat"),
    "cancel": lambda run: run.cancel(AT),
    "reassign": lambda run: run.reassign(AT, "petugas-2", {"petugas"}),
}

# (state, action) → resulting state; every pair not listed must be refused.
LEGAL: dict[tuple[StepState, str], StepState] = {
    (StepState.PENDING, "activate"): StepState.ACTIVE,
    (StepState.PENDING, "cancel"): StepState.CANCELLED,
    (StepState.ACTIVE, "complete"): StepState.DONE,
    (StepState.ACTIVE, "return_to_applicant"): StepState.WAITING_APPLICANT,
    (StepState.ACTIVE, "reject"): StepState.REJECTED,
    (StepState.ACTIVE, "cancel"): StepState.CANCELLED,
    (StepState.ACTIVE, "reassign"): StepState.ACTIVE,
    (StepState.WAITING_APPLICANT, "resubmit"): StepState.ACTIVE,
    (StepState.WAITING_APPLICANT, "reject"): StepState.REJECTED,
    (StepState.WAITING_APPLICANT, "cancel"): StepState.CANCELLED,
    (StepState.WAITING_APPLICANT, "reassign"): StepState.WAITING_APPLICANT,
}

ALL_PAIRS = [(state, action) for state in STATES for action in ACTIONS]


def test_state_builders_reach_the_state_they_are_named_after() -> None:
    for state, build in STATES.items():
        assert build().state is state


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p in LEGAL])
def test_legal_transition_reaches_the_expected_state(state: StepState, action: str) -> None:
    run = ACTIONS[action](STATES[state]())
    assert run.state is LEGAL[(state, action)]
    assert run.history[-1].action == action
    assert run.history[-1].from_state is state


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p not in LEGAL])
def test_illegal_transition_is_refused_with_an_indonesian_message(
    state: StepState, action: str
) -> None:
    before = STATES[state]()
    with pytest.raises(TransitionError) as info:
        ACTIONS[action](before)
    assert "tidak bisa" in info.value.message
    assert info.value.code == "illegal_transition"
    assert before.state is state  # nothing changed


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (
            StepState.DONE,
            "return_to_applicant",
            "Langkah ini sudah selesai; tidak bisa dikembalikan.",
        ),
        (StepState.PENDING, "complete", "Langkah ini belum dimulai; tidak bisa diselesaikan."),
        (StepState.ACTIVE, "activate", "Langkah ini sedang berjalan; tidak bisa dimulai."),
        (
            StepState.WAITING_APPLICANT,
            "complete",
            "Berkas sedang dikembalikan ke pemohon; tidak bisa diselesaikan.",
        ),
        (StepState.REJECTED, "resubmit", "Langkah ini sudah ditolak; tidak bisa diajukan ulang."),
        (StepState.CANCELLED, "reassign", "Langkah ini sudah dibatalkan; tidak bisa dialihkan."),
        (StepState.DONE, "cancel", "Langkah ini sudah selesai; tidak bisa dibatalkan."),
    ],
)
def test_refusal_message_names_the_state_and_the_action(
    state: StepState, action: str, message: str
) -> None:
    with pytest.raises(TransitionError, match=f"^{message}$"):
        ACTIONS[action](STATES[state]())


# --- data required by the actions ------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_return_to_applicant_requires_a_reason(reason: str | None) -> None:
    with pytest.raises(TransitionError, match="Alasan pengembalian berkas wajib diisi.") as info:
        active().return_to_applicant(AT, reason)
    assert info.value.field == "reason"


@pytest.mark.parametrize("reason", [None, "", "\n"])
def test_reject_requires_a_reason(reason: str | None) -> None:
    with pytest.raises(TransitionError, match="Alasan penolakan wajib diisi."):
        active().reject(AT, reason)


def test_reason_is_recorded_trimmed() -> None:
    run = active().return_to_applicant(AT, "  Fotokopi KK buram ")
    assert run.reason == "Fotokopi KK buram"
    assert run.history[-1].reason == "Fotokopi KK buram"


@pytest.mark.parametrize("output", [None, "", "  "])
def test_complete_requires_the_output_recorded(output: str | None) -> None:
    with pytest.raises(TransitionError, match="Hasil langkah wajib dicatat") as info:
        active().complete(AT, output, ["Fotokopi KK", "Surat pengantar desa"])
    assert info.value.field == "output"


def test_complete_requires_a_list_of_checked_requirements() -> None:
    with pytest.raises(TransitionError, match="Daftar persyaratan"):
        active().complete(AT, "Berkas lengkap", None)


def test_complete_names_the_requirements_not_yet_checked() -> None:
    with pytest.raises(TransitionError, match="Persyaratan belum diperiksa: Surat pengantar desa."):
        active().complete(AT, "Berkas lengkap", ["Fotokopi KK"])


def test_complete_refuses_requirements_the_step_does_not_have() -> None:
    with pytest.raises(TransitionError, match="Persyaratan tidak dikenal"):
        active().complete(
            AT, "Berkas lengkap", ["Fotokopi KK", "Surat pengantar desa", "Akta nikah"]
        )


def test_step_without_requirements_completes_with_an_empty_list() -> None:
    sign = StepDefinition(id="ttd", roles=frozenset({"camat"}), time_standard="PT3M")
    run = StepRun.new(sign).activate(T0, CAL).complete(AT, "Rekomendasi ditandatangani", [])
    assert run.state is StepState.DONE
    assert run.output == "Rekomendasi ditandatangani"


def test_completion_records_output_checks_and_outcome() -> None:
    run = active().complete(
        AT, "Berkas lengkap", ["Surat pengantar desa", "Fotokopi KK"], outcome="ya"
    )
    assert run.output == "Berkas lengkap"
    assert set(run.checked_requirements) == {"Fotokopi KK", "Surat pengantar desa"}
    assert run.outcome == "ya"


# --- clock and assignee ----------------------------------------------------------------------


def test_activation_starts_the_sla_clock() -> None:
    run = active()
    assert run.clock is not None
    assert run.clock.due_at == utc_of(2026, 11, 30, 8, 2)
    assert run.assignee == "petugas-1"


def test_return_pauses_and_resubmit_resumes_the_clock() -> None:
    returned = active().return_to_applicant(wib(2026, 11, 30, 8, 1), "Berkas kurang")
    assert returned.clock is not None and returned.clock.is_paused
    back = returned.resubmit(wib(2026, 11, 30, 10, 1))
    assert back.clock is not None and not back.clock.is_paused
    assert back.clock.due_at == utc_of(2026, 11, 30, 10, 2)


def test_reassign_hands_the_step_to_a_colleague_of_the_same_role() -> None:
    run = active().reassign(AT, "petugas-2", {"petugas"}, by="kasi-1")
    assert run.assignee == "petugas-2"
    assert run.state is StepState.ACTIVE
    assert run.history[-1].by == "kasi-1"


def test_reassign_while_waiting_keeps_the_clock_paused() -> None:
    run = waiting().reassign(AT, "petugas-2", {"petugas"})
    assert run.state is StepState.WAITING_APPLICANT
    assert run.clock is not None and run.clock.is_paused


def test_reassign_to_someone_of_another_role_is_refused() -> None:
    with pytest.raises(TransitionError, match="peran yang sama") as info:
        active().reassign(AT, "operator-1", {"operator"})
    assert info.value.code == "wrong_role"


def test_reassign_to_the_current_assignee_is_refused() -> None:
    with pytest.raises(TransitionError, match="sudah ditugaskan"):
        active().reassign(AT, "petugas-1", {"petugas"})


def test_step_definition_from_dict_refuses_a_bad_time_standard() -> None:
    with pytest.raises(ValueError):
        StepDefinition.from_dict({"id": "x", "roles": ["petugas"], "time_standard": "5 menit"})


def test_step_definition_needs_a_role() -> None:
    with pytest.raises(CaseDefinitionError):
        StepDefinition.from_dict({"id": "x", "roles": []})


# --- case level: what comes next --------------------------------------------------------------

# Rekomendasi SOP: registration by the seksi may end the case ("tidak"); the rest is linear.
REKOMENDASI: list[dict[str, Any]] = [
    {"id": "terima", "roles": ["petugas"], "time_standard": "PT2M"},
    {
        "id": "verifikasi",
        "roles": ["kasi"],
        "time_standard": "PT5M",
        "branches": {"tidak": "end:rejected"},
    },
    {
        "id": "tanda_tangan",
        "roles": ["camat", "sekcam"],
        "time_standard": "PT3M",
        "branches": {"tidak": "verifikasi"},
    },
    {"id": "serah", "roles": ["petugas"], "time_standard": "PT2M"},
]


def test_next_step_follows_the_order_by_default() -> None:
    assert next_step(REKOMENDASI, "terima") == NextStep("verifikasi")
    assert next_step(REKOMENDASI, "verifikasi", "ya") == NextStep("tanda_tangan")


def test_tidak_on_a_branching_step_ends_the_case_as_rejected() -> None:
    result = next_step(REKOMENDASI, "verifikasi", "tidak")
    assert result.is_end
    assert result.end == "rejected"


def test_branch_may_send_the_case_back_to_an_earlier_step() -> None:
    assert next_step(REKOMENDASI, "tanda_tangan", "tidak") == NextStep("verifikasi")


def test_completing_the_last_step_ends_the_case_as_done() -> None:
    assert next_step(REKOMENDASI, "serah") == NextStep(None, "done")


def test_branch_may_end_the_case_early_as_done() -> None:
    steps: list[dict[str, Any]] = [
        {"id": "a", "roles": ["petugas"], "branches": {"selesai": "end:done"}},
        {"id": "b", "roles": ["petugas"]},
    ]
    assert next_step(steps, "a", "selesai") == NextStep(None, "done")


def test_outcome_without_a_branch_continues_in_order() -> None:
    assert next_step(REKOMENDASI, "terima", "tidak") == NextStep("verifikasi")


def test_branch_to_an_unknown_step_is_a_definition_error() -> None:
    steps: list[dict[str, Any]] = [{"id": "a", "roles": ["petugas"], "branches": {"tidak": "z"}}]
    with pytest.raises(CaseDefinitionError, match="unknown step"):
        next_step(steps, "a", "tidak")


def test_duplicate_step_ids_are_a_definition_error() -> None:
    steps: list[dict[str, Any]] = [
        {"id": "a", "roles": ["petugas"]},
        {"id": "a", "roles": ["kasi"]},
    ]
    with pytest.raises(CaseDefinitionError, match="duplicate"):
        next_step(steps, "a")


def test_unknown_current_step_is_a_definition_error() -> None:
    with pytest.raises(CaseDefinitionError):
        next_step(REKOMENDASI, "tidak_ada")


def test_resubmission_clears_the_current_reason_but_history_keeps_it() -> None:
    run = waiting().resubmit(AT)
    assert run.reason is None
    assert run.history[-2].reason == "Fotokopi KK tidak terbaca"


# --- what the SOP allows on a step --------------------------------------------------------

PERSETUJUAN = StepDefinition(
    id="2", roles=frozenset({"kasi"}), time_standard="PT5M", decisions=("ya", "tidak"),
    branches={"tidak": "1"}, hands_back=frozenset({"tidak"}), allows_return=False,
    allows_reject=False,
)


def test_a_persetujuan_row_cannot_be_completed_without_its_decision() -> None:
    run = StepRun.new(PERSETUJUAN).activate(T0, CAL)
    with pytest.raises(TransitionError, match="Keputusan wajib dipilih: ya / tidak") as err:
        run.complete(AT, "Diperiksa", [])
    assert err.value.code == "decision_required" and err.value.field == "decision"
    with pytest.raises(TransitionError, match="salah satu dari: ya, tidak"):
        run.complete(AT, "Diperiksa", [], outcome="mungkin")
    assert run.complete(AT, "Diperiksa", [], outcome="tidak").outcome == "tidak"


def test_return_and_reject_are_refused_where_the_sop_has_none() -> None:
    run = StepRun.new(PERSETUJUAN).activate(T0, CAL)
    with pytest.raises(TransitionError, match="tidak dikembalikan ke pemohon") as returned:
        run.return_to_applicant(AT, "Kurang fotokopi")
    assert returned.value.code == "return_not_allowed"
    with pytest.raises(TransitionError, match="tidak dapat ditolak") as rejected:
        run.reject(AT, "Tidak memenuhi syarat")
    assert rejected.value.code == "reject_not_allowed"


def test_a_decision_that_hands_the_file_back_says_so() -> None:
    steps = [StepDefinition(id="1", roles=frozenset({"petugas"})), PERSETUJUAN,
             StepDefinition(id="3", roles=frozenset({"camat"}))]
    assert next_step(steps, "2", "tidak") == NextStep("1", hands_back=True)
    assert next_step(steps, "2", "ya") == NextStep("3")
