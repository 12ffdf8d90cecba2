"""Live streams at scale (`python -m benchmarks streams`).

The hall of ``queue_bench.hall``: gunicorn for requests, the stream process (aiohttp) beside it.
For each number of streams N (``LOKET_BENCH_STREAMS``, default 1000,2500,5000,7500,10000):

1. N TVs hold ``GET /api/queue/events`` on the stream process (asyncio clients in this process,
   one socket each, parsing every frame);
2. for ``LOKET_BENCH_STREAM_SECONDS`` (20) kiosks issue 50 tickets/s (open loop, on the web
   process as nginx routes them) and four counters call 5/s in all (call-next → start → finish),
   while a prober asks ``/api/queue/healthz`` every 50 ms;
3. reported: issuing and healthz p99, whether every call reached every stream, call → last
   stream p50/p99, the stream process's memory per stream (RSS growth / N) and CPU per delivered
   frame. The steps stop at the first N that misses a target ("how far it goes").

Then once more at 5,000 (or the largest N asked) with 70 extra streams that never read.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import threading
import time
from dataclasses import dataclass, field

from benchmarks.common import summary, table
from benchmarks.load import Hall, Http, hall, issue, open_loop, prefill, safe

ISSUE_RATE = 50.0
CALL_RATE = 5.0
SLOW_CONSUMERS = 70
TARGETS = {"issue_p99": 50.0, "healthz_p99": 50.0, "delivery_p99": 500.0}


def _steps() -> list[int]:
    raw = os.environ.get("LOKET_BENCH_STREAMS", "1000,2500,5000,7500,10000")
    return [int(x) for x in raw.split(",") if x.strip()]


def _seconds() -> float:
    return float(os.environ.get("LOKET_BENCH_STREAM_SECONDS", "20"))


@dataclass
class Listeners:
    """N SSE clients on one asyncio loop in a thread; ``slow`` of them never read."""

    port: int
    token: str
    count: int
    slow: int = 0
    arrivals: dict[str, list[float]] = field(default_factory=dict)  # number -> [n, last]
    frames: int = 0
    connected: int = 0
    failed: int = 0

    def start(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._open_all(), self.loop)
        if not self.ready.wait(300):
            raise RuntimeError(f"only {self.connected}/{self.count} streams opened")

    async def _open_all(self) -> None:
        self.tasks = []
        for i in range(self.count + self.slow):
            self.tasks.append(asyncio.create_task(self._one(reads=i < self.count)))
            if i % 200 == 199:
                await asyncio.sleep(0.05)  # the listen backlog is finite
        while self.connected + self.failed < self.count + self.slow:
            await asyncio.sleep(0.05)
        self.ready.set()

    async def _one(self, reads: bool) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(f"GET /api/queue/events?after=latest&token={self.token} HTTP/1.1\r\n"
                         f"Host: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
            if not reads:
                self.connected += 1
                await asyncio.sleep(3600)  # holds the socket, never reads a byte
                return
            status = await reader.readline()
            if b" 200 " not in status:
                raise ConnectionError(status.decode(errors="replace"))
            self.connected += 1
            await self._read(reader)
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            self.failed += 1

    async def _read(self, reader: asyncio.StreamReader) -> None:
        called = False
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"event: "):
                self.frames += 1
                called = line.startswith(b"event: ticket.called")
            elif called and b'"ticket":' in line:
                now = time.perf_counter()
                number = json.loads(line[line.index(b"{"):])["ticket"]["number"]
                seen = self.arrivals.setdefault(number, [0, now])
                seen[0] += 1
                seen[1] = now
                called = False

    def stop(self) -> None:
        async def cancel() -> None:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _caller(h: Hall, seconds: float, sent: dict[str, float]) -> threading.Thread:
    """Four counters calling CALL_RATE per second in all: call-next → start → finish."""
    per_counter = CALL_RATE / len(h.staff)
    start = time.perf_counter() + 0.2

    def one(k: int, counter_id: int, token: str) -> None:
        client = Http(h.port, token)
        for j in range(int(per_counter * seconds)):
            delay = start + (j + k / len(h.staff)) / per_counter - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            t0 = time.perf_counter()
            status, body = safe(client, "POST", f"/api/queue/counters/{counter_id}/call-next")
            if status != 200:
                continue
            ticket = json.loads(body)
            sent[ticket["number"]] = t0
            for op in ("start", "finish"):
                safe(client, "POST", f"/api/queue/tickets/{ticket['id']}/{op}")
        client.close()

    threads = [threading.Thread(target=one, args=(k, cid, tok), daemon=True)
               for k, (cid, tok) in enumerate(h.staff.items())]
    runner = threading.Thread(target=lambda: [t.start() for t in threads]
                              + [t.join() for t in threads], daemon=True)
    runner.start()
    return runner


def _probe(port: int, seconds: float, out: list[float]) -> threading.Thread:
    def run() -> None:
        client = Http(port)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            status, _ = safe(client, "GET", "/api/queue/healthz")
            out.append((time.perf_counter() - t0) * 1000 if status == 200 else 10_000.0)
            time.sleep(0.05)
        client.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def one_step(h: Hall, streams: int, seconds: float, slow: int = 0) -> list[object]:
    import psutil

    proc = psutil.Process(h.stream_pid)
    rss_before = proc.memory_info().rss
    listeners = Listeners(h.stream_port, h.display, streams, slow)
    listeners.start()
    time.sleep(1.0)
    rss_per_stream = (proc.memory_info().rss - rss_before) / max(1, streams + slow)
    cpu_before = sum(proc.cpu_times()[:2])
    frames_before = listeners.frames
    prefill(h.port, h.kiosk, int(CALL_RATE * seconds * 2))
    sent: dict[str, float] = {}
    health: list[float] = []
    caller = _caller(h, seconds, sent)
    prober = _probe(h.port, seconds, health)
    issued = open_loop(h.port, h.kiosk, ISSUE_RATE, seconds, issue, workers=8)
    caller.join(seconds + 30)
    prober.join(10)
    time.sleep(2.0)  # the last calls reach the last streams
    cpu = sum(proc.cpu_times()[:2]) - cpu_before
    frames = listeners.frames - frames_before
    listeners.stop()
    return _row(streams, slow, listeners, sent, issued.latencies, health, rss_per_stream,
                cpu, frames)


def _row(streams: int, slow: int, listeners: Listeners, sent: dict[str, float],
         issue_ms: list[float], health_ms: list[float], rss_per_stream: float, cpu: float,
         frames: int) -> list[object]:
    missing = sum(streams - listeners.arrivals.get(n, [0, 0.0])[0] for n in sent)
    delivery = [(listeners.arrivals[n][1] - t0) * 1000 for n, t0 in sent.items()
                if n in listeners.arrivals]
    d, i, hz = summary(delivery), summary(issue_ms), summary(health_ms)
    met = (i["p99"] <= TARGETS["issue_p99"] and hz["p99"] <= TARGETS["healthz_p99"]
           and d["p99"] <= TARGETS["delivery_p99"] and missing == 0 and listeners.failed == 0)
    return [streams, slow, listeners.failed, len(sent), missing, i["p99"], hz["p99"], d["p50"],
            d["p99"], rss_per_stream / 1024, cpu * 1e6 / max(1, frames), "yes" if met else "no"]


HEADERS = ["streams", "never read", "refused", "calls", "calls not delivered", "issue p99 ms",
           "healthz p99 ms", "call→last p50 ms", "call→last p99 ms", "KiB/stream",
           "CPU µs/frame", "targets met"]


def main(_pg_url: str | None = None) -> str:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children inherit it
    steps, seconds = _steps(), _seconds()  # read before hall() hides LOKET_* variables
    rows: list[list[object]] = []
    extra = {"LOKET_STREAM_MAX_PER_ADDRESS": str(max(steps) + SLOW_CONSUMERS + 10),
             "LOKET_STREAM_MAX_TOTAL": str(max(steps) + SLOW_CONSUMERS + 10)}
    with hall("sqlite", "streams", extra) as h:
        for streams in steps:
            rows.append(one_step(h, streams, seconds))
            if rows[-1][-1] != "yes":
                break
        slow_at = max([s for s in steps if s <= 5000] or [min(steps)])
        rows.append(one_step(h, slow_at, seconds, SLOW_CONSUMERS))
    return table(HEADERS, rows)
