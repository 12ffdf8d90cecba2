"""Business calendar: office hours, Indonesian holidays and cuti bersama, local overrides.

Every public method takes timezone-aware datetimes and returns aware datetimes in UTC. The
arithmetic itself happens in the office's local zone (Asia/Jakarta for Genteng), day by day,
over the day's working intervals.

Day counting for working-day standards (``P3D``) is defined in :meth:`add_working_days`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TIMEZONE = "Asia/Jakarta"
# "public" = hari libur nasional, "government" = cuti bersama (holidays >= 0.5x; checked on 0.109).
DEFAULT_HOLIDAY_CATEGORIES: tuple[str, ...] = ("public", "government")
# A search for the next working instant gives up after this many days: a calendar with no
# working time at all is a configuration error, not an endless loop.
MAX_SEARCH_DAYS = 366 * 3

WEEKDAY_NAMES: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

Interval = tuple[time, time]


class CalendarError(ValueError):
    """Bad calendar configuration or an impossible calendar question."""


def _parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = (int(part) for part in value.strip().split(":"))
        if hours == 24 and minutes == 0:
            raise CalendarError("office hours must end before 24:00")
        try:
            return time(hours, minutes)
        except ValueError as exc:
            raise CalendarError(f"invalid time of day: {value!r}") from exc
    raise CalendarError(f"invalid time of day: {value!r} (expected 'HH:MM')")


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise CalendarError(f"expected a date, got a datetime: {value!r}")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CalendarError(f"invalid date: {value!r} (expected 'YYYY-MM-DD')") from exc


def _parse_intervals(raw: Any) -> tuple[Interval, ...]:
    if raw is None:
        return ()
    intervals: list[Interval] = []
    for item in raw:
        if isinstance(item, str):
            start_s, sep, end_s = item.partition("-")
            if not sep:
                raise CalendarError(f"invalid interval: {item!r} (expected 'HH:MM-HH:MM')")
            pair: Any = (start_s, end_s)
        else:
            pair = item
        if len(pair) != 2:
            raise CalendarError(f"invalid interval: {item!r}")
        intervals.append((_parse_time(pair[0]), _parse_time(pair[1])))
    return _validated(intervals)


def _validated(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    ordered = sorted(intervals)
    for start, end in ordered:
        if not start < end:
            raise CalendarError(f"interval must start before it ends: {start}-{end}")
    for (_, end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
        if next_start < end:
            raise CalendarError(f"overlapping intervals around {next_start}")
    return tuple(ordered)


def _default_weekdays() -> dict[int, tuple[Interval, ...]]:
    # Perpres 21/2023: 37.5 h a week, Monday to Friday, starting 07:30.
    mon_thu = ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0)))
    friday = ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
    return {0: mon_thu, 1: mon_thu, 2: mon_thu, 3: mon_thu, 4: friday, 5: (), 6: ()}


@dataclass(frozen=True)
class OfficeHours:
    """Working intervals (local time) per weekday, 0 = Monday … 6 = Sunday."""

    weekdays: Mapping[int, tuple[Interval, ...]] = field(default_factory=_default_weekdays)

    def __post_init__(self) -> None:
        normalised = {day: _validated(self.weekdays.get(day, ())) for day in range(7)}
        unknown = set(self.weekdays) - set(range(7))
        if unknown:
            raise CalendarError(f"unknown weekday numbers: {sorted(unknown)}")
        object.__setattr__(self, "weekdays", normalised)

    @classmethod
    def from_config(cls, config: Mapping[Any, Any]) -> OfficeHours:
        """Build from ``{"monday": [["07:30", "12:00"], ["13:00", "16:00"]], ...}``.

        Keys are English or Indonesian weekday names (or 0–6); intervals are pairs or
        ``"HH:MM-HH:MM"`` strings. A weekday left out is closed.
        """
        weekdays: dict[int, tuple[Interval, ...]] = {}
        for key, raw in config.items():
            if isinstance(key, int) and 0 <= key <= 6:
                day = key
            elif isinstance(key, str) and key.strip().lower() in WEEKDAY_NAMES:
                day = WEEKDAY_NAMES[key.strip().lower()]
            else:
                raise CalendarError(f"unknown weekday: {key!r}")
            if day in weekdays:
                raise CalendarError(f"weekday configured twice: {key!r}")
            weekdays[day] = _parse_intervals(raw)
        return cls(weekdays)

    def intervals(self, weekday: int) -> tuple[Interval, ...]:
        return self.weekdays[weekday]

    def weekly_hours(self) -> timedelta:
        total = timedelta()
        for day in range(7):
            for start, end in self.weekdays[day]:
                total += datetime.combine(date.min, end) - datetime.combine(date.min, start)
        return total


@dataclass(frozen=True)
class OpenDay:
    """A normally closed day declared open (e.g. a Saturday service day)."""

    day: date
    name: str = ""
    # None: the weekday's own office hours, or Monday's if that weekday has none.
    intervals: tuple[Interval, ...] | None = None


def _require_aware(dt: datetime, what: str = "datetime") -> None:
    if not isinstance(dt, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware: {dt!r}")


class BusinessCalendar:
    """Office hours + national holidays + cuti bersama + local closed/open days."""

    def __init__(
        self,
        office_hours: OfficeHours | None = None,
        timezone: str = DEFAULT_TIMEZONE,
        closed_dates: Mapping[date, str] | None = None,
        open_dates: Iterable[OpenDay | date] = (),
        country: str = "ID",
        holiday_categories: tuple[str, ...] = DEFAULT_HOLIDAY_CATEGORIES,
        language: str = "id",
    ) -> None:
        self.office_hours = office_hours or OfficeHours()
        self.tz = ZoneInfo(timezone)
        self.timezone = timezone
        self.closed_dates: dict[date, str] = dict(closed_dates or {})
        self.open_dates: dict[date, OpenDay] = {}
        for item in open_dates:
            open_day = item if isinstance(item, OpenDay) else OpenDay(item)
            if open_day.intervals is not None:
                object.__setattr__(open_day, "intervals", _validated(open_day.intervals))
            self.open_dates[open_day.day] = open_day
        both = set(self.closed_dates) & set(self.open_dates)
        if both:
            raise CalendarError(f"dates both closed and open: {sorted(both)}")
        self.country = country
        self.holiday_categories = holiday_categories
        self.language = language
        self._holidays_by_year: dict[int, dict[date, str]] = {}
        if self.office_hours.weekly_hours() <= timedelta(0) and not self.open_dates:
            raise CalendarError("office hours give no working time at all")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BusinessCalendar:
        """Build from plain data, e.g. the office's settings file::

        {"timezone": "Asia/Jakarta",
         "office_hours": {"monday": [["07:30", "12:00"], ["13:00", "16:00"]], ...},
         "closed_dates": [{"date": "2026-12-31", "name": "Libur daerah"}],
         "open_dates": [{"date": "2026-11-28", "name": "Pelayanan Sabtu",
                         "hours": [["08:00", "12:00"]]}]}
        """
        known = {"timezone", "office_hours", "closed_dates", "open_dates", "holiday_categories"}
        unknown = set(config) - known
        if unknown:
            raise CalendarError(f"unknown calendar settings: {sorted(unknown)}")
        hours_cfg = config.get("office_hours")
        office_hours = OfficeHours.from_config(hours_cfg) if hours_cfg is not None else None
        closed: dict[date, str] = {}
        for item in config.get("closed_dates", ()) or ():
            closed[_parse_date(item["date"])] = str(item.get("name") or "Libur kantor")
        opened = [
            OpenDay(
                _parse_date(item["date"]),
                str(item.get("name") or ""),
                _parse_intervals(item["hours"]) if item.get("hours") is not None else None,
            )
            for item in config.get("open_dates", ()) or ()
        ]
        categories = tuple(config.get("holiday_categories") or DEFAULT_HOLIDAY_CATEGORIES)
        return cls(
            office_hours=office_hours,
            timezone=str(config.get("timezone") or DEFAULT_TIMEZONE),
            closed_dates=closed,
            open_dates=opened,
            holiday_categories=categories,
        )

    # --- days -------------------------------------------------------------------------------

    def _national_holidays(self, year: int) -> dict[date, str]:
        if year not in self._holidays_by_year:
            table = holidays.country_holidays(
                self.country,
                years=year,
                categories=self.holiday_categories,
                language=self.language,
            )
            self._holidays_by_year[year] = dict(table.items())
        return self._holidays_by_year[year]

    def holiday_name(self, day: date) -> str | None:
        """Why ``day`` is closed although it is a weekday with office hours, or None.

        Local closures win over national holidays; a day declared open has no holiday name.
        Weekends are not holidays (they are simply outside office hours).
        """
        day = _as_date(day)
        if day in self.open_dates:
            return None
        if day in self.closed_dates:
            return self.closed_dates[day]
        return self._national_holidays(day.year).get(day)

    def working_intervals_local(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's working intervals as aware local datetimes (empty when closed)."""
        day = _as_date(day)
        open_day = self.open_dates.get(day)
        if open_day is not None:
            intervals = open_day.intervals
            if intervals is None:
                intervals = self.office_hours.intervals(day.weekday()) or next(
                    self.office_hours.intervals(d)
                    for d in range(7)
                    if self.office_hours.intervals(d)
                )
        elif self.holiday_name(day) is not None:
            intervals = ()
        else:
            intervals = self.office_hours.intervals(day.weekday())
        return [
            (datetime.combine(day, start, self.tz), datetime.combine(day, end, self.tz))
            for start, end in intervals
        ]

    def is_working_day(self, day: date) -> bool:
        return bool(self.working_intervals_local(day))

    def close_of_business(self, day: date) -> datetime | None:
        """End of the day's last working interval, in UTC (None on a closed day)."""
        intervals = self.working_intervals_local(day)
        return intervals[-1][1].astimezone(UTC) if intervals else None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day within {MAX_SEARCH_DAYS} days after {day}")

    def _intervals_from(self, local: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals ending after ``local``, in order, clipped to start at ``local``."""
        day = local.date()
        empty_days = 0
        while True:
            intervals = self.working_intervals_local(day)
            if intervals:
                empty_days = 0
            else:
                empty_days += 1
                if empty_days > MAX_SEARCH_DAYS:
                    raise CalendarError(f"no working time within {MAX_SEARCH_DAYS} days")
            for start, end in intervals:
                if end > local:
                    yield max(start, local), end
            day += timedelta(days=1)

    # --- instants ---------------------------------------------------------------------------

    def to_local(self, dt: datetime) -> datetime:
        _require_aware(dt)
        return dt.astimezone(self.tz)

    def is_working_time(self, dt: datetime) -> bool:
        local = self.to_local(dt)
        return any(
            start <= local < end for start, end in self.working_intervals_local(local.date())
        )

    def next_working_instant(self, dt: datetime) -> datetime:
        """``dt`` itself if the office is working then, else the next opening (UTC)."""
        local = self.to_local(dt)
        start, _ = next(self._intervals_from(local))
        return start.astimezone(UTC)

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which ``amount`` of working time has elapsed since ``start`` (UTC).

        Rests, nights, weekends and holidays do not count. Work that fills an interval
        exactly ends at that interval's end (a 1 h job started at 11:00 is due 12:00, not 13:00).
        """
        local = self.to_local(start)
        if amount < timedelta(0):
            raise ValueError("amount of business time must not be negative")
        if amount == timedelta(0):
            return start.astimezone(UTC)
        remaining = amount
        for seg_start, seg_end in self._intervals_from(local):
            available = seg_end - seg_start
            if remaining <= available:
                return (seg_start + remaining).astimezone(UTC)
            remaining -= available
        raise AssertionError("unreachable: _intervals_from is endless")  # pragma: no cover

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time elapsed from ``a`` to ``b`` (negative if ``b`` is before ``a``)."""
        _require_aware(a, "a")
        _require_aware(b, "b")
        if b < a:
            return -self.business_time_between(b, a)
        local_a, local_b = a.astimezone(self.tz), b.astimezone(self.tz)
        total = timedelta(0)
        day = local_a.date()
        while day <= local_b.date():
            for start, end in self.working_intervals_local(day):
                lo, hi = max(start, local_a), min(end, local_b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def first_counted_day(self, start: datetime) -> date:
        """The first day that counts towards a working-day standard started at ``start``.

        The day of submission counts only if the file arrives before that day's opening;
        otherwise counting starts on the next working day.
        """
        local = self.to_local(start)
        intervals = self.working_intervals_local(local.date())
        if intervals and local <= intervals[0][0]:
            return local.date()
        return self.next_working_day(local.date())

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Due time of an ``n`` working-day standard: close of business of the n-th counted day.

        Counting starts at :meth:`first_counted_day`: a file received during (or after) the
        office hours of day D counts from the next working day; received before opening on a
        working day D, day D is day 1. Submitted Thursday 10:00 with ``P3D`` on a plain week:
        Friday (1), Monday (2), Tuesday (3) → due Tuesday at close of business.
        """
        if days < 0:
            raise ValueError("working days must not be negative")
        if days == 0:
            return start.astimezone(UTC)
        day = self.first_counted_day(start)
        for _ in range(days - 1):
            day = self.next_working_day(day)
        close = self.close_of_business(day)
        assert close is not None  # day is a working day by construction
        return close


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError("expected a date, not a datetime; convert to local date first")
    return value
