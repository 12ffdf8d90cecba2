"""Escalation ladder: reminder 75 %, breach 100 %, escalation 150 %; each level once."""

from __future__ import annotations

import pytest
import time_machine

from tests.workflow_domain.workflow_domain_support import utc_of, wib
from workflow_service.domain.calendar import BusinessCalendar
from workflow_service.domain.escalation import (
    BREACH,
    ESCALATION,
    REMINDER,
    EscalationPolicy,
    due_levels,
    levels_for,
    supervising_roles,
    thresholds_for,
)
from workflow_service.domain.sla import StepClock

pytestmark = pytest.mark.unit


@pytest.fixture
def clock(calendar: BusinessCalendar) -> StepClock:
    """PT8H started Monday 30 Nov 2026 08:00 WIB.

    75 % = 6 h → Mon 15:00; 100 % = 8 h → Tue 08:30; 150 % = 12 h → Tue 13:30.
    """
    return StepClock.start(wib(2026, 11, 30, 8, 0), "PT8H", "business", calendar)


def keys(levels: list) -> list[str]:
    return [level.key for level in levels]


def test_thresholds_fall_at_75_100_and_150_percent_of_working_time(clock: StepClock) -> None:
    thresholds = thresholds_for(clock, step_roles={"petugas"})
    assert [(t.level.key, t.at) for t in thresholds] == [
        (REMINDER, utc_of(2026, 11, 30, 15, 0)),
        (BREACH, utc_of(2026, 12, 1, 8, 30)),
        (ESCALATION, utc_of(2026, 12, 1, 13, 30)),
    ]


def test_breach_threshold_is_the_due_time(clock: StepClock) -> None:
    breach = next(t for t in thresholds_for(clock) if t.level.key == BREACH)
    assert breach.at == clock.due_at


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (wib(2026, 11, 30, 14, 59), []),
        (wib(2026, 11, 30, 15, 0), [REMINDER]),
        (wib(2026, 12, 1, 8, 29), [REMINDER]),
        (wib(2026, 12, 1, 8, 30), [REMINDER, BREACH]),
        (wib(2026, 12, 1, 13, 29), [REMINDER, BREACH]),
        (wib(2026, 12, 1, 13, 30), [REMINDER, BREACH, ESCALATION]),
    ],
)
def test_levels_fall_due_exactly_at_their_thresholds(
    clock: StepClock, now, expected: list[str]
) -> None:
    assert keys(due_levels(clock, now, set())) == expected


def test_each_level_is_returned_once_when_sent_keys_are_recorded(clock: StepClock) -> None:
    sent: set[str] = set()
    seen: list[str] = []
    sweep_times = [
        wib(2026, 11, 30, 15, 0),
        wib(2026, 11, 30, 15, 1),  # sweep runs again right after: nothing new
        wib(2026, 12, 1, 9, 0),
        wib(2026, 12, 1, 9, 0),
        wib(2026, 12, 2, 9, 0),
        wib(2026, 12, 3, 9, 0),
    ]
    for now in sweep_times:
        for level in due_levels(clock, now, sent):
            seen.append(level.key)
            sent.add(level.key)
    assert seen == [REMINDER, BREACH, ESCALATION]


def test_calling_twice_with_the_sent_set_updated_yields_nothing_new(clock: StepClock) -> None:
    now = wib(2026, 12, 1, 9, 0)
    first = due_levels(clock, now, set())
    second = due_levels(clock, now, {level.key for level in first})
    assert keys(first) == [REMINDER, BREACH]
    assert second == []


def test_due_levels_uses_the_current_time_when_now_is_none(clock: StepClock) -> None:
    with time_machine.travel(wib(2026, 11, 30, 15, 30), tick=False):
        assert keys(due_levels(clock, None, set())) == [REMINDER]


def test_weekend_does_not_advance_the_ladder(calendar: BusinessCalendar) -> None:
    friday = StepClock.start(wib(2026, 12, 4, 15, 0), "PT1H", "business", calendar)
    # 45 min of work by 15:45 → reminder; Saturday still only 1.5 h elapsed.
    assert keys(due_levels(friday, wib(2026, 12, 4, 15, 45), set())) == [REMINDER]
    assert keys(due_levels(friday, wib(2026, 12, 5, 23, 0), {REMINDER})) == [BREACH, ESCALATION]
    assert [t.at for t in thresholds_for(friday)] == [
        utc_of(2026, 12, 4, 15, 45),
        utc_of(2026, 12, 4, 16, 0),
        utc_of(2026, 12, 4, 16, 30),
    ]


