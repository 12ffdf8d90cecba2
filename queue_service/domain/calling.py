"""Which waiting ticket a counter calls next, and a service's wait estimate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import statistics
from collections.abc import Iterable, Sequence

# UU 25/2009 Pasal 29: pelayanan khusus for these groups.
PRIORITY_CATEGORIES = ("lansia", "disabilitas", "ibu_hamil", "anak")
PRIORITY_LABELS = {
    "lansia": "lanjut usia",
    "disabilitas": "penyandang disabilitas",
    "ibu_hamil": "ibu hamil",
    "anak": "anak-anak",
}
DEFAULT_SERVICE_MINUTES = 5.0


class Group(enum.IntEnum):
    """The calling groups, called in this order (lower first)."""

    RETURNING = 0  # back from a transfer-and-return
    OVERDUE = 1  # regular, waited longer than the office's maximum
    PRIORITY = 2  # lansia, disabilitas, ibu hamil, anak
    REGULAR = 3  # everybody else


# The one definition of the groups: each group's test, tried in this order; the first that holds
# is the ticket's group. The database's ordering (queue_service.usecases.queries) maps the same
# test names to SQL, so the two cannot drift apart (tests/queue/test_queue_calling_sql.py).
GROUP_TESTS: tuple[tuple[Group, str], ...] = (
    (Group.RETURNING, "returning"),
    (Group.OVERDUE, "regular_and_overdue"),
    (Group.PRIORITY, "priority"),
    (Group.REGULAR, "always"),
)


def is_overdue(waiting_since: dt.datetime, now: dt.datetime,
               max_regular_wait: dt.timedelta) -> bool:
    """Waited longer than the maximum (the SQL form: issued before ``now - max_regular_wait``)."""
    return now - waiting_since > max_regular_wait


def calling_group(returning: bool, priority: str | None, overdue: bool) -> Group:
    """The group of a waiting ticket (see GROUP_TESTS)."""
    holds = {"returning": returning, "regular_and_overdue": priority is None and overdue,
             "priority": priority is not None, "always": True}
    return next(group for group, test in GROUP_TESTS if holds[test])


@dataclasses.dataclass(frozen=True)
class Candidate:
    id: int
    service: str
    priority: str | None
    waiting_since: dt.datetime  # the original issue time: kept across hold, resume, transfer
    returning: bool = False  # came back after a transfer-and-return: it goes first


def order_candidates(candidates: Iterable[Candidate], now: dt.datetime,
                     max_regular_wait: dt.timedelta,
                     services: Iterable[str] | None = None) -> list[Candidate]:
    """The calling order.

    1. tickets returning from a transfer-and-return, oldest first;
    2. regular tickets that have waited longer than ``max_regular_wait``, oldest first
       (priority must not starve everybody else);
    3. priority visitors (lansia, disabilitas, ibu hamil, anak), oldest first;
    4. everybody else, oldest first.
    """
    allowed = set(services) if services is not None else None

    def rank(c: Candidate) -> tuple[int, dt.datetime, int]:
        overdue = is_overdue(c.waiting_since, now, max_regular_wait)
        return (calling_group(c.returning, c.priority, overdue), c.waiting_since, c.id)

    pool = [c for c in candidates if allowed is None or c.service in allowed]
    return sorted(pool, key=rank)


def pick_next(candidates: Iterable[Candidate], now: dt.datetime, max_regular_wait: dt.timedelta,
              services: Iterable[str]) -> Candidate | None:
    ordered = order_candidates(candidates, now, max_regular_wait, services)
    return ordered[0] if ordered else None


def typical_service_minutes(durations: Sequence[dt.timedelta], default: float | None,
                            last_n: int = 10) -> float:
    """Median of the last ``last_n`` serving durations; the SOP's standard when there are none."""
    recent = [d.total_seconds() / 60 for d in list(durations)[-last_n:] if d.total_seconds() > 0]
    if recent:
        return float(statistics.median(recent))
    if default is not None and default > 0:
        return float(default)
    return DEFAULT_SERVICE_MINUTES


def estimate_wait_minutes(people_ahead: int, minutes_per_visitor: float, open_counters: int) -> int:
    """Whole minutes: people ahead × typical minutes ÷ counters serving (at least one)."""
    if people_ahead <= 0:
        return 0
    return int(math.ceil(people_ahead * minutes_per_visitor / max(1, open_counters)))
