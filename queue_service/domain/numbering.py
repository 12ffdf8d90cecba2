"""Ticket numbers, tracking codes and the local service day."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

# No 0/O, 1/I/L: a visitor reads the code off a paper slip or types it on a phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 8


def format_number(prefix: str, seq: int) -> str:
    """``C`` + 7 → ``C007``; beyond 999 the number simply grows (``C1000``)."""
    return f"{prefix}{seq:03d}"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalize_tracking_code(value: str) -> str:
    return value.strip().upper()


def is_tracking_code(value: str) -> bool:
    return len(value) == TRACKING_LENGTH and all(c in TRACKING_ALPHABET for c in value)


def service_day(now: dt.datetime, timezone: str) -> dt.date:
    """The office's local date at ``now`` (aware): numbers restart at local midnight."""
    if now.tzinfo is None:
        raise ValueError("aware datetime required")
    return now.astimezone(ZoneInfo(timezone)).date()
