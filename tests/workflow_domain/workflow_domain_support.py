"""Helpers shared by the workflow domain tests."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime on the office's wall clock (Asia/Jakarta, UTC+7)."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def utc_of(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """The UTC instant of a local (WIB) wall-clock time, as the domain returns it."""
    return wib(year, month, day, hour, minute).astimezone(UTC)
