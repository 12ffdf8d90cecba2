"""Queue service under load, through the real web process (gunicorn gthread, 2 × 32 threads).

For each database (SQLite, and PostgreSQL when a server answers):

1. issuing, open loop: requests start on a fixed schedule (rate × seconds), latency is measured
   from the *scheduled* start, so a slow server cannot hide its queueing (no coordinated
   omission);
2. issuing, closed loop: N clients issue as fast as they can (maximum throughput);
3. mixed: kiosks issue at a fixed rate while four counters run call-next → start → finish;
4. call-to-SSE delivery: a client holds ``GET /api/queue/events`` while counters call tickets;
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

import http.client
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ensure_pg_database,
    free_port,
    private_env,
    reset_database,
    spawn,
    stop,
    summary,
    table,
)

RATES = (25, 50, 100, 200, 300, 400)
STEP_SECONDS = 5.0
CLOSED_CLIENTS = (8, 32)
CLOSED_SECONDS = 6.0
MIXED_SECONDS = 10.0
MIXED_ISSUE_RATE = 40
SSE_RATE = 10.0
SSE_SECONDS = 10.0
REQUEST_TIMEOUT = 10.0
GRACE_SECONDS = 5.0  # how long a step may overrun its schedule before it is cut off

SERVICES = ("penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi")
NIK = "3510011708450001"  # valid (Banyuwangi, born 17-08-1945)


# -- HTTP ------------------------------------------------------------------------------------

class Http:
    """One keep-alive connection to 127.0.0.1 (lighter than httpx for the load generator)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        hdrs = {"Accept": "application/json", **(headers or {})}
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        for attempt in range(2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=REQUEST_TIMEOUT)
            try:
                self.conn.request(method, path, body=payload, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError) as exc:
                # The server closed an idle keep-alive connection before reading the request:
                # nothing was processed, so one retry on a new connection is safe.
                self.close()
                if not reused or attempt:
                    raise exc from None
            except Exception:
                self.close()
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def issue_body(i: int) -> dict[str, Any]:
    return {"service": SERVICES[i % len(SERVICES)],
            "visitor": {"name": f"Pengunjung {i}", "nik": NIK if i % 2 else None,
                        "phone": "081234567890", "consent": True},
            "priority": None, "details": {}}


def issue(client: Http, i: int) -> tuple[bool, Any]:
    status, data = client.request("POST", "/api/queue/tickets", issue_body(i),
                                  {"Idempotency-Key": str(uuid.uuid4())})
    return status == 201, status


# -- the hall under test ---------------------------------------------------------------------

@dataclass
class Hall:
    port: int
    url: str
    kiosk: str
    staff: dict[int, str]  # counter id -> token of its petugas
    counters: dict[int, list[str]]  # counter id -> services
    log: Path
    pid: int  # the gunicorn master

    def cpu_seconds(self) -> float:
        """User + system CPU used so far by the web process (master and workers)."""
        try:
            import psutil
        except ImportError:
            return float("nan")
        master = psutil.Process(self.pid)
        total = 0.0
        for proc in [master, *master.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total


def _wait_ready(port: int, proc: Any, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"web process exited: {log.read_text()[-2000:]}")
        try:
            status, _ = Http(port).request("GET", "/api/queue/readyz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("web process not ready in time")


@contextmanager
def hall(database: str, tag: str) -> Iterator[Hall]:
    """A private Redis and var dir, a fresh seeded database, the real web process, counters open."""
    port = free_port()
    with private_env(database, {"LOKET_PORT": str(port), "LOKET_WEB_WORKERS": "2",
                                "LOKET_WEB_THREADS": "32"}) as env:
        from loket.db import Database
        from loket.settings import get_settings
        from queue_service.seed import seed_demo

        settings = get_settings()
        url = settings.effective_database_url
        reset_database(url)
        data = seed_demo(settings)
        Database.dispose_all()  # the server process owns the database from here on
        log = Path(env["LOKET_VAR_DIR"]) / f"web-{tag}.log"
        proc = spawn(["-m", "loket", "web"], env, log)
        try:
            _wait_ready(port, proc, log)
            passwords = {s["username"]: s["password"] for s in data["staff"]}
            ids = {c["number"]: c["id"] for c in data["counters"]}
            staff: dict[int, str] = {}
            for number in (1, 2, 3, 4):
                client = Http(port)
                status, body = client.request(
                    "POST", "/api/queue/auth/token",
                    {"username": f"petugas{number}", "password": passwords[f"petugas{number}"]})
                assert status == 200, body
                token = json.loads(body)["token"]
                client.token = token
                status, body = client.request("POST", f"/api/queue/counters/{ids[number]}/open")
                assert status == 200, body
                client.close()
                staff[ids[number]] = token
            yield Hall(port=port, url=url, kiosk=data["devices"]["kiosk"], staff=staff,
                       counters={c["id"]: list(c["services"]) for c in data["counters"]},
                       log=log, pid=proc.pid)
        finally:
            stop(proc)
            Database.dispose_all()


def clear_waiting(url: str) -> None:
    """Cancel every waiting ticket (bench housekeeping, straight in the database)."""
    from sqlalchemy import text

    from loket.db import Database

    db = Database.for_url(url)
    with db.session() as session:
        session.execute(text("UPDATE queue_ticket SET status = 'cancelled' "
                             "WHERE status = 'waiting'"))
    if not db.is_sqlite:
        # What autovacuum does in a real hall over minutes, done now: the mass cancel above
        # leaves thousands of dead index entries that the next step would otherwise wade through.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE queue_ticket, event")


# -- load shapes -----------------------------------------------------------------------------

@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # ms, successful requests
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    first: float = 0.0
    last: float = 0.0

    def add(self, ok: bool, status: Any, latency_ms: float, end: float) -> None:
        if ok:
            self.latencies.append(latency_ms)
        else:
            self.errors += 1
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        self.last = max(self.last, end)

    @property
    def per_second(self) -> float:
        span = self.last - self.first
        return len(self.latencies) / span if span > 0 else 0.0


def open_loop(port: int, token: str, rate: float, seconds: float,
              fn: Callable[[Http, int], tuple[bool, Any]], workers: int = 32,
              offset: int = 0) -> Result:
    """``rate × seconds`` calls of ``fn`` on a fixed schedule; latency from the scheduled time.

    ``workers`` client threads (each one keep-alive connection) share the schedule. If all are
    busy a call starts late, and that lateness counts in its latency. 32 keep up with 400/s at
    up to 80 ms per call. With 64 (64 connections at once) the two cores thrashed on
    PostgreSQL at 300/s (about 30,000 context switches a second between the generator's and the
    server's threads) and calls waited up to a second; see docs/benchmarks.md.
    """
    total = int(rate * seconds)
    start = time.perf_counter() + 0.3
    cutoff = start + seconds + GRACE_SECONDS
    counter = itertools.count()
    lock = threading.Lock()
    result = Result(first=start)

    def worker() -> None:
        client = Http(port, token)
        try:
            while True:
                with lock:
                    i = next(counter)
                if i >= total:
                    return
                scheduled = start + i / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                if time.perf_counter() > cutoff:
                    with lock:
                        result.add(False, "not sent (over time)", 0, time.perf_counter())
                    continue
                try:
                    ok, status = fn(client, offset + i)
                except Exception as exc:  # timeouts, refused connections
                    ok, status = False, type(exc).__name__
                end = time.perf_counter()
                with lock:
                    result.add(ok, status, (end - scheduled) * 1000, end)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, cutoff + REQUEST_TIMEOUT - time.perf_counter()))
    return result


