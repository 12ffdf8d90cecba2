"""The one step lifecycle every SOP shares, and the case-level "what comes next".

States: pending → active → (waiting_applicant ⇄ active) → done | rejected | cancelled.

A :class:`StepRun` is immutable; each action returns the next run or raises
:class:`TransitionError` whose message is shown to the officer as is (Bahasa Indonesia).
Permission checks (who may act) live in :mod:`workflow_service.domain.permissions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from workflow_service.domain.calendar import BusinessCalendar, _require_aware
from workflow_service.domain.sla import ClockKind, StepClock, parse_time_standard


class StepState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    WAITING_APPLICANT = "waiting_applicant"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


TERMINAL_STATES = frozenset({StepState.DONE, StepState.REJECTED, StepState.CANCELLED})

# Legal source states per action; everything else is a TransitionError.
ALLOWED_FROM: dict[str, frozenset[StepState]] = {
    "activate": frozenset({StepState.PENDING}),
    "complete": frozenset({StepState.ACTIVE}),
    "return_to_applicant": frozenset({StepState.ACTIVE}),
    "resubmit": frozenset({StepState.WAITING_APPLICANT}),
    "reject": frozenset({StepState.ACTIVE, StepState.WAITING_APPLICANT}),
    "cancel": frozenset({StepState.PENDING, StepState.ACTIVE, StepState.WAITING_APPLICANT}),
    "reassign": frozenset({StepState.ACTIVE, StepState.WAITING_APPLICANT}),
}

_STATE_PHRASE: dict[StepState, str] = {
    StepState.PENDING: "Langkah ini belum dimulai",
    StepState.ACTIVE: "Langkah ini sedang berjalan",
    StepState.WAITING_APPLICANT: "Berkas sedang dikembalikan ke pemohon",
    StepState.DONE: "Langkah ini sudah selesai",
    StepState.REJECTED: "Langkah ini sudah ditolak",
    StepState.CANCELLED: "Langkah ini sudah dibatalkan",
}

_ACTION_PHRASE: dict[str, str] = {
    "activate": "dimulai",
    "complete": "diselesaikan",
    "return_to_applicant": "dikembalikan",
    "resubmit": "diajukan ulang",
    "reject": "ditolak",
    "cancel": "dibatalkan",
    "reassign": "dialihkan",
}

END_DONE = "end:done"
END_REJECTED = "end:rejected"
END_TARGETS = frozenset({END_DONE, END_REJECTED})


class TransitionError(Exception):
    """An action that the step's state or the given data does not allow."""

    def __init__(
        self, message: str, *, code: str = "illegal_transition", field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class CaseDefinitionError(ValueError):
    """The SOP's step list is inconsistent (duplicate ids, branch to nowhere)."""


@dataclass(frozen=True)
class StepDefinition:
    """One SOP step as data.

    ``branches`` maps an outcome of completing the step (e.g. ``"tidak"``) to the id of the
    step to go to, or to ``"end:rejected"`` / ``"end:done"``. Outcomes not listed continue
    with the next step in order.

    What the step allows comes from the SOP: ``decisions`` are the values completing it must
    record (a Persetujuan row: ``ya``/``tidak``; empty = no decision), ``hands_back`` the
    decisions that send the file back to the applicant at their branch's step, and
    ``allows_return`` / ``allows_reject`` say whether the step may be returned or rejected.
    The defaults (no decision, return and reject allowed) are the generic lifecycle.
    """

    id: str
    roles: frozenset[str]
    time_standard: str | None = None
    clock: ClockKind = ClockKind.BUSINESS
    name: str = ""
    output: str = ""
    requirements: tuple[str, ...] = ()
    branches: Mapping[str, str] = field(default_factory=dict, hash=False)
    decisions: tuple[str, ...] = ()
    hands_back: frozenset[str] = frozenset()
    allows_return: bool = True
    allows_reject: bool = True

    def __post_init__(self) -> None:
        if not self.id:
            raise CaseDefinitionError("step id must not be empty")
        if not self.roles:
            raise CaseDefinitionError(f"step {self.id!r} has no roles")
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "clock", ClockKind(self.clock))
        object.__setattr__(self, "requirements", tuple(self.requirements))
        object.__setattr__(self, "branches", dict(self.branches))
        object.__setattr__(self, "decisions", tuple(self.decisions))
        object.__setattr__(self, "hands_back", frozenset(self.hands_back))
        parse_time_standard(self.time_standard)  # fail early on a bad SOP

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StepDefinition:
        roles = data.get("roles") or ([data["role"]] if data.get("role") else [])
        return cls(
            id=str(data["id"]),
            roles=frozenset(roles),
            time_standard=data.get("time_standard"),
            clock=ClockKind(data.get("clock") or ClockKind.BUSINESS),
            name=str(data.get("name") or ""),
            output=str(data.get("output") or ""),
            requirements=tuple(data.get("requirements") or ()),
            branches=dict(data.get("branches") or {}),
        )


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    at: datetime
    from_state: StepState
    to_state: StepState
    reason: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class StepRun:
    """The state of one step of one case."""

    definition: StepDefinition
    state: StepState = StepState.PENDING
    assignee: str | None = None
    clock: StepClock | None = None
    output: str | None = None
    outcome: str | None = None
    checked_requirements: tuple[str, ...] = ()
    reason: str | None = None
    history: tuple[HistoryEntry, ...] = ()

    @classmethod
    def new(cls, definition: StepDefinition | Mapping[str, Any]) -> StepRun:
        if not isinstance(definition, StepDefinition):
            definition = StepDefinition.from_dict(definition)
        return cls(definition=definition)

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def _check(self, action: str) -> None:
        if self.state not in ALLOWED_FROM[action]:
            raise TransitionError(
                f"{_STATE_PHRASE[self.state]}; tidak bisa {_ACTION_PHRASE[action]}."
            )

    def _moved(
        self,
        action: str,
        at: datetime,
        to_state: StepState,
        *,
        reason: str | None = None,
        by: str | None = None,
        **changes: Any,
    ) -> StepRun:
        entry = HistoryEntry(action, at, self.state, to_state, reason, by)
        if to_state is not self.state:
            # ``reason`` explains the current state (why returned / rejected / cancelled).
            changes["reason"] = reason
        return replace(self, state=to_state, history=(*self.history, entry), **changes)

    # --- actions ----------------------------------------------------------------------------

    def activate(
        self, at: datetime, calendar: BusinessCalendar | None = None, assignee: str | None = None
    ) -> StepRun:
        """Start the step and its SLA clock."""
        _require_aware(at, "at")
        self._check("activate")
        clock = StepClock.start(at, self.definition.time_standard, self.definition.clock, calendar)
        return self._moved(
            "activate",
            at,
            StepState.ACTIVE,
            by=assignee,
            clock=clock,
            assignee=assignee or self.assignee,
        )

    def complete(
        self,
        at: datetime,
        output: str | None,
        checked_requirements: Iterable[str] | None,
        outcome: str | None = None,
        by: str | None = None,
    ) -> StepRun:
        """Finish the step with its recorded output and the requirements checked."""
        _require_aware(at, "at")
        self._check("complete")
        _check_decision(self.definition.decisions, outcome)
        if output is None or not str(output).strip():
            raise TransitionError(
                "Hasil langkah wajib dicatat sebelum diselesaikan.",
                code="output_required",
                field="output",
            )
        if checked_requirements is None:
            raise TransitionError(
                "Daftar persyaratan yang diperiksa wajib diisi.",
                code="requirements_required",
                field="checked_requirements",
            )
        checked = tuple(dict.fromkeys(checked_requirements))
        required = self.definition.requirements
        unknown = [item for item in checked if item not in required]
        if unknown:
            raise TransitionError(
                f"Persyaratan tidak dikenal untuk langkah ini: {', '.join(unknown)}.",
                code="unknown_requirement",
                field="checked_requirements",
            )
        missing = [item for item in required if item not in checked]
        if missing:
            raise TransitionError(
                f"Persyaratan belum diperiksa: {', '.join(missing)}.",
                code="requirements_missing",
                field="checked_requirements",
            )
        return self._moved(
            "complete",
            at,
            StepState.DONE,
            by=by,
            output=str(output).strip(),
            checked_requirements=checked,
            outcome=outcome,
        )

    def return_to_applicant(
        self, at: datetime, reason: str | None, by: str | None = None
    ) -> StepRun:
        """Hand the file back to the applicant; the SLA clock pauses."""
        _require_aware(at, "at")
        self._check("return_to_applicant")
        if not self.definition.allows_return:
            raise TransitionError(
                "Menurut SOP, berkas pada langkah ini tidak dikembalikan ke pemohon.",
                code="return_not_allowed",
            )
        text = _required_reason(reason, "Alasan pengembalian berkas wajib diisi.")
        clock = self.clock.pause(at) if self.clock is not None else None
        return self._moved(
            "return_to_applicant", at, StepState.WAITING_APPLICANT, reason=text, by=by, clock=clock
        )

    def resubmit(self, at: datetime, by: str | None = None) -> StepRun:
        """The applicant brings the file back; the SLA clock runs again."""
        _require_aware(at, "at")
        self._check("resubmit")
        clock = self.clock.resume(at) if self.clock is not None else None
        return self._moved("resubmit", at, StepState.ACTIVE, by=by, clock=clock)

    def reject(self, at: datetime, reason: str | None, by: str | None = None) -> StepRun:
        _require_aware(at, "at")
        self._check("reject")
        if not self.definition.allows_reject:
            raise TransitionError(
                "Menurut SOP, permohonan tidak dapat ditolak pada langkah ini.",
                code="reject_not_allowed",
            )
        text = _required_reason(reason, "Alasan penolakan wajib diisi.")
        return self._moved("reject", at, StepState.REJECTED, reason=text, by=by)

    def cancel(self, at: datetime, reason: str | None = None, by: str | None = None) -> StepRun:
        _require_aware(at, "at")
        self._check("cancel")
        text = reason.strip() if reason and reason.strip() else None
        return self._moved("cancel", at, StepState.CANCELLED, reason=text, by=by)

    def reassign(
        self,
        at: datetime,
        new_assignee: str,
        new_assignee_roles: Iterable[str],
        by: str | None = None,
    ) -> StepRun:
        """Give the step to another staff member holding one of the step's roles."""
        _require_aware(at, "at")
        self._check("reassign")
        if not new_assignee:
            raise TransitionError(
                "Petugas pengganti wajib dipilih.", code="assignee_required", field="assignee"
            )
        if new_assignee == self.assignee:
            raise TransitionError(
                "Langkah ini sudah ditugaskan kepada petugas tersebut.",
                code="same_assignee",
                field="assignee",
            )
        if not set(new_assignee_roles) & self.definition.roles:
            raise TransitionError(
                "Petugas pengganti harus memegang peran yang sama dengan langkah ini.",
                code="wrong_role",
                field="assignee",
            )
        return self._moved("reassign", at, self.state, by=by, assignee=new_assignee)


