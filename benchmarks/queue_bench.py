"""Queue service under load, through the real web process (gunicorn gthread, 2 × 32 threads).

For each database (SQLite, and PostgreSQL when a server answers):

1. issuing, open loop: requests start on a fixed schedule (rate × seconds), latency is measured
   from the *scheduled* start, so a slow server cannot hide its queueing (no coordinated
   omission);
2. issuing, closed loop: N clients issue as fast as they can (maximum throughput);
3. mixed: kiosks issue at a fixed rate while four counters run call-next → start → finish;
4. call-to-SSE delivery: a client holds ``GET /api/queue/events`` (the stream process) while
   counters call tickets;
   latency = arrival of the ``ticket.called`` frame − the moment call-next was sent.

Issuing and the counter phases each start from a freshly seeded database and web process, warmed
up by two seconds of issuing that are not measured; the waiting line is emptied between steps,
so that a long backlog left by one step does not slow the next one (issuing computes the
visitor's place in line). Once a rate achieves less than half of its target, the higher rates
are skipped.
The load generator runs on the same 2-core machine as the server: its own CPU use is part of
what is measured.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from benchmarks.common import (
    ensure_pg_database,
    summary,
    table,
)
from benchmarks.load import (
    REQUEST_TIMEOUT,
    Hall,
    Http,
    Result,
    clear_waiting,
    closed_loop,
    describe_errors,
    hall,
    issue,
    open_loop,
    prefill,
    safe,
)

RATES = (25, 50, 100, 200, 300, 400)
STEP_SECONDS = 5.0
CLOSED_CLIENTS = (8, 32)
CLOSED_SECONDS = 6.0
MIXED_SECONDS = 10.0
MIXED_ISSUE_RATE = 40
SSE_RATE = 10.0
SSE_SECONDS = 10.0



def warm_up(h: Hall) -> None:
    """Two seconds of issuing, not measured: pooled connections, prepared statements, caches."""
    open_loop(h.port, h.kiosk, 50, 2.0, issue, offset=9_000_000)
    clear_waiting(h.url)


def issuing(h: Hall, name: str) -> tuple[list[list[object]], list[list[object]]]:
    open_rows: list[list[object]] = []
    offset = 0
    warm_up(h)
    saturated = None
    for rate in RATES:
        if saturated is not None:
            open_rows.append([name, rate, "", "", "", "", "", "", "",
                              f"skipped: saturated at {saturated}/s"])
            continue
        cpu = h.cpu_seconds()
        res = open_loop(h.port, h.kiosk, rate, STEP_SECONDS, issue, offset=offset)
        cpu_ms = (h.cpu_seconds() - cpu) * 1000 / max(1, len(res.latencies) + res.errors)
        offset += int(rate * STEP_SECONDS)
        s = summary(res.latencies)
        open_rows.append([name, rate, s["n"], res.per_second, s["p50"], s["p95"], s["p99"],
                          s["max"], cpu_ms, describe_errors(res)])
        clear_waiting(h.url)
        if res.per_second < 0.5 * rate:
            saturated = rate  # higher rates would only pile up the same queue for longer
    closed_rows: list[list[object]] = []
    for clients in CLOSED_CLIENTS:
        cpu = h.cpu_seconds()
        res = closed_loop(h.port, h.kiosk, clients, CLOSED_SECONDS, issue)
        cpu_ms = (h.cpu_seconds() - cpu) * 1000 / max(1, len(res.latencies) + res.errors)
        s = summary(res.latencies)
        closed_rows.append([name, clients, s["n"], res.per_second, s["p50"], s["p95"], s["p99"],
                            cpu_ms, 2000 / cpu_ms if cpu_ms else "", describe_errors(res)])
        clear_waiting(h.url)
    return open_rows, closed_rows


def mixed(h: Hall, name: str) -> list[list[object]]:
    ops: dict[str, Result] = {op: Result() for op in ("call-next", "start", "finish")}
    empty = 0
    prefill(h.port, h.kiosk, 200)
    stop_at = time.perf_counter() + MIXED_SECONDS
    lock = threading.Lock()
    for res in ops.values():
        res.first = time.perf_counter()

    def counter_loop(counter_id: int, token: str) -> None:
        nonlocal empty
        client = Http(h.port, token)
        loops = 0
        while time.perf_counter() < stop_at and loops < 10_000:
            loops += 1
            t0 = time.perf_counter()
            status: Any
            try:
                status, body = client.request("POST",
                                              f"/api/queue/counters/{counter_id}/call-next")
            except Exception as exc:
                status, body = type(exc).__name__, b""
            end = time.perf_counter()
            with lock:
                if status == 204:
                    empty += 1
                ops["call-next"].add(status in (200, 204), status, (end - t0) * 1000, end)
            if status != 200:
                time.sleep(0.02)
                continue
            ticket_id = json.loads(body)["id"]
            for op in ("start", "finish"):
                t0 = time.perf_counter()
                try:
                    status, _ = client.request("POST", f"/api/queue/tickets/{ticket_id}/{op}")
                except Exception as exc:
                    status = type(exc).__name__
                end = time.perf_counter()
                with lock:
                    ops[op].add(status == 200, status, (end - t0) * 1000, end)
        client.close()

    threads = [threading.Thread(target=counter_loop, args=(cid, tok), daemon=True)
               for cid, tok in h.staff.items()]
    cpu = h.cpu_seconds()
    for t in threads:
        t.start()
    issued = open_loop(h.port, h.kiosk, MIXED_ISSUE_RATE, MIXED_SECONDS, issue,
                       workers=32, offset=1_000_000)
    for t in threads:
        t.join(MIXED_SECONDS + REQUEST_TIMEOUT + 5)
    cpu = h.cpu_seconds() - cpu
    clear_waiting(h.url)
    return _mixed_rows(name, issued, ops, empty, cpu)


def _mixed_rows(name: str, issued: Result, ops: dict[str, Result], empty: int,
                cpu: float) -> list[list[object]]:
    rows: list[list[object]] = []
    total = 0.0
    count = 0
    for op, res in [(f"issue (open loop {MIXED_ISSUE_RATE}/s)", issued)] + list(ops.items()):
        s = summary(res.latencies)
        total += res.per_second
        count += len(res.latencies) + res.errors
        label = op + (f" (204 empty: {empty})" if op == "call-next" and empty else "")
        rows.append([name, label, s["n"], res.per_second, s["p50"], s["p95"], s["p99"],
                     describe_errors(res)])
    rows.append([name, f"all operations (server CPU {cpu * 1000 / max(1, count):.1f} ms/op)",
                 count, total, "", "", "", ""])
    return rows


class SseReader(threading.Thread):
    """Holds GET /api/queue/events and notes when each ``ticket.called`` number arrives."""

    def __init__(self, port: int, after: int, token: str) -> None:
        super().__init__(daemon=True)
        self.url = f"http://127.0.0.1:{port}/api/queue/events?after={after}&token={token}"
        self.arrivals: dict[str, float] = {}
        self.connected = threading.Event()
        self.stopping = threading.Event()
        self.error: str | None = None
        self._resp: Any = None

    def run(self) -> None:
        import httpx

        try:
            with httpx.Client(timeout=httpx.Timeout(5.0, read=60.0)) as client, \
                    client.stream("GET", self.url,
                                  headers={"Accept": "text/event-stream"}) as resp:
                self._resp = resp
                self.connected.set()
                kind = None
                for line in resp.iter_lines():
                    now = time.perf_counter()
                    if self.stopping.is_set():
                        return
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:") and kind == "ticket.called":
                        number = json.loads(line[5:])["ticket"]["number"]
                        self.arrivals.setdefault(number, now)
                    elif not line:
                        kind = None
        except Exception as exc:  # stopped, or the server went away
            if not self.stopping.is_set():
                self.error = type(exc).__name__
        finally:
            self.connected.set()

    def stop(self) -> None:
        self.stopping.set()
        try:
            if self._resp is not None:
                self._resp.close()
        except Exception:
            pass
        self.join(2)


def last_event_id(port: int) -> int:
    status, body = Http(port).request("GET", "/api/queue/board")
    assert status == 200, body
    return int(json.loads(body)["last_event_id"])


def sse_latency(h: Hall, name: str) -> list[list[object]]:
    return [_sse_run(h, name, background) for background in (0, 50)]


def _sse_run(h: Hall, name: str, background: int) -> list[object]:
    prefill(h.port, h.kiosk, int(SSE_RATE * SSE_SECONDS * 1.5))
    reader = SseReader(h.stream_port, last_event_id(h.port), h.display)
    reader.start()
    reader.connected.wait(10)
    time.sleep(0.5)  # the stream is open and idle
    sent: dict[str, float] = {}
    errors = 0
    lock = threading.Lock()
    per_counter = SSE_RATE / len(h.staff)
    calls_each = int(per_counter * SSE_SECONDS)
    start = time.perf_counter() + 0.2

    def caller(k: int, counter_id: int, token: str) -> None:
        nonlocal errors
        client = Http(h.port, token)
        for j in range(calls_each):
            scheduled = start + (j + k / len(h.staff)) / per_counter
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            t0 = time.perf_counter()
            status, body = safe(client, "POST", f"/api/queue/counters/{counter_id}/call-next")
            if status != 200:
                with lock:
                    errors += 1
                continue
            ticket = json.loads(body)
            with lock:
                sent[ticket["number"]] = t0
            for op in ("start", "finish"):
                safe(client, "POST", f"/api/queue/tickets/{ticket['id']}/{op}")
        client.close()

    threads = [threading.Thread(target=caller, args=(k, cid, tok), daemon=True)
               for k, (cid, tok) in enumerate(h.staff.items())]
    for t in threads:
        t.start()
    if background:
        open_loop(h.port, h.kiosk, background, SSE_SECONDS, issue, workers=32,
                  offset=2_000_000)
    for t in threads:
        t.join(SSE_SECONDS + REQUEST_TIMEOUT + 5)
    time.sleep(1.0)  # the last frames arrive
    reader.stop()
    latencies = [(reader.arrivals[n] - t0) * 1000 for n, t0 in sent.items()
                 if n in reader.arrivals]
    missing = sum(1 for n in sent if n not in reader.arrivals)
    clear_waiting(h.url)
    s = summary(latencies)
    load = f"+ issuing {background}/s" if background else "calls only"
    return [name, load, len(sent), s["p50"], s["p95"], s["p99"], s["max"],
            f"{errors} failed calls, {missing} not delivered"
            + (f", stream: {reader.error}" if reader.error else "")]


# -- report ----------------------------------------------------------------------------------

OPEN_HEADERS = ["database", "rate/s", "ok", "achieved/s", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "server CPU ms/req", "errors"]
CLOSED_HEADERS = ["database", "clients", "ok", "tickets/s", "p50 ms", "p95 ms", "p99 ms",
                  "server CPU ms/req", "CPU-bound ceiling/s (2 cores)", "errors"]
MIXED_HEADERS = ["database", "operation", "ok", "ops/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
SSE_HEADERS = ["database", "load", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]


def run(database: str) -> dict[str, list[list[object]]]:
    name = "SQLite" if database == "sqlite" else "PostgreSQL"
    with hall(database, "issue") as h:
        open_rows, closed_rows = issuing(h, name)
    with hall(database, "counters") as h:
        warm_up(h)
        mixed_rows = mixed(h, name)
        sse_rows = sse_latency(h, name)
    return {"open": open_rows, "closed": closed_rows, "mixed": mixed_rows, "sse": sse_rows}


def main(pg_url: str | None) -> str:
    results = [run("sqlite")]
    if pg_url and ensure_pg_database(pg_url):
        results.append(run(pg_url))

    def rows(key: str) -> list[list[object]]:
        return [row for r in results for row in r[key]]

    return "\n\n".join([
        f"### Issuing tickets, open loop ({STEP_SECONDS:.0f} s per rate; latency from the "
        "scheduled start)\n\n" + table(OPEN_HEADERS, rows("open")),
        f"### Issuing tickets, closed loop (maximum throughput, {CLOSED_SECONDS:.0f} s)\n\n"
        + table(CLOSED_HEADERS, rows("closed")),
        f"### Mixed: kiosks issue at {MIXED_ISSUE_RATE}/s while 4 counters call → start → "
        f"finish back to back ({MIXED_SECONDS:.0f} s)\n\n" + table(MIXED_HEADERS, rows("mixed")),
        f"### Call-next → SSE `ticket.called` delivered ({SSE_RATE:.0f} calls/s for "
        f"{SSE_SECONDS:.0f} s, 4 counters)\n\n" + table(SSE_HEADERS, rows("sse")),
    ])


if __name__ == "__main__":
    import sys

    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
