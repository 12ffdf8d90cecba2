"""SLA clock of one SOP step: time standard, due time, pauses, elapsed fraction.

A standard is an ISO 8601 duration from the SOP (``PT5M``, ``PT8H``, ``P3D``; ``D`` means
*working* days) or None for "seperlunya" (no deadline). A ``business`` clock counts only office
time on the :class:`~workflow_service.domain.calendar.BusinessCalendar`; a ``wall`` clock counts
plain elapsed time.

While the file is back with the applicant the clock is paused; the due time moves by the
paused time (working time on a business clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sop.durations import DurationError, parse_iso_duration
from workflow_service.domain.calendar import BusinessCalendar, _require_aware


class ClockKind(StrEnum):
    BUSINESS = "business"
    WALL = "wall"


class InvalidTimeStandard(ValueError):
    """The SOP time standard is not a supported ISO 8601 duration."""


class ClockError(ValueError):
    """A pause/resume that does not fit the clock's state."""


@dataclass(frozen=True)
class TimeStandard:
    """A parsed SOP time standard: either whole working days or a duration, never both."""

    raw: str
    working_days: int = 0
    duration: timedelta = field(default_factory=timedelta)

    @property
    def is_days(self) -> bool:
        return self.working_days > 0

    def __str__(self) -> str:
        return self.raw