def _check_decision(decisions: tuple[str, ...], outcome: str | None) -> None:
    if not decisions:  # the generic lifecycle records any outcome it is given
        return
    if outcome is None or not outcome.strip():
        raise TransitionError(
            f"Keputusan wajib dipilih: {' / '.join(decisions)}.",
            code="decision_required",
            field="decision",
        )
    if outcome not in decisions:
        raise TransitionError(
            f"Keputusan harus salah satu dari: {', '.join(decisions)}.",
            code="unknown_decision",
            field="decision",
        )


def _required_reason(reason: str | None, message: str) -> str:
    if reason is None or not reason.strip():
        raise TransitionError(message, code="reason_required", field="reason")
    return reason.strip()


# --- case level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """Where a case goes after a step completes: another step, or the end."""

    step_id: str | None
    end: str | None = None  # "done" or "rejected" when step_id is None
    # The decision hands the file back: step ``step_id`` starts with the applicant.
    hands_back: bool = False

    @property
    def is_end(self) -> bool:
        return self.step_id is None


def validate_steps(steps: Sequence[StepDefinition]) -> None:
    """Raise :class:`CaseDefinitionError` for duplicate ids or a branch to nowhere."""
    if not steps:
        raise CaseDefinitionError("an SOP needs at least one step")
    ids = [step.id for step in steps]
    duplicates = sorted({step_id for step_id in ids if ids.count(step_id) > 1})
    if duplicates:
        raise CaseDefinitionError(f"duplicate step ids: {duplicates}")
    for step in steps:
        for outcome, target in step.branches.items():
            if target not in END_TARGETS and target not in ids:
                raise CaseDefinitionError(
                    f"step {step.id!r} branch {outcome!r} goes to unknown step {target!r}"
                )


def next_step(
    steps: Sequence[StepDefinition | Mapping[str, Any]], current_id: str, outcome: str | None = None
) -> NextStep:
    """The step after ``current_id`` completes with ``outcome`` (e.g. "ya"/"tidak")."""
    definitions = [
        s if isinstance(s, StepDefinition) else StepDefinition.from_dict(s) for s in steps
    ]
    validate_steps(definitions)
    index = next((i for i, step in enumerate(definitions) if step.id == current_id), None)
    if index is None:
        raise CaseDefinitionError(f"unknown step id: {current_id!r}")
    target = definitions[index].branches.get(outcome) if outcome is not None else None
    if target == END_DONE:
        return NextStep(None, "done")
    if target == END_REJECTED:
        return NextStep(None, "rejected")
    if target is not None:
        return NextStep(target, hands_back=outcome in definitions[index].hands_back)
    if index + 1 < len(definitions):
        return NextStep(definitions[index + 1].id)
    return NextStep(None, "done")
