"""The load harness of the benchmarks: a seeded hall in its own processes, a keep-alive HTTP
client, and open- and closed-loop issuing (latency from the scheduled start, so a slow server
cannot hide its queueing)."""

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
    free_port,
    private_env,
    reset_database,
    spawn,
    stop,
)

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
    # The stream process, in front of the web process as `loket run` puts it: streams on this
    # port, every other path proxied to ``port`` (the benchmarks issue and call on ``port``
    # directly, as nginx routes them in production).
    stream_port: int = 0
    stream_pid: int = 0
    display: str = ""  # the TV's device token

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
def hall(database: str, tag: str, extra: dict[str, str] | None = None) -> Iterator[Hall]:
    """A private Redis and var dir, a fresh seeded database, the real web process, counters open."""
    port = free_port()
    with private_env(database, {"LOKET_PORT": str(port), "LOKET_WEB_WORKERS": "2",
                                "LOKET_WEB_THREADS": "32", **(extra or {})}) as env:
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
        stream_port = free_port()
        streams = spawn(["-m", "loket", "streams", "--bind", f"127.0.0.1:{stream_port}",
                         "--upstream", f"http://127.0.0.1:{port}"], env,
                        log.with_name(f"streams-{tag}.log"))
        try:
            _wait_ready(port, proc, log)
            _wait_ready(stream_port, streams, log.with_name(f"streams-{tag}.log"))
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
                       log=log, pid=proc.pid, stream_port=stream_port, stream_pid=streams.pid,
                       display=data["devices"]["display"])
        finally:
            stop(streams)
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


def describe_errors(result: Result) -> str:
    """The error count and its statuses, for a table cell."""
    if not result.errors:
        return "0"
    detail = ", ".join(f"{k}×{v}" for k, v in sorted(result.statuses.items()))
    return f"{result.errors} ({detail})"


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
    assert len(res.latencies) == count, f"prefill: {describe_errors(res)}"


# -- phases ----------------------------------------------------------------------------------

def safe(client: Http, method: str, path: str) -> tuple[Any, bytes]:
    try:
        return client.request(method, path)
    except Exception as exc:
        return type(exc).__name__, b""