def test_paused_clock_does_not_escalate_while_file_is_with_applicant(clock: StepClock) -> None:
    paused = clock.pause(wib(2026, 11, 30, 14, 0))  # 5 h elapsed, below 75 %
    assert due_levels(paused, wib(2026, 12, 10, 9, 0), set()) == []
    thresholds = thresholds_for(paused)
    assert [t.at for t in thresholds] == [None, None, None]


def test_resumed_clock_moves_the_thresholds_by_the_paused_working_time(clock: StepClock) -> None:
    resumed = clock.pause(wib(2026, 11, 30, 14, 0)).resume(wib(2026, 11, 30, 15, 0))
    assert [t.at for t in thresholds_for(resumed)] == [
        utc_of(2026, 11, 30, 16, 0),  # 6 h: 4 h morning + 1 h + 1 h after the resume
        utc_of(2026, 12, 1, 9, 30),
        utc_of(2026, 12, 1, 14, 30),
    ]


def test_threshold_already_passed_before_a_pause_keeps_its_instant(clock: StepClock) -> None:
    paused = clock.pause(wib(2026, 11, 30, 15, 30))  # reminder at 15:00 already reached
    reminder, breach, _ = thresholds_for(paused)
    assert reminder.at == utc_of(2026, 11, 30, 15, 0)
    assert breach.at is None
    assert keys(due_levels(paused, wib(2026, 12, 5, 9, 0), set())) == [REMINDER]


def test_seperlunya_step_never_escalates(calendar: BusinessCalendar) -> None:
    open_ended = StepClock.start(wib(2026, 11, 30, 8, 0), None, "business", calendar)
    assert due_levels(open_ended, wib(2027, 1, 30, 8, 0), set()) == []
    assert thresholds_for(open_ended) == []


def test_configurable_further_threshold(clock: StepClock) -> None:
    policy = EscalationPolicy.from_config({"escalation": 2.0})
    escalation = thresholds_for(clock, policy=policy)[-1]
    assert escalation.level.threshold == 2.0
    # 200 % = 16 h: Mon 7 h + Tue 7.5 h = 14.5 h by Tuesday's close, 1.5 h more → Wed 09:00.
    assert escalation.at == utc_of(2026, 12, 2, 9, 0)


@pytest.mark.parametrize(
    "config",
    [{"reminder": 1.2}, {"breach": 2.0}, {"reminder": 0}, {"nagging": 0.5}],
)
def test_inconsistent_policies_are_refused(config: dict) -> None:
    with pytest.raises(ValueError):
        EscalationPolicy.from_config(config)


@pytest.mark.parametrize(
    ("step_roles", "reminder_to", "breach_to"),
    [
        ({"petugas"}, {"petugas"}, {"kasi"}),
        ({"operator"}, {"operator"}, {"kasi"}),
        ({"kasi"}, {"kasi"}, {"sekcam"}),
        ({"sekcam"}, {"sekcam"}, {"camat"}),
        ({"camat"}, {"camat"}, {"camat"}),
        ({"petugas", "kasi"}, {"petugas", "kasi"}, {"kasi", "sekcam"}),
    ],
)
def test_ladder_notifies_the_assignee_then_the_supervisor_then_the_camat(
    step_roles: set[str], reminder_to: set[str], breach_to: set[str]
) -> None:
    reminder, breach, escalation = levels_for(step_roles)
    assert reminder.notify_roles == reminder_to
    assert breach.notify_roles == breach_to
    assert escalation.notify_roles == {"camat"}


def test_role_outside_the_chain_escalates_straight_to_the_camat() -> None:
    assert supervising_roles({"kepala_dinas"}) == {"camat"}


def test_a_late_guest_host_step_escalates_to_the_sekcam_not_the_camat(clock: StepClock) -> None:
    """The guest's host ("tujuan") answers to the Sekcam, as sop/data/roles.yaml says."""
    due = due_levels(clock, wib(2026, 12, 1, 8, 30), set(), step_roles={"tujuan"})
    breach = next(level for level in due if level.key == BREACH)
    assert breach.notify_roles == frozenset({"sekcam"})
    assert supervising_roles({"tujuan"}) == frozenset({"sekcam"})


def test_the_chain_of_command_is_the_role_registry() -> None:
    from sop import roles

    for role in roles.default_registry():
        expected = frozenset({role.supervisor}) if role.supervisor else frozenset({"camat"})
        assert supervising_roles({role.code}) == expected, role.code
