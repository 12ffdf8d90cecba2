"""Breach detection lag with 10,000 open cases, and the cost of one deadline sweep.

The office file used here keeps the office open around the clock, so the business clock runs
whenever the benchmark runs; everything else (calendar code, sweep, Celery worker and beat,
Redis, database) is what production runs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    REPO,
    ensure_pg_database,
    private_env,
    reset_database,
    spawn,
    stop,
    summary,
    table,
)

OPEN_ALL_DAY = """
name: Kecamatan Genteng (benchmark, buka 24 jam)
regency: Kabupaten Banyuwangi
government: Pemerintah Kabupaten Banyuwangi
address: benchmark
timezone: Asia/Jakarta
office_hours: {monday: ["00:00-23:59"], tuesday: ["00:00-23:59"], wednesday: ["00:00-23:59"],
  thursday: ["00:00-23:59"], friday: ["00:00-23:59"], saturday: ["00:00-23:59"],
  sunday: ["00:00-23:59"]}
"""


def _office_file(tmp: Path) -> Path:
    import yaml

    base = yaml.safe_load((REPO / "sop" / "office" / "genteng.yaml").read_text())
    extra = yaml.safe_load(OPEN_ALL_DAY)
    base.update(extra)
    path = tmp / "office-24h.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True))
    return path


def run(database: str, cases: int = 10_000, measured: int = 1_000) -> list[list[object]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        office = _office_file(Path(tmp))
        with private_env(database, {"LOKET_OFFICE_FILE": str(office)}) as env:
            return _run(env, cases, measured)


def _open_cases(db: Any, count: int, opened_at: Callable[[int], dt.datetime]) -> None:
    """Open ``count`` e-KTP cases through the real use case, committing every 500."""
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case

    with db.session() as session, session_work(session) as uow:
        for i in range(count):
            open_case(uow, sop_code="ektp", channel="langsung", actor="bench", now=opened_at(i))
            if i % 500 == 499:
                uow.flush_events()
                session.commit()


def _sweep_times(db: Any) -> list[float]:
    """The sweep's own cost on this table, measured in-process (ms, 20 runs)."""
    from workflow_service.usecases.escalations import due_escalations

    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        with db.session() as session:
            due_escalations(session, dt.datetime.now(dt.UTC), dt.timedelta(seconds=60))
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _breaches_due(db: Any, until: dt.datetime) -> list[Any]:
    from sqlalchemy import select

    from workflow_service.models import Escalation

    with db.session() as session:
        return list(session.execute(
            select(Escalation.due_at, Escalation.fired_at)
            .where(Escalation.level == "breach", Escalation.due_at <= until)).all())


def _detect_live(env: dict[str, str], db: Any, until: dt.datetime) -> None:
    """Run a real worker and beat until every breach due by ``until`` has fired (or a minute
    more has passed)."""
    var = Path(env["LOKET_VAR_DIR"])
    worker = spawn(["-m", "celery", "-A", "loket.make_celery", "worker", "-Q", "loket",
                    "--concurrency", "2", "--without-gossip", "--without-mingle",
                    "--loglevel", "WARNING"], env, var / "worker.log")
    beat = spawn(["-m", "celery", "-A", "loket.make_celery", "beat", "--loglevel", "WARNING",
                  "-s", str(var / "beat-schedule")], env, var / "beat.log")
    try:
        while dt.datetime.now(dt.UTC) < until + dt.timedelta(seconds=60):
            pending = [r for r in _breaches_due(db, until) if r.fired_at is None]
            if not pending and dt.datetime.now(dt.UTC) > until:
                break
            time.sleep(1)
    finally:
        stop(beat)
        stop(worker)


def _run(env: dict[str, str], cases: int, measured: int) -> list[list[object]]:
    from loket.db import Database
    from loket.settings import get_settings

    settings = get_settings()
    reset_database(settings.effective_database_url)
    db = Database.for_url(settings.effective_database_url)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    # Background: cases opened "later", their deadlines hours away; they only make the sweep
    # look through a realistic table. Measured: breaches due 30–90 s from now.
    _open_cases(db, cases - measured,
                lambda i: now + dt.timedelta(hours=2, seconds=i % 600))
    # Deadlines start far enough ahead that creating these cases and starting the worker and
    # beat finish first: every breach is then detected live, as in production.
    now = dt.datetime.now(dt.UTC)
    lead = dt.timedelta(seconds=90)
    _open_cases(db, measured, lambda i: now + lead + dt.timedelta(seconds=60 * i / measured)
                - dt.timedelta(minutes=2))
    setup_seconds = time.perf_counter() - started
    sweep = summary(_sweep_times(db))
    until = now + lead + dt.timedelta(seconds=61)
    _detect_live(env, db, until)
    rows = _breaches_due(db, until)
    lags = [(f - d).total_seconds() for d, f in rows if f is not None]
    missed = sum(1 for _, f in rows if f is None)
    lag = summary(lags)
    name = "SQLite" if settings.effective_database_url.startswith("sqlite") else "PostgreSQL"
    return [[name, cases, len(rows), missed, round(setup_seconds), lag["p50"], lag["p99"],
             lag["max"], sweep["p50"], sweep["p99"]]]


HEADERS = ["database", "open cases", "breaches measured", "missed", "setup s",
           "lag p50 s", "lag p99 s", "lag max s", "sweep p50 ms", "sweep p99 ms"]


def main(pg_url: str | None) -> str:
    rows = run("sqlite")
    if pg_url and ensure_pg_database(pg_url):
        rows += run(pg_url)
    return table(HEADERS, rows)