def closed_loop(port: int, token: str, clients: int, seconds: float,
                fn: Callable[[Http, int], tuple[bool, Any]], max_requests: int = 50_000
                ) -> Result:
    """``clients`` threads call ``fn`` back to back for ``seconds``."""
    start = time.perf_counter()
    stop_at = start + seconds
    counter = itertools.count()
    lock = threading.Lock()
    result = Result(first=start)

    def worker() -> None:
        client = Http(port, token)
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    i = next(counter)
                if i >= max_requests:
                    return
                t0 = time.perf_counter()
                try:
                    ok, status = fn(client, i)
                except Exception as exc:
                    ok, status = False, type(exc).__name__
                end = time.perf_counter()
                with lock:
                    result.add(ok, status, (end - t0) * 1000, end)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT + 5)
    return result


def prefill(port: int, token: str, count: int) -> None:
    """Issue ``count`` tickets quickly (8 clients) so that counters have people to call."""
    res = closed_loop(port, token, 8, 60, issue, max_requests=count)
    assert len(res.latencies) == count, f"prefill: {_errors(res)}"


# -- phases ----------------------------------------------------------------------------------

def _errors(result: Result) -> str:
    if not result.errors:
        return "0"
    detail = ", ".join(f"{k}×{v}" for k, v in sorted(result.statuses.items()))
    return f"{result.errors} ({detail})"


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
                          s["max"], cpu_ms, _errors(res)])
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
                            cpu_ms, 2000 / cpu_ms if cpu_ms else "", _errors(res)])
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
                     _errors(res)])
    rows.append([name, f"all operations (server CPU {cpu * 1000 / max(1, count):.1f} ms/op)",
                 count, total, "", "", "", ""])
    return rows


class SseReader(threading.Thread):
    """Holds GET /api/queue/events and notes when each ``ticket.called`` number arrives."""

    def __init__(self, port: int, after: int) -> None:
        super().__init__(daemon=True)
        self.url = f"http://127.0.0.1:{port}/api/queue/events?after={after}"
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


def _safe(client: Http, method: str, path: str) -> tuple[Any, bytes]:
    try:
        return client.request(method, path)
    except Exception as exc:
        return type(exc).__name__, b""


def sse_latency(h: Hall, name: str) -> list[list[object]]:
    return [_sse_run(h, name, background) for background in (0, 50)]


def _sse_run(h: Hall, name: str, background: int) -> list[object]:
    prefill(h.port, h.kiosk, int(SSE_RATE * SSE_SECONDS * 1.5))
    reader = SseReader(h.port, last_event_id(h.port))
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
            status, body = _safe(client, "POST", f"/api/queue/counters/{counter_id}/call-next")
            if status != 200:
                with lock:
                    errors += 1
                continue
            ticket = json.loads(body)
            with lock:
                sent[ticket["number"]] = t0
            for op in ("start", "finish"):
                _safe(client, "POST", f"/api/queue/tickets/{ticket['id']}/{op}")
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
