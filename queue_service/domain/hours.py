"""The hall's opening hours (jam layanan): when the kiosk may hand out numbers.

Stored on the office as a small mapping of weekday ranges to time ranges, e.g.
``{"mon-thu": "07:30-15:30", "fri": "07:30-14:30"}`` (a value may also be a list of ranges, for
a break). Days not named are closed; so are Indonesia's public holidays and cuti bersama.
Plain Python: the queue service decides what to do with the answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")
LOOKAHEAD_DAYS = 21


class HoursError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class OpeningHours:
    """Per weekday (0 = Monday) the opening intervals, local time."""

    days: tuple[tuple[tuple[dt.time, dt.time], ...], ...]

    @property
    def defined(self) -> bool:
        return any(self.days)

    def open_at(self, local: dt.datetime) -> bool:
        """Open at this local time (holidays are the caller's: see :func:`is_holiday`)."""
        now = local.time()
        return any(start <= now < end for start, end in self.days[local.weekday()])

    def next_opening(self, local: dt.datetime) -> dt.datetime | None:
        """The next moment after ``local`` that the hall opens, skipping holidays."""
        for offset in range(LOOKAHEAD_DAYS):
            day = local.date() + dt.timedelta(days=offset)
            if is_holiday(day):
                continue
            for start, _end in self.days[day.weekday()]:
                candidate = dt.datetime.combine(day, start, tzinfo=local.tzinfo)
                if candidate > local:
                    return candidate
        return None

    def describe(self) -> str:
        """``Senin–Kamis 07.30–15.30; Jumat 07.30–14.30`` (consecutive equal days grouped)."""
        parts: list[str] = []
        i = 0
        while i < 7:
            j = i
            while j + 1 < 7 and self.days[j + 1] == self.days[i]:
                j += 1
            if self.days[i]:
                days = DAY_NAMES[i] if i == j else f"{DAY_NAMES[i]}–{DAY_NAMES[j]}"
                times = ", ".join(f"{_hm(a)}–{_hm(b)}" for a, b in self.days[i])
                parts.append(f"{days} {times}")
            i = j + 1
        return "; ".join(parts)


def _hm(value: dt.time) -> str:
    return f"{value.hour:02d}.{value.minute:02d}"


def describe_moment(value: dt.datetime) -> str:
    """``Senin, 30 November 07.30``."""
    day = DAY_NAMES[value.weekday()]
    return f"{day}, {value.day} {MONTHS[value.month - 1]} {_hm(value.time())}"


def _day_range(key: str) -> list[int]:
    names = [part.strip().lower()[:3] for part in key.split("-")]
    if not 1 <= len(names) <= 2 or any(name not in DAYS for name in names):
        raise HoursError(f"hari tidak dikenal: '{key}' (pakai mon, tue, …, sun atau mon-thu)")
    first, last = DAYS.index(names[0]), DAYS.index(names[-1])
    if last < first:
        raise HoursError(f"rentang hari terbalik: '{key}'")
    return list(range(first, last + 1))


def _time_range(value: Any, key: str) -> tuple[dt.time, dt.time]:
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match is None:
        raise HoursError(f"jam '{value}' untuk '{key}' tidak valid (contoh 07:30-15:30)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = dt.time(h1, m1), dt.time(h2, m2)
    except ValueError:
        raise HoursError(f"jam '{value}' untuk '{key}' tidak valid") from None
    if end <= start:
        raise HoursError(f"jam tutup harus setelah jam buka: '{value}'")
    return start, end


def parse(raw: Mapping[str, Any] | None) -> OpeningHours:
    days: list[list[tuple[dt.time, dt.time]]] = [[] for _ in range(7)]
    for key, value in (raw or {}).items():
        ranges = [_time_range(v, key) for v in (value if isinstance(value, list) else [value])]
        for day in _day_range(str(key)):
            days[day].extend(ranges)
    return OpeningHours(tuple(tuple(sorted(d)) for d in days))


@functools.lru_cache(maxsize=64)
def parse_cached(raw_json: str) -> OpeningHours:
    import json

    return parse(json.loads(raw_json))


@functools.lru_cache(maxsize=8)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays(
        "ID", years=year, categories=("public", "government")).keys())


def is_holiday(day: dt.date) -> bool:
    """Indonesia's public holidays and cuti bersama (python-holidays)."""
    return day in _holidays(day.year)
