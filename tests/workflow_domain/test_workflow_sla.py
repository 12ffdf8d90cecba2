"""SLA clock: time standards, due times, pausing while the file is with the applicant."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
import time_machine

from tests.workflow_domain.workflow_domain_support import utc_of, wib
from workflow_service.domain.calendar import BusinessCalendar
from workflow_service.domain.sla import (
    ClockError,
    ClockKind,
    InvalidTimeStandard,
    StepClock,
    compute_due_at,
    parse_time_standard,
)

pytestmark = pytest.mark.unit


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "duration"),
    [
        ("PT5M", timedelta(minutes=5)),
        ("PT30M", timedelta(minutes=30)),
        ("PT1H", timedelta(hours=1)),
        ("PT8H", timedelta(hours=8)),
        ("PT1H30M", timedelta(hours=1, minutes=30)),
        ("PT0.5H", timedelta(minutes=30)),
        ("PT0,5H", timedelta(minutes=30)),
        ("pt2m", timedelta(minutes=2)),
        ("PT90S", timedelta(seconds=90)),
    ],
)
def test_duration_standards_parse_to_timedeltas(raw: str, duration: timedelta) -> None:
    standard = parse_time_standard(raw)
    assert standard is not None
    assert standard.duration == duration
    assert not standard.is_days


def test_p3d_parses_as_three_working_days() -> None:
    standard = parse_time_standard("P3D")
    assert standard is not None
    assert standard.is_days
    assert standard.working_days == 3


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_standard_means_seperlunya(raw: str | None) -> None:
    assert parse_time_standard(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "P",
        "PT",
        "P1W",
        "P1M",
        "P1Y",
        "P1DT2H",
        "PT0M",
        "P0D",
        "5 menit",
        "P3DT",
        "PT-5M",
    ],
)
def test_unsupported_standards_are_refused(raw: str) -> None:
    with pytest.raises(InvalidTimeStandard):
        parse_time_standard(raw)


# --- due times -------------------------------------------------------------------------------


def test_pt5m_at_1158_monday_is_due_1303(calendar: BusinessCalendar) -> None:
    due = compute_due_at(wib(2026, 11, 30, 11, 58), "PT5M", "business", calendar)
    assert due == utc_of(2026, 11, 30, 13, 3)
    assert due is not None and due.tzinfo is UTC


def test_pt8h_started_friday_1500_is_due_monday_1500(calendar: BusinessCalendar) -> None:
    due = compute_due_at(wib(2026, 12, 4, 15, 0), "PT8H", ClockKind.BUSINESS, calendar)
    assert due == utc_of(2026, 12, 7, 15, 0)


def test_p3d_submitted_thursday_before_a_holiday_monday_is_due_wednesday_close(
    calendar: BusinessCalendar,
) -> None:
    due = compute_due_at(wib(2026, 8, 13, 10, 0), "P3D", "business", calendar)
    assert due == utc_of(2026, 8, 19, 16, 0)


def test_p3d_with_a_local_closed_friday_is_due_the_following_wednesday(
    genteng_calendar: BusinessCalendar,
) -> None:
    due = compute_due_at(wib(2026, 12, 17, 10, 0), "P3D", "business", genteng_calendar)
    assert due == utc_of(2026, 12, 23, 16, 0)


def test_wall_clock_pt30m_ignores_the_rest(calendar: BusinessCalendar) -> None:
    due = compute_due_at(wib(2026, 11, 30, 11, 45), "PT30M", "wall", calendar)
    assert due == utc_of(2026, 11, 30, 12, 15)


def test_wall_clock_needs_no_calendar_and_ignores_the_weekend() -> None:
    due = compute_due_at(wib(2026, 12, 4, 16, 0), "PT8H", "wall", None)
    assert due == utc_of(2026, 12, 5, 0, 0)


def test_seperlunya_has_no_due_time(calendar: BusinessCalendar) -> None:
    assert compute_due_at(wib(2026, 11, 30, 9), None, "business", calendar) is None
    clock = StepClock.start(wib(2026, 11, 30, 9), None, "business", calendar)
    assert clock.fraction(wib(2026, 12, 30, 9)) is None
    assert not clock.is_overdue(wib(2026, 12, 30, 9))


def test_business_clock_with_a_standard_needs_a_calendar() -> None:
    with pytest.raises(ValueError, match="calendar"):
        StepClock.start(wib(2026, 11, 30, 9), "PT5M", "business", None)


def test_compute_due_at_shifts_by_paused_working_time(calendar: BusinessCalendar) -> None:
    pauses = [(wib(2026, 11, 30, 11, 0), wib(2026, 11, 30, 14, 0))]  # 2 working hours
    due = compute_due_at(wib(2026, 11, 30, 8, 0), "PT8H", "business", calendar, pauses)
    assert due == utc_of(2026, 12, 1, 10, 30)


# --- KK: waiting on the Kepala Dinas ---------------------------------------------------------


@pytest.fixture
def kk_signature_clock(calendar: BusinessCalendar) -> StepClock:
    """KK step 4: signature by the Kepala Dinas, P3D, handed over Wed 13 May 2026 10:00.

    Thu 14 May is Kenaikan Yesus Kristus, Fri 15 May cuti bersama, then a weekend:
    Mon 18 (1), Tue 19 (2), Wed 20 (3).
    """
    return StepClock.start(wib(2026, 5, 13, 10, 0), "P3D", "business", calendar)


def test_kk_signature_across_holiday_and_weekend_is_due_wednesday_close(
    kk_signature_clock: StepClock,
) -> None:
    assert kk_signature_clock.due_at == utc_of(2026, 5, 20, 16, 0)


def test_kk_signature_clock_does_not_run_over_the_long_weekend(
    kk_signature_clock: StepClock,
) -> None:
    with time_machine.travel(wib(2026, 5, 16, 12, 0), tick=False):  # Saturday
        at_weekend = kk_signature_clock.elapsed()
    with time_machine.travel(wib(2026, 5, 18, 7, 0), tick=False):  # Monday before opening
        monday_early = kk_signature_clock.elapsed()
    assert at_weekend == monday_early == timedelta(hours=5)  # Wed 10:00–12:00, 13:00–16:00


def test_kk_signature_is_not_late_on_wednesday_noon_but_late_on_thursday(
    kk_signature_clock: StepClock,
) -> None:
    with time_machine.travel(wib(2026, 5, 20, 12, 0), tick=False):
        assert not kk_signature_clock.is_overdue()
        fraction = kk_signature_clock.fraction()
        assert fraction is not None and 0.85 < fraction < 1.0
    with time_machine.travel(wib(2026, 5, 21, 8, 0), tick=False):
        assert kk_signature_clock.is_overdue()


def test_kk_signature_fraction_is_exactly_one_at_close_of_business(
    kk_signature_clock: StepClock,
) -> None:
    # 5 h on Wed 13 + three full days of 7.5 h = 27.5 h of working time.
    assert kk_signature_clock.standard_length == timedelta(hours=27, minutes=30)
    assert kk_signature_clock.fraction(wib(2026, 5, 20, 16, 0)) == 1.0


# --- elapsed and fraction --------------------------------------------------------------------


def test_elapsed_counts_working_time_only(calendar: BusinessCalendar) -> None:
    clock = StepClock.start(wib(2026, 11, 30, 11, 30), "PT1H", "business", calendar)
    assert clock.elapsed(wib(2026, 11, 30, 12, 45)) == timedelta(minutes=30)
    assert clock.fraction(wib(2026, 11, 30, 13, 15)) == 0.75


def test_wall_elapsed_counts_the_rest(calendar: BusinessCalendar) -> None:
    clock = StepClock.start(wib(2026, 11, 30, 11, 30), "PT1H", "wall", calendar)
    assert clock.elapsed(wib(2026, 11, 30, 12, 45)) == timedelta(minutes=75)
    assert clock.is_overdue(wib(2026, 11, 30, 12, 45))


def test_elapsed_uses_the_current_time_by_default(calendar: BusinessCalendar) -> None:
    clock = StepClock.start(wib(2026, 11, 30, 9, 0), "PT30M", "business", calendar)
    with time_machine.travel(wib(2026, 11, 30, 9, 20), tick=False):
        assert clock.elapsed() == timedelta(minutes=20)
        assert not clock.is_overdue()
    with time_machine.travel(wib(2026, 11, 30, 9, 31), tick=False):
        assert clock.is_overdue()


def test_elapsed_before_the_start_is_zero(calendar: BusinessCalendar) -> None:
    clock = StepClock.start(wib(2026, 11, 30, 9, 0), "PT30M", "business", calendar)
    assert clock.elapsed(wib(2026, 11, 30, 8, 0)) == timedelta(0)


# --- pausing ---------------------------------------------------------------------------------


@pytest.fixture
def pt8h_clock(calendar: BusinessCalendar) -> StepClock:
    """PT8H started Monday 30 Nov 2026 08:00 → due Tuesday 08:30 when never paused."""
    return StepClock.start(wib(2026, 11, 30, 8, 0), "PT8H", "business", calendar)


def test_unpaused_pt8h_clock_is_due_next_morning(pt8h_clock: StepClock) -> None:
    assert pt8h_clock.due_at == utc_of(2026, 12, 1, 8, 30)


def test_returned_file_stops_the_clock(pt8h_clock: StepClock) -> None:
    paused = pt8h_clock.pause(wib(2026, 11, 30, 11, 0))
    assert paused.is_paused
    assert paused.paused_since == wib(2026, 11, 30, 11, 0)
    at_return = paused.elapsed(wib(2026, 11, 30, 11, 0))
    assert at_return == timedelta(hours=3)
    assert paused.elapsed(wib(2026, 11, 30, 15, 0)) == at_return
    assert paused.elapsed(wib(2026, 12, 3, 15, 0)) == at_return


def test_due_time_is_unknown_while_paused(pt8h_clock: StepClock) -> None:
    assert pt8h_clock.pause(wib(2026, 11, 30, 11, 0)).due_at is None


def test_resubmission_two_working_hours_later_shifts_due_by_exactly_that(
    pt8h_clock: StepClock,
) -> None:
    # Returned 11:00, back 14:00: 11:00–12:00 and 13:00–14:00 = 2 working hours (3 h on the
    # wall, the rest does not count).
    resumed = pt8h_clock.pause(wib(2026, 11, 30, 11, 0)).resume(wib(2026, 11, 30, 14, 0))
    assert resumed.paused_time(wib(2026, 11, 30, 16, 0)) == timedelta(hours=2)
    assert resumed.due_at == utc_of(2026, 12, 1, 10, 30)
    assert resumed.due_at is not None and pt8h_clock.due_at is not None
    assert resumed.due_at - pt8h_clock.due_at == timedelta(hours=2)
    assert resumed.fraction(wib(2026, 12, 1, 10, 30)) == 1.0


def test_pause_over_a_weekend_costs_only_working_time(pt8h_clock: StepClock) -> None:
    # Returned Mon 15:00, back the next Monday 09:00: 1 h Mon + 4 days (Tue–Fri) + 1.5 h.
    resumed = pt8h_clock.pause(wib(2026, 11, 30, 15, 0)).resume(wib(2026, 12, 7, 9, 0))
    assert resumed.paused_time(wib(2026, 12, 8)) == timedelta(hours=1 + 4 * 7.5 + 1.5)
    # 6 h ran before the return, 2 h remain from Mon 09:00 → 11:00.
    assert resumed.due_at == utc_of(2026, 12, 7, 11, 0)


def test_two_pauses_add_up(pt8h_clock: StepClock) -> None:
    clock = (
        pt8h_clock.pause(wib(2026, 11, 30, 9, 0))
        .resume(wib(2026, 11, 30, 9, 30))
        .pause(wib(2026, 11, 30, 10, 0))
        .resume(wib(2026, 11, 30, 10, 45))
    )
    assert clock.due_at == utc_of(2026, 12, 1, 9, 45)


def test_wall_clock_pause_shifts_by_wall_time(calendar: BusinessCalendar) -> None:
    clock = StepClock.start(wib(2026, 11, 30, 11, 0), "PT30M", "wall", calendar)
    resumed = clock.pause(wib(2026, 11, 30, 11, 10)).resume(wib(2026, 11, 30, 13, 10))
    assert resumed.due_at == utc_of(2026, 11, 30, 13, 30)


def test_pausing_twice_or_resuming_a_running_clock_is_refused(pt8h_clock: StepClock) -> None:
    with pytest.raises(ClockError):
        pt8h_clock.resume(wib(2026, 11, 30, 9, 0))
    paused = pt8h_clock.pause(wib(2026, 11, 30, 9, 0))
    with pytest.raises(ClockError):
        paused.pause(wib(2026, 11, 30, 9, 30))
    with pytest.raises(ClockError):
        paused.resume(wib(2026, 11, 30, 8, 59))


def test_pause_before_the_start_is_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ClockError):
        StepClock.start(
            wib(2026, 11, 30, 9),
            "PT1H",
            "business",
            calendar,
            [(wib(2026, 11, 30, 8), wib(2026, 11, 30, 10))],
        )


def test_p3d_deadline_moves_by_the_working_hours_the_file_spent_with_the_applicant(
    calendar: BusinessCalendar,
) -> None:
    # Thu 3 Dec 2026 10:00 → due Tue 8 Dec 16:00; returned Fri 15:00, back Mon 09:00:
    # Fri 15:00–16:30 (1.5 h) + Mon 07:30–09:00 (1.5 h) = 3 working hours → Wed 10:30.
    pauses = [(wib(2026, 12, 4, 15, 0), wib(2026, 12, 7, 9, 0))]
    due = compute_due_at(wib(2026, 12, 3, 10, 0), "P3D", "business", calendar, pauses)
    assert due == utc_of(2026, 12, 9, 10, 30)
