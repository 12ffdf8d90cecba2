"""Live streams at scale (`python -m benchmarks streams`).

The hall of ``queue_bench.hall``: gunicorn for requests, the stream process (aiohttp) beside it.
For each number of streams N (``LOKET_BENCH_STREAMS``, default 1000,2500,5000,7500,10000):

1. N TVs hold ``GET /api/queue/events`` on the stream process (asyncio clients in a process of
   their own, one socket each, counting every frame and timing every call);
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
import multiprocessing
import os
import resource
import threading
import time
from dataclasses import dataclass, field
from typing import Any, cast

from benchmarks.common import summary, table
from benchmarks.load import Hall, Http, hall, issue, open_loop, prefill, safe

ISSUE_RATE = 50.0
CALL_RATE = 5.0
SLOW_CONSUMERS = 70
# The TVs' process runs at this niceness: it stands in for thousands of other machines, so the
# hall's processes come first for the two cores, and any delay of its own counts against
# delivery (call → last stream), never for it. LOKET_BENCH_TV_NICE=0 for an equal share.
TV_NICE = 10
TARGETS = {"issue_p99": 50.0, "healthz_p99": 50.0, "delivery_p99": 500.0}


def _steps() -> list[int]:
    raw = os.environ.get("LOKET_BENCH_STREAMS", "1000,2500,5000,7500,10000")
    return [int(x) for x in raw.split(",") if x.strip()]


def _seconds() -> float:
    return float(os.environ.get("LOKET_BENCH_STREAM_SECONDS", "20"))


def _nice() -> int:
    return int(os.environ.get("LOKET_BENCH_TV_NICE", str(TV_NICE)))


class _Sse(asyncio.Protocol):
    """One TV's socket: counts frames and notes when each ``ticket.called`` arrives. Works on
    whole chunks (no per-line awaits), as a TV's browser would not spend a core on parsing."""

    def __init__(self, tally: _Tally, request: bytes, reads: bool) -> None:
        self.tally, self.request, self.reads = tally, request, reads
        self.buf = b""
        self.head: bool | None = None  # response head seen; True when it said 200

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.transport.write(self.request)
        if not self.reads:
            # holds the socket, never reads a byte (after this callback: uvloop starts reading
            # once connection_made returns)
            asyncio.get_running_loop().call_soon(self.transport.pause_reading)
            self.tally.connected += 1

    def data_received(self, data: bytes) -> None:
        if not self.reads:  # came before the pause took effect: never looked at
            self.transport.pause_reading()
            return
        now = time.perf_counter()
        buf = self.buf + data
        if self.head is None:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buf = buf
                return
            self.head = b" 200 " in buf[:buf.find(b"\r\n")]
            if self.head:
                self.tally.connected += 1
            else:
                self.tally.failed += 1
            buf = buf[end + 4:]
        end = buf.rfind(b"\n\n")
        if end < 0:
            self.buf = buf
            return
        done, self.buf = buf[:end + 2], buf[end + 2:]
        self.tally.frames += done.count(b"event: ")
        at = done.find(b"event: ticket.called")
        while at >= 0:
            data_at = done.find(b"\ndata: ", at) + 7
            line_end = done.find(b"\n", data_at)
            number = json.loads(done[data_at:line_end])["ticket"]["number"]
            seen = self.tally.arrivals.setdefault(number, [0, now])
            seen[0] += 1
            seen[1] = now
            at = done.find(b"event: ticket.called", line_end)


@dataclass
class _Tally:
    arrivals: dict[str, list[float]] = field(default_factory=dict)  # number -> [n, last]
    frames: int = 0
    connected: int = 0
    failed: int = 0


def _listen_main(port: int, token: str, count: int, slow: int, conn: Any, nice: int) -> None:
    """The TVs' process: opens every stream, reports, answers ``frames``, stops on ``stop``."""
    os.nice(nice)
    tally = _Tally()
    request = (f"GET /api/queue/events?after=latest&token={token} HTTP/1.1\r\n"
               f"Host: bench\r\nAccept: text/event-stream\r\n\r\n").encode()

    async def one(reads: bool) -> None:
        try:
            await loop.create_connection(lambda: _Sse(tally, request, reads), "127.0.0.1", port)
        except OSError:
            tally.failed += 1

    async def run() -> None:
        tasks = []
        for i in range(count + slow):
            tasks.append(asyncio.create_task(one(reads=i < count)))
            if i % 200 == 199:
                await asyncio.sleep(0.05)  # the listen backlog is finite
        await asyncio.gather(*tasks)
        while tally.connected + tally.failed < count + slow:
            await asyncio.sleep(0.05)
        conn.send(("ready", tally.connected, tally.failed))
        while True:
            await asyncio.sleep(0.05)
            while conn.poll():
                if conn.recv() == "stop":
                    conn.send(("done", tally.arrivals, tally.frames, tally.failed))
                    return
                conn.send(("frames", tally.frames))

    import uvloop  # the TVs are other machines: their harness should cost this one little

    loop = uvloop.new_event_loop()
    loop.run_until_complete(run())


class Listeners:
    """N SSE clients in a process of their own (the TVs are other machines: they must not take
    this process's interpreter from the kiosks and the prober); ``slow`` of them never read."""

    def __init__(self, port: int, token: str, count: int, slow: int = 0,
                 nice: int = TV_NICE) -> None:
        self.port, self.token, self.count, self.slow = port, token, count, slow
        self.nice = nice
        self.arrivals: dict[str, list[float]] = {}
        self.failed = 0

    def start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_listen_main, daemon=True,
                                args=(self.port, self.token, self.count, self.slow, child,
                                      self.nice))
        self.proc.start()
        if not self.conn.poll(300):
            raise RuntimeError(f"{self.count} streams did not open within 300 s")
        _, connected, self.failed = self.conn.recv()

    @property
    def frames(self) -> int:
        self.conn.send("frames")
        return int(self.conn.recv()[1])

    def stop(self) -> None:
        self.conn.send("stop")
        _, self.arrivals, _, self.failed = self.conn.recv()
        self.proc.join(30)
        if self.proc.is_alive():
            self.proc.kill()


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


def one_step(h: Hall, streams: int, seconds: float, slow: int = 0,
             nice: int = TV_NICE) -> list[object]:
    import psutil

    proc = psutil.Process(h.stream_pid)
    rss_before = proc.memory_info().rss
    listeners = Listeners(h.stream_port, h.display, streams, slow, nice)
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
    steps, seconds, nice = _steps(), _seconds(), _nice()  # read before hall() hides LOKET_*
    rows: list[list[object]] = []
    extra = {"LOKET_STREAM_MAX_PER_ADDRESS": str(max(steps) + SLOW_CONSUMERS + 10),
             "LOKET_STREAM_MAX_TOTAL": str(max(steps) + SLOW_CONSUMERS + 10)}
    with hall("sqlite", "streams", extra) as h:
        # Warm-up, not reported: a few seconds of the same load with ten screens, so that the
        # first step does not time the web workers' first calls (imports, statement caches).
        one_step(h, 10, 3.0)
        for streams in steps:
            rows.append(one_step(h, streams, seconds, nice=nice))
            if rows[-1][-1] != "yes":
                break
        slow_at = max([s for s in steps if s <= 5000] or [min(steps)])
        rows.append(one_step(h, slow_at, seconds, SLOW_CONSUMERS, nice))
    return table(HEADERS, rows)
