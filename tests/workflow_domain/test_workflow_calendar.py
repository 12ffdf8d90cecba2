"""Business calendar: office hours, holidays, cuti bersama, local overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.workflow_domain.workflow_domain_support import WIB, utc_of, wib
from workflow_service.domain.calendar import (
    BusinessCalendar,
    CalendarError,
    OfficeHours,
    OpenDay,
)

pytestmark = pytest.mark.unit


# --- office hours ----------------------------------------------------------------------------


def test_default_office_hours_follow_perpres_21_2023_with_37_5_hours_a_week() -> None:
    hours = OfficeHours()
    assert hours.weekly_hours() == timedelta(hours=37, minutes=30)
    assert hours.intervals(0) == ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0)))
    assert hours.intervals(4) == ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
    assert hours.intervals(5) == ()
    assert hours.intervals(6) == ()


def test_office_hours_from_config_accepts_indonesian_day_names_and_range_strings() -> None:
    hours = OfficeHours.from_config({"senin": ["08:00-12:00", "13:00-15:00"], "sabtu": []})
    assert hours.intervals(0) == ((time(8), time(12)), (time(13), time(15)))
    assert hours.intervals(1) == ()  # a day left out is closed
    assert hours.weekly_hours() == timedelta(hours=6)


@pytest.mark.parametrize(
    "config",
    [
        {"funday": [["08:00", "12:00"]]},
        {"monday": [["12:00", "08:00"]]},
        {"monday": [["08:00", "12:00"], ["11:00", "13:00"]]},
        {"monday": [["8am", "12:00"]]},
        {"monday": ["08:00"]},
    ],
)
def test_office_hours_from_config_refuses_bad_data(config: dict) -> None:
    with pytest.raises(CalendarError):
        OfficeHours.from_config(config)


def test_calendar_without_any_working_time_is_refused() -> None:
    with pytest.raises(CalendarError, match="no working time"):
        BusinessCalendar(office_hours=OfficeHours({}))


def test_calendar_from_config_refuses_unknown_settings() -> None:
    with pytest.raises(CalendarError, match="unknown calendar settings"):
        BusinessCalendar.from_config({"timezone": "Asia/Jakarta", "hari_libur": []})


# --- holidays --------------------------------------------------------------------------------


def test_public_holiday_has_its_indonesian_name(calendar: BusinessCalendar) -> None:
    assert calendar.holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert not calendar.is_working_day(date(2026, 8, 17))


def test_cuti_bersama_from_the_government_category_closes_the_office(
    calendar: BusinessCalendar,
) -> None:
    # holidays 0.109: category "government" is where ID keeps cuti bersama.
    assert calendar.holiday_name(date(2026, 2, 16)) == "Cuti Bersama Tahun Baru Imlek"
    assert calendar.holiday_name(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    assert not calendar.is_working_day(date(2026, 2, 16))


def test_public_only_calendar_keeps_cuti_bersama_as_working_day() -> None:
    public_only = BusinessCalendar(holiday_categories=("public",))
    assert public_only.holiday_name(date(2026, 2, 16)) is None
    assert public_only.is_working_day(date(2026, 2, 16))


def test_ordinary_weekday_and_weekend_have_no_holiday_name(calendar: BusinessCalendar) -> None:
    assert calendar.holiday_name(date(2026, 11, 30)) is None
    assert calendar.is_working_day(date(2026, 11, 30))
    assert calendar.holiday_name(date(2026, 11, 28)) is None  # Saturday: closed, not a holiday
    assert not calendar.is_working_day(date(2026, 11, 28))


def test_local_closed_date_is_named_and_closed(genteng_calendar: BusinessCalendar) -> None:
    assert genteng_calendar.holiday_name(date(2026, 12, 18)) == "Hari Jadi Banyuwangi"
    assert not genteng_calendar.is_working_day(date(2026, 12, 18))


def test_local_open_date_opens_a_saturday_with_its_own_hours(
    genteng_calendar: BusinessCalendar,
) -> None:
    assert genteng_calendar.is_working_time(wib(2026, 12, 12, 9, 0))
    assert not genteng_calendar.is_working_time(wib(2026, 12, 12, 13, 0))
    assert genteng_calendar.close_of_business(date(2026, 12, 12)) == utc_of(2026, 12, 12, 12, 0)


def test_open_date_on_a_national_holiday_uses_that_weekdays_hours() -> None:
    cal = BusinessCalendar(open_dates=[OpenDay(date(2026, 8, 17), "Pelayanan darurat")])
    assert cal.holiday_name(date(2026, 8, 17)) is None
    assert cal.close_of_business(date(2026, 8, 17)) == utc_of(2026, 8, 17, 16, 0)


def test_date_both_closed_and_open_is_refused() -> None:
    with pytest.raises(CalendarError, match="both closed and open"):
        BusinessCalendar(closed_dates={date(2026, 12, 1): "x"}, open_dates=[date(2026, 12, 1)])


# --- instants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "working"),
    [
        (wib(2026, 11, 30, 7, 29), False),
        (wib(2026, 11, 30, 7, 30), True),
        (wib(2026, 11, 30, 11, 59), True),
        (wib(2026, 11, 30, 12, 0), False),  # rest
        (wib(2026, 11, 30, 13, 0), True),
        (wib(2026, 11, 30, 16, 0), False),  # closed at 16:00 Mon–Thu
        (wib(2026, 12, 4, 11, 30), False),  # Friday rest starts 11:30
        (wib(2026, 12, 4, 16, 15), True),  # Friday open until 16:30
        (wib(2026, 11, 28, 9, 0), False),  # Saturday
    ],
)
def test_is_working_time_follows_office_hours(
    calendar: BusinessCalendar, local: datetime, working: bool
) -> None:
    assert calendar.is_working_time(local) is working


def test_is_working_time_accepts_any_timezone() -> None:
    cal = BusinessCalendar()
    # 02:00 UTC is 09:00 WIB on Monday.
    assert cal.is_working_time(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    assert not cal.is_working_time(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))  # 17:00 WIB


def test_naive_datetime_is_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.is_working_time(datetime(2026, 11, 30, 9, 0))


def test_next_working_instant_during_office_hours_is_now_in_utc(
    calendar: BusinessCalendar,
) -> None:
    result = calendar.next_working_instant(wib(2026, 11, 30, 9, 15))
    assert result == utc_of(2026, 11, 30, 9, 15)
    assert result.tzinfo is UTC


def test_next_working_instant_during_rest_is_after_the_rest(calendar: BusinessCalendar) -> None:
    assert calendar.next_working_instant(wib(2026, 11, 30, 12, 20)) == utc_of(2026, 11, 30, 13)


def test_next_working_instant_on_friday_evening_is_monday_opening(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.next_working_instant(wib(2026, 12, 4, 17, 0)) == utc_of(2026, 12, 7, 7, 30)


def test_next_working_instant_skips_a_holiday(calendar: BusinessCalendar) -> None:
    # Friday 14 Aug 2026 after hours → Monday 17 Aug is Independence Day → Tuesday.
    assert calendar.next_working_instant(wib(2026, 8, 14, 17, 0)) == utc_of(2026, 8, 18, 7, 30)


# --- adding business time --------------------------------------------------------------------


def test_pt5m_started_at_1158_monday_crosses_the_rest_and_is_due_1303(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.add_business_time(wib(2026, 11, 30, 11, 58), timedelta(minutes=5))
    assert due == utc_of(2026, 11, 30, 13, 3)


def test_work_filling_the_morning_exactly_is_due_at_the_start_of_the_rest(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.add_business_time(wib(2026, 11, 30, 11, 0), timedelta(hours=1))
    assert due == utc_of(2026, 11, 30, 12, 0)


def test_pt8h_started_friday_1500_lands_on_monday_afternoon(calendar: BusinessCalendar) -> None:
    # Friday 15:00–16:30 = 1.5 h; Monday 07:30–12:00 = 4.5 h; 13:00–15:00 = 2 h.
    due = calendar.add_business_time(wib(2026, 12, 4, 15, 0), timedelta(hours=8))
    assert due == utc_of(2026, 12, 7, 15, 0)


def test_business_time_started_on_a_weekend_starts_counting_on_monday(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.add_business_time(wib(2026, 11, 28, 10, 0), timedelta(minutes=30))
    assert due == utc_of(2026, 11, 30, 8, 0)


def test_business_time_skips_cuti_bersama_and_holiday_in_a_row(
    calendar: BusinessCalendar,
) -> None:
    # Fri 13 Feb 2026 16:00 + 1 h: Mon 16 cuti bersama Imlek, Tue 17 Imlek → Wed 18 08:00.
    due = calendar.add_business_time(wib(2026, 2, 13, 16, 0), timedelta(hours=1))
    assert due == utc_of(2026, 2, 18, 8, 0)


def test_negative_business_time_is_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_business_time(wib(2026, 11, 30, 9), timedelta(minutes=-1))


# --- working days (P3D) ----------------------------------------------------------------------


def test_p3d_submitted_on_thursday_is_due_tuesday_close_of_business(
    calendar: BusinessCalendar,
) -> None:
    # The day of submission does not count: Fri (1), Mon (2), Tue (3).
    due = calendar.add_working_days(wib(2026, 12, 3, 10, 0), 3)
    assert due == utc_of(2026, 12, 8, 16, 0)


def test_p3d_submitted_before_opening_counts_the_submission_day(
    calendar: BusinessCalendar,
) -> None:
    # Thursday 07:00, before the 07:30 opening: Thu (1), Fri (2), Mon (3).
    due = calendar.add_working_days(wib(2026, 12, 3, 7, 0), 3)
    assert due == utc_of(2026, 12, 7, 16, 0)


def test_p3d_submitted_at_opening_sharp_counts_the_submission_day(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.add_working_days(wib(2026, 12, 3, 7, 30), 3)
    assert due == utc_of(2026, 12, 7, 16, 0)


def test_p3d_submitted_after_close_counts_from_the_next_working_day(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.add_working_days(wib(2026, 12, 3, 18, 0), 3)
    assert due == utc_of(2026, 12, 8, 16, 0)


def test_p3d_submitted_thursday_before_independence_day_monday_is_due_wednesday(
    calendar: BusinessCalendar,
) -> None:
    # Thu 13 Aug 2026: Fri 14 (1), Mon 17 Hari Kemerdekaan skipped, Tue 18 (2), Wed 19 (3).
    due = calendar.add_working_days(wib(2026, 8, 13, 10, 0), 3)
    assert due == utc_of(2026, 8, 19, 16, 0)


def test_p3d_submitted_thursday_before_cuti_bersama_monday_is_due_the_next_thursday(
    calendar: BusinessCalendar,
) -> None:
    # Thu 12 Feb 2026: Fri 13 (1), Mon 16 cuti bersama, Tue 17 Imlek, Wed 18 (2), Thu 19 (3).
    due = calendar.add_working_days(wib(2026, 2, 12, 10, 0), 3)
    assert due == utc_of(2026, 2, 19, 16, 0)


def test_p3d_skips_a_local_closed_day(genteng_calendar: BusinessCalendar) -> None:
    # Thu 17 Dec 2026: Fri 18 closed locally, Mon 21 (1), Tue 22 (2), Wed 23 (3).
    due = genteng_calendar.add_working_days(wib(2026, 12, 17, 10, 0), 3)
    assert due == utc_of(2026, 12, 23, 16, 0)


def test_p3d_counts_a_saturday_declared_open(genteng_calendar: BusinessCalendar) -> None:
    # Thu 10 Dec 2026: Fri 11 (1), Sat 12 open locally (2), Mon 14 (3).
    due = genteng_calendar.add_working_days(wib(2026, 12, 10, 10, 0), 3)
    assert due == utc_of(2026, 12, 14, 16, 0)


def test_p1d_submitted_thursday_is_due_friday_at_the_later_friday_close(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.add_working_days(wib(2026, 12, 3, 10, 0), 1) == utc_of(2026, 12, 4, 16, 30)


# --- elapsed working time --------------------------------------------------------------------


def test_business_time_between_excludes_rest_night_and_weekend(
    calendar: BusinessCalendar,
) -> None:
    # Fri 11:00 → Mon 08:30: Fri 11:00–11:30 + 13:00–16:30 = 4 h; Mon 07:30–08:30 = 1 h.
    elapsed = calendar.business_time_between(wib(2026, 12, 4, 11, 0), wib(2026, 12, 7, 8, 30))
    assert elapsed == timedelta(hours=5)


def test_business_time_between_a_full_week_is_37_5_hours(calendar: BusinessCalendar) -> None:
    elapsed = calendar.business_time_between(wib(2026, 11, 30), wib(2026, 12, 7))
    assert elapsed == timedelta(hours=37, minutes=30)


def test_business_time_between_is_negative_when_reversed(calendar: BusinessCalendar) -> None:
    a, b = wib(2026, 11, 30, 9, 0), wib(2026, 11, 30, 10, 0)
    assert calendar.business_time_between(b, a) == -timedelta(hours=1)


def test_add_then_measure_round_trips(calendar: BusinessCalendar) -> None:
    start = wib(2026, 12, 23, 14, 10)  # before cuti bersama Natal and Christmas
    for minutes in (1, 50, 125, 600, 2000):
        due = calendar.add_business_time(start, timedelta(minutes=minutes))
        assert calendar.business_time_between(start, due) == timedelta(minutes=minutes)


def test_other_office_timezone_is_honoured() -> None:
    makassar = BusinessCalendar(timezone="Asia/Makassar")  # WITA, UTC+8
    # 07:30 WITA is 23:30 UTC of the day before.
    assert makassar.next_working_instant(datetime(2026, 11, 29, 12, 0, tzinfo=UTC)) == datetime(
        2026, 11, 29, 23, 30, tzinfo=UTC
    )
    assert WIB.key == "Asia/Jakarta"


def test_add_and_measure_agree_for_starts_all_over_a_holiday_fortnight(
    calendar: BusinessCalendar,
) -> None:
    # Starts every 37 minutes from Mon 10 Aug 2026 across Independence Day, nights, rests.
    start = wib(2026, 8, 10, 0, 0)
    amounts = [timedelta(minutes=m) for m in (1, 29, 90, 450, 2250)]
    for step in range(0, 14 * 24 * 60, 37):
        begin = start + timedelta(minutes=step)
        for amount in amounts:
            due = calendar.add_business_time(begin, amount)
            assert calendar.business_time_between(begin, due) == amount
            # The work ends inside office hours or exactly at a closing/rest boundary.
            assert calendar.is_working_time(due - timedelta(seconds=1))
            assert due.astimezone(WIB).date() != date(2026, 8, 17)
