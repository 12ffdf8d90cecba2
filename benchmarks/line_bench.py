"""Issuing against the bare stack, and as the line grows (`python -m benchmarks line`).

1. The bare stack: ``../shared/bench/bare_app.py`` (Flask + SQLite, one numbered insert per
   request) under gunicorn with 2 workers, and Loket's web process (2 gthread workers), each
   driven by the same closed-loop generator (8 clients, e-KTP tickets) for
   ``LOKET_BENCH_LINE_SECONDS`` (8) — Loket's throughput is reported as a ratio to the bare one.
2. The growing line: the same generator in rounds of that length WITHOUT emptying the line,
   until ``LOKET_BENCH_LINE_TARGET`` (10,000) tickets wait; each round's throughput and
   latency, so a cost that grows with the line shows as a falling rate.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, free_port, spawn, stop, summary, table, wait_port
from benchmarks.load import Http, clear_waiting, closed_loop, hall
from benchmarks.queue_bench import warm_up

BARE_APP = REPO.parent / "shared" / "bench" / "bare_app.py"  # the project's shared reference
CLIENTS = 8


def _seconds() -> float:
    return float(os.environ.get("LOKET_BENCH_LINE_SECONDS", "8"))


def _target() -> int:
    return int(os.environ.get("LOKET_BENCH_LINE_TARGET", "10000"))


def issue_ektp(client: Http, i: int) -> tuple[bool, Any]:
    status, _ = client.request("POST", "/api/queue/tickets", {"service": "ektp", "name": "x"})
    return status == 201, status


def bare(seconds: float) -> float:
    """Tickets per second of the bare stack, same generator and clients."""
    if not BARE_APP.exists():
        raise SystemExit(f"{BARE_APP} is missing (the shared bare-stack reference)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="loket-bare-") as tmp:
        env = {**os.environ, "BARE_DB": str(Path(tmp) / "bare.sqlite")}
        proc = spawn(["-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir",
                      str(BARE_APP.parent), "bare_app:app"], env, Path(tmp) / "bare.log")
        try:
            wait_port(port)
            closed_loop(port, "", CLIENTS, 1.0, issue_ektp)  # warm up
            return closed_loop(port, "", CLIENTS, seconds, issue_ektp).per_second
        finally:
            stop(proc)


def _waiting(url: str) -> int:
    from sqlalchemy import text

    from loket.db import Database

    with Database.for_url(url).read_session() as session:
        return int(session.execute(text(
            "SELECT count(*) FROM queue_ticket WHERE status = 'waiting'")).scalar_one())


def main(_pg_url: str | None = None) -> str:
    seconds, target = _seconds(), _target()
    bare_rate = bare(seconds)
    rounds: list[list[object]] = []
    with hall("sqlite", "line") as h:
        warm_up(h)
        first = closed_loop(h.port, h.kiosk, CLIENTS, seconds, issue_ektp)
        clear_waiting(h.url)
        ratio = [["bare stack (Flask + SQLite insert)", CLIENTS, bare_rate, ""],
                 ["Loket, empty line", CLIENTS, first.per_second,
                  first.per_second / bare_rate if bare_rate else ""]]
        while True:
            waiting = _waiting(h.url)
            res = closed_loop(h.port, h.kiosk, CLIENTS, seconds, issue_ektp)
            s = summary(res.latencies)
            rounds.append([waiting, s["n"], res.per_second, s["p50"], s["p99"], res.errors])
            if waiting >= target or not res.latencies:
                break
    out = table(["server", "clients", "tickets/s", "ratio to bare"], ratio)
    out += "\n\n" + table(["waiting at start", "issued", "tickets/s", "p50 ms", "p99 ms",
                           "errors"], rounds)
    last, head = rounds[-1][2], rounds[0][2]
    if isinstance(last, float) and isinstance(head, float) and head:
        out += f"\n\nlast round / first round: {last / head:.2f} (target: within 10 %)"
    return out
