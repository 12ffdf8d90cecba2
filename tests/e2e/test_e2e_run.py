"""`loket run` (what `make run` starts) brings up the whole hall, survives Redis dying, stops."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support import free_port, wait_until

pytestmark = pytest.mark.e2e

URLS = ("/api/queue/healthz", "/api/workflow/healthz", "/api/queue/readyz",
        "/api/workflow/readyz", "/display/", "/console/")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def _json(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        return json.load(exc)


class Hall:
    def __init__(self, repo: Path, var: Path) -> None:
        self.port = free_port()
        self.redis_port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.var = var
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
        self.env.update({"LOKET_VAR_DIR": str(var), "LOKET_PORT": str(self.port),
                         "LOKET_REDIS_PORT": str(self.redis_port), "LOKET_START_KIOSK": "no",
                         "LOKET_WEB_WORKERS": "1", "LOKET_WEB_THREADS": "8",
                         "LOKET_BACKEND_PORT": str(free_port())})
        self.repo = repo
        self.log = var.parent / f"run-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loket", "run"], cwd=self.repo, env=self.env,
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            try:
                return self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                raise
        return self.proc.returncode


@pytest.fixture
def hall(repo_root, tmp_path):
    h = Hall(repo_root, tmp_path / "var")
    h.start()
    yield h
    if h.proc and h.proc.poll() is None:
        h.stop()


def test_run_brings_up_every_service_and_recovers_from_redis_dying(hall):
    for path in URLS:
        wait_until(lambda p=path: _status(hall.base + p) == 200, timeout=90,
                   message=f"{path} to answer 200\n{hall.output()[-3000:]}")
    out = hall.output()
    assert f"{hall.base}/display/" in out and "petugas1" in out
    # The live stream on the same origin (the stream process in front): refused without a
    # token, streaming with the TV's display token.
    assert _status(hall.base + "/api/queue/events") == 401
    display_token = out.split("Token display:", 1)[1].split()[0]
    with urllib.request.urlopen(f"{hall.base}/api/queue/events?token={display_token}",
                                timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.readline().startswith(b"retry:")

    # The worker answers once it has started, which on a busy machine can come after the web.
    pings: list[subprocess.CompletedProcess[str]] = []

    def worker_answers() -> bool:
        pings.append(subprocess.run(
            [sys.executable, "-m", "celery", "-A", "loket.make_celery", "inspect", "ping",
             "--timeout", "5"], cwd=hall.repo, env=hall.env, capture_output=True, text=True,
            timeout=60))
        return pings[-1].returncode == 0 and "pong" in pings[-1].stdout

    wait_until(worker_answers, timeout=90, message="the Celery worker to answer a ping")

    pid = int((hall.var / "redis" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: _status(hall.base + "/api/queue/readyz") == 503, timeout=10,
               message="readyz to report Redis down")
    body = _json(hall.base + "/api/queue/readyz")
    assert body["checks"]["redis"].startswith("down") and body["checks"]["database"] == "ok"
    assert _status(hall.base + "/api/queue/healthz") == 200
    assert _status(hall.base + "/display/") == 200
    wait_until(lambda: _status(hall.base + "/api/queue/readyz") == 200, timeout=30,
               message="readyz to recover once Redis is back")

    assert hall.stop() in (0, 130, -2)
    wait_until(lambda: _status(hall.base + "/api/queue/healthz") == 0, timeout=10,
               message="the web process to stop on Ctrl-C")


def test_second_run_reuses_what_exists(hall, repo_root):
    wait_until(lambda: _status(hall.base + "/api/queue/readyz") == 200, timeout=90,
               message=f"first start\n{hall.output()[-3000:]}")
    seed = [sys.executable, "-m", "loket", "seed-demo", "--json"]
    first = json.loads(subprocess.run(seed, cwd=repo_root, env=hall.env, capture_output=True,
                                      text=True, timeout=60, check=True).stdout)
    hall.stop()
    hall.start()
    wait_until(lambda: _status(hall.base + "/api/queue/readyz") == 200, timeout=90,
               message=f"second start\n{hall.output()[-3000:]}")
    again = json.loads(subprocess.run(seed, cwd=repo_root, env=hall.env, capture_output=True,
                                      text=True, timeout=60, check=True).stdout)
    assert again == first
