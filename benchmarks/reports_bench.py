"""The dashboard's report queries on a month with 5,000 tickets (issue #21: under 200 ms).

The month is October 2026, filled by ``loket demo-history`` scaled to the ticket count; a
share of the served visitors have their case walked through the workflow. Then each query the
dashboard makes for a month is timed in-process on a warm connection, and the month is checked
to be reported whole (no cap).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import ensure_pg_database, private_env, reset_database, summary

FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
TODAY = dt.date(2026, 11, 1)
PER_DAY = 93.3  # demo-history's ordinary day at scale 1 (sum of its rates over the hours)
WORKING_DAYS = 22  # October 2026, Monday to Friday


def _time(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    fn()  # warm: first connection, imports, the catalog
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return summary(times)


def run(database: str, tickets: int, case_share: float, repeat: int) -> list[list[object]]:
    with private_env(database):
        return _run(tickets, case_share, repeat)


def _run(tickets: int, case_share: float, repeat: int) -> list[list[object]]:
    from loket.composition import demo_history
    from loket.db import Database
    from loket.settings import get_settings
    from queue_service.seed import seed_demo
    from queue_service.usecases import reports as queue_reports
    from workflow_service.usecases import reports as workflow_reports

    settings = get_settings()
    reset_database(settings.effective_database_url)
    seed_demo(settings)
    t0 = time.perf_counter()
    filled = demo_history.fill(settings, days=(TODAY - FIRST).days, seed=21,
                               case_share=case_share, today=TODAY,
                               scale=tickets / (PER_DAY * WORKING_DAYS))
    setup = time.perf_counter() - t0
    db = Database.for_url(settings.effective_database_url)

    def queue_summary() -> dict[str, Any]:
        with db.read_session() as session:
            return queue_reports.summary_in(session, FIRST, LAST)

    def compliance() -> dict[str, Any]:
        with db.read_session() as session:
            return workflow_reports.compliance(session, FIRST, LAST)

    def live() -> dict[str, Any]:
        with db.read_session() as session:
            return workflow_reports.live(session)

    reported = queue_summary()["totals"]["issued"]
    assert reported == filled["tickets"], (reported, filled)  # the whole month, no cap
    name = "SQLite" if db.is_sqlite else "PostgreSQL"
    rows: list[list[object]] = []
    for label, fn in (("queue summary (month)", queue_summary),
                      ("SOP compliance (month)", compliance), ("live per SOP", live)):
        s = _time(fn, repeat)
        rows.append([name, label, filled["tickets"], filled["cases"], round(setup),
                     s["p50"], s["p95"], s["max"], "yes" if s["p95"] < 200 else "NO"])
    return rows


HEADERS = ["database", "query", "tickets", "cases", "setup s", "p50 ms", "p95 ms", "max ms",
           "p95 < 200 ms"]


def main(pg_url: str | None, tickets: int = 5000, case_share: float = 0.05,
         repeat: int = 20) -> str:
    from benchmarks.common import table

    rows = run("sqlite", tickets, case_share, repeat)
    if pg_url and ensure_pg_database(pg_url):
        rows += run(pg_url, tickets, case_share, repeat)
    return table(HEADERS, rows)


if __name__ == "__main__":
    import sys

    # Smoke size: python -m benchmarks.reports_bench 300
    print(main(None, tickets=int(sys.argv[1]) if len(sys.argv) > 1 else 5000,
               case_share=0.02, repeat=5))
