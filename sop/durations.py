"""SOP time standards: Indonesian text ("0,5 jam") to ISO 8601 durations ("PT30M") and back.

This is Loket's one ISO 8601 duration grammar (the SOP catalog, the workflow's SLA clocks and
the kiosk all read time standards through :func:`parse_iso_duration`). Only the subset the SOPs
need is accepted: days (``PnD``) and a time part (``TnHnMnS``, each number may carry a decimal
fraction, ``PT0.5H`` or ``PT0,5H``, as long as the whole is a whole number of seconds). Years,
months and weeks are refused because their length in working time is ambiguous.
A day in a time standard is a *working day*; ``iso_to_timedelta`` returns ``days=n`` and the
caller's business calendar decides what a working day is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

#: Texts meaning "no fixed time standard".
NO_STANDARD = frozenset({"", "-", "seperlunya", "secukupnya", "sesuai kebutuhan"})

_UNIT_SECONDS = {"detik": 1, "menit": 60, "jam": 3600}
_TEXT_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(detik|menit|jam|hari(?:\s+kerja)?)$")
_NUMBER = r"\d+(?:[.,]\d+)?"
_ISO_RE = re.compile(
    rf"^P(?!$)(?:(?P<days>\d+)D)?(?:T(?!$)(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?"
    rf"(?:(?P<seconds>{_NUMBER})S)?)?$"
)
_TIME_FACTORS = (("hours", 3600), ("minutes", 60), ("seconds", 1))


class DurationError(ValueError):
    """A time standard that cannot be read."""


@dataclass(frozen=True)
class Duration:
    """A parsed time standard: whole working days plus a time part in seconds."""

    days: int = 0
    seconds: int = 0

    def iso(self) -> str:
        return format_iso(self.days, self.seconds)

    def to_timedelta(self) -> timedelta:
        return timedelta(days=self.days, seconds=self.seconds)


def format_iso(days: int, seconds: int) -> str:
    """Canonical ISO 8601 form: ``P3D``, ``PT1H30M``, ``PT45S``; zero is ``PT0S``."""
    if days < 0 or seconds < 0:
        raise DurationError("durasi tidak boleh negatif")
    out = "P"
    if days:
        out += f"{days}D"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if secs:
        time += f"{secs}S"
    if time:
        out += "T" + time
    return out if out != "P" else "PT0S"


def parse_iso_duration(value: str) -> Duration:
    """Read ``P3D`` / ``PT30M`` / ``P1DT2H`` into a :class:`Duration`."""
    if not isinstance(value, str):
        raise DurationError(f"durasi ISO 8601 harus berupa teks, bukan {type(value).__name__}")
    m = _ISO_RE.match(value.strip().upper())
    if not m:
        raise DurationError(f"durasi ISO 8601 tidak dapat dibaca: '{value}'")
    parts = m.groupdict()
    seconds = sum((Decimal(parts[name].replace(",", ".")) * factor
                   for name, factor in _TIME_FACTORS if parts[name]), Decimal(0))
    if seconds != seconds.to_integral_value():
        raise DurationError(f"durasi harus genap dalam detik: '{value}'")
    return Duration(days=int(parts["days"] or 0), seconds=int(seconds))


def parse_time_standard(text: str | None) -> str | None:
    """Turn an SOP's "Waktu" cell into an ISO 8601 duration, or ``None`` for no standard.

    >>> parse_time_standard("0,5 jam")
    'PT30M'
    >>> parse_time_standard("3 hari")
    'P3D'
    >>> parse_time_standard("seperlunya") is None
    True
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise DurationError(f"waktu harus berupa teks, bukan {type(text).__name__}")
    norm = " ".join(text.strip().lower().split())
    if norm in NO_STANDARD:
        return None
    if norm.startswith("p"):
        return parse_iso_duration(norm).iso()
    m = _TEXT_RE.match(norm)
    if not m:
        raise DurationError(f"waktu tidak dapat dibaca: '{text}'")
    try:
        amount = Decimal(m.group(1).replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise DurationError(f"waktu tidak dapat dibaca: '{text}'") from exc
    unit = m.group(2).split()[0]
    if unit == "hari":
        if amount != amount.to_integral_value():
            raise DurationError(f"hari kerja harus bilangan bulat: '{text}'")
        return format_iso(int(amount), 0)
    seconds = amount * _UNIT_SECONDS[unit]
    if seconds != seconds.to_integral_value():
        raise DurationError(f"waktu harus genap dalam detik: '{text}'")
    return format_iso(0, int(seconds))


def iso_to_timedelta(value: str) -> timedelta:
    """``PT30M`` → ``timedelta(minutes=30)``; ``P3D`` → ``timedelta(days=3)`` (working days)."""
    return parse_iso_duration(value).to_timedelta()


def iso_to_minutes(value: str | None) -> int | None:
    """Minutes of the time part plus 24 h per day; ``None`` passes through."""
    if value is None:
        return None
    return int(iso_to_timedelta(value).total_seconds() // 60)


#: Words for (working days, hours, minutes, seconds) per language.
UNIT_WORDS = {
    "id": ("hari kerja", "jam", "menit", "detik"),
    "en": ("working days", "hours", "minutes", "seconds"),
}

_SINGULAR = {"working days": "working day", "hours": "hour", "minutes": "minute",
             "seconds": "second"}


def describe(duration: Duration, language: str = "id") -> str:
    """A duration in words: ``1 jam 30 menit``, ``3 hari kerja``; zero is ``0 menit``."""
    days_word, hours_word, minutes_word, seconds_word = UNIT_WORDS.get(language, UNIT_WORDS["id"])
    hours, rest = divmod(duration.seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for amount, word in ((duration.days, days_word), (hours, hours_word),
                         (minutes, minutes_word), (secs, seconds_word)):
        if amount:
            if amount == 1:  # Indonesian nouns have no plural; English ones do
                word = _SINGULAR.get(word, word)
            parts.append(f"{amount} {word}")
    return " ".join(parts) or f"0 {minutes_word}"


def format_duration_id(value: str | None) -> str:
    """Bahasa Indonesia for an ISO duration: ``PT1H30M`` → ``1 jam 30 menit``."""
    if value is None:
        return "seperlunya"
    return describe(parse_iso_duration(value), "id")