def parse_time_standard(value: str | TimeStandard | None) -> TimeStandard | None:
    """Parse ``PT5M`` / ``PT1H30M`` / ``P3D``; None or "" means no deadline.

    The grammar is the catalog's (:func:`sop.durations.parse_iso_duration`, the one parser of
    the project). On top of it, strict on purpose: mixing working days with hours is
    ambiguous, and a zero standard would be breached at once.
    """
    if value is None or isinstance(value, TimeStandard):
        return value
    if not isinstance(value, str):
        raise InvalidTimeStandard(f"time standard must be a string, got {type(value).__name__}")
    text = value.strip().upper()
    if not text:
        return None
    try:
        parsed = parse_iso_duration(text)
    except DurationError as exc:
        raise InvalidTimeStandard(
            f"unsupported time standard {value!r}: use PTnM, PTnH, PTnS or PnD"
        ) from exc
    if parsed.days and parsed.seconds:
        raise InvalidTimeStandard(
            f"unsupported time standard {value!r}: working days cannot be mixed with hours"
        )
    if not parsed.days and not parsed.seconds:
        raise InvalidTimeStandard(f"time standard must be positive: {value!r}")
    if parsed.days:
        return TimeStandard(raw=text, working_days=parsed.days)
    return TimeStandard(raw=text, duration=timedelta(seconds=parsed.seconds))


Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class StepClock:
    """The SLA clock of one step. Immutable: ``pause``/``resume`` return a new clock.

    ``pauses`` are (start, end) pairs in time order; only the last may be open (end None).
    """

    started_at: datetime
    standard: TimeStandard | None
    kind: ClockKind = ClockKind.BUSINESS
    calendar: BusinessCalendar | None = None
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self) -> None:
        _require_aware(self.started_at, "started_at")
        object.__setattr__(self, "kind", ClockKind(self.kind))
        object.__setattr__(self, "standard", parse_time_standard(self.standard))
        if self.kind is ClockKind.BUSINESS and self.standard and self.calendar is None:
            raise ValueError("a business clock with a time standard needs a calendar")
        previous_end: datetime | None = self.started_at
        for index, (start, end) in enumerate(self.pauses):
            _require_aware(start, "pause start")
            if previous_end is None:
                raise ClockError("only the last pause may be open")
            if start < previous_end:
                raise ClockError("pauses must be in order and after the start")
            if end is not None:
                _require_aware(end, "pause end")
                if end < start:
                    raise ClockError("a pause cannot end before it starts")
            elif index != len(self.pauses) - 1:
                raise ClockError("only the last pause may be open")
            previous_end = end

    @classmethod
    def start(
        cls,
        started_at: datetime,
        time_standard: str | TimeStandard | None,
        kind: ClockKind | str = ClockKind.BUSINESS,
        calendar: BusinessCalendar | None = None,
        paused_intervals: Iterable[Pause] = (),
    ) -> StepClock:
        return cls(
            started_at=started_at,
            standard=parse_time_standard(time_standard),
            kind=ClockKind(kind),
            calendar=calendar,
            pauses=tuple(paused_intervals),
        )

    # --- pausing ----------------------------------------------------------------------------

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    @property
    def paused_since(self) -> datetime | None:
        return self.pauses[-1][0] if self.is_paused else None

    def pause(self, at: datetime) -> StepClock:
        _require_aware(at, "at")
        if self.is_paused:
            raise ClockError("clock is already paused")
        return replace(self, pauses=(*self.pauses, (at, None)))

    def resume(self, at: datetime) -> StepClock:
        _require_aware(at, "at")
        if not self.is_paused:
            raise ClockError("clock is not paused")
        start, _ = self.pauses[-1]
        if at < start:
            raise ClockError("cannot resume before the pause started")
        return replace(self, pauses=(*self.pauses[:-1], (start, at)))

    # --- time arithmetic (business or wall) -------------------------------------------------

    def _span(self, a: datetime, b: datetime) -> timedelta:
        if b <= a:
            return timedelta(0)
        if self.kind is ClockKind.WALL:
            return b - a
        assert self.calendar is not None
        return self.calendar.business_time_between(a, b)

    def _advance(self, start: datetime, amount: timedelta) -> datetime:
        if self.kind is ClockKind.WALL:
            return (start + amount).astimezone(UTC)
        assert self.calendar is not None
        return self.calendar.add_business_time(start, amount)

    def paused_time(self, now: datetime | None = None) -> timedelta:
        """Clock time spent paused up to ``now`` (an open pause counts up to ``now``)."""
        now = _now(now)
        total = timedelta(0)
        for start, end in self.pauses:
            total += self._span(start, min(end or now, now))
        return total

    @property
    def standard_length(self) -> timedelta | None:
        """How much clock time the standard allows (None for "seperlunya").

        For working days this is the working time from the start to the close of business of
        the last counted day, so ``fraction`` reaches exactly 1.0 at ``due_at``.
        """
        std = self.standard
        if std is None:
            return None
        if not std.is_days:
            return std.duration
        if self.kind is ClockKind.WALL:
            return timedelta(days=std.working_days)
        assert self.calendar is not None
        base_due = self.calendar.add_working_days(self.started_at, std.working_days)
        return self.calendar.business_time_between(self.started_at, base_due)

    def elapsed(self, now: datetime | None = None) -> timedelta:
        """Clock time the step has run, pauses excluded."""
        now = _now(now)
        return max(timedelta(0), self._span(self.started_at, now) - self.paused_time(now))

    def fraction(self, now: datetime | None = None) -> float | None:
        """Elapsed / standard (0.75 = reminder point, 1.0 = due); None without a standard."""
        length = self.standard_length
        if length is None:
            return None
        return self.elapsed(now) / length

    def instant_for_elapsed(self, target: timedelta) -> datetime | None:
        """When the clock will read ``target`` given the pauses known so far (UTC).

        None while the clock is paused before reaching ``target`` (the instant is unknown
        until the file comes back).
        """
        if target <= timedelta(0):
            return self.started_at.astimezone(UTC)
        # Walk the running stretches between pauses (pauses are ordered and disjoint).
        cursor = self.started_at
        remaining = target
        for pause_start, pause_end in self.pauses:
            running = self._span(cursor, pause_start)
            if remaining <= running:
                return self._advance(cursor, remaining)
            remaining -= running
            if pause_end is None:
                return None
            cursor = max(cursor, pause_end)
        return self._advance(cursor, remaining)

    @property
    def due_at(self) -> datetime | None:
        """The deadline in UTC, counting the pauses that have ended.

        None without a standard, and None while paused before reaching the deadline (it is
        not known until the applicant resubmits).
        """
        length = self.standard_length
        if length is None:
            return None
        return self.instant_for_elapsed(length)

    def is_overdue(self, now: datetime | None = None) -> bool:
        fraction = self.fraction(now)
        return fraction is not None and fraction >= 1.0


def compute_due_at(
    started_at: datetime,
    time_standard: str | TimeStandard | None,
    clock: ClockKind | str,
    calendar: BusinessCalendar | None,
    paused_intervals: Iterable[tuple[datetime, datetime]] = (),
) -> datetime | None:
    """Due time of a step started at ``started_at`` (UTC), or None for "seperlunya"."""
    pauses: tuple[Pause, ...] = tuple(paused_intervals)
    return StepClock.start(started_at, time_standard, clock, calendar, pauses).due_at


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    _require_aware(now, "now")
    return now
