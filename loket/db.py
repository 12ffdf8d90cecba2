"""Database engine, declarative base and the unit-of-work session scope.

SQLite is the embedded default and is set up for concurrent writers: WAL, a busy timeout, and
write transactions that start with ``BEGIN IMMEDIATE`` so that two writers never deadlock on a
lock upgrade. Writers also queue at a :class:`WriterGate` (a thread lock plus an ``flock`` on a
file beside the database) before they begin: SQLite's own busy handler makes a waiting writer
sleep up to 100 ms between attempts, which shows as latency spikes under load, while a waiter on
the gate is woken the moment the writer before it finishes. PostgreSQL is used as is.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import fcntl
import os
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware datetimes, always stored and returned in UTC (SQLite has no zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Loket stores aware UTC datetimes only")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}


# A simulated moment for the use cases (``loket demo-history`` plays a past through them); unset
# everywhere else, where utcnow() is the wall clock.
_SIMULATED_NOW: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "loket_simulated_now", default=None)


def utcnow() -> dt.datetime:
    simulated = _SIMULATED_NOW.get()
    return simulated if simulated is not None else dt.datetime.now(dt.UTC)


@contextlib.contextmanager
def simulated_now(at: dt.datetime) -> Iterator[None]:
    """Inside this block utcnow() answers ``at`` (an aware datetime), in this context only."""
    token = _SIMULATED_NOW.set(at.astimezone(dt.UTC))
    try:
        yield
    finally:
        _SIMULATED_NOW.reset(token)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front so they queue instead of deadlocking on a lock
        # upgrade; readers (Database.read_session) never block anyone in WAL mode.
        read_only = conn.get_execution_options().get("loket_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Statement parameters (a complaint's text, a NIK's blind index, names) never appear in
    # an error's message or a log line: SQLAlchemy prints "[SQL parameters hidden ...]".
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=20,
            max_overflow=40,
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=30, pool_recycle=1800, **kwargs)
    _ping_when_idle(engine)
    return engine


# A pooled PostgreSQL connection idle longer than this is checked before use. SQLAlchemy's
# ``pool_pre_ping`` checks every checkout: one more round trip per unit of work, which a busy
# hall pays hundreds of times a second for a server restart that happens a few times a year.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    import time

    from sqlalchemy import exc

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_conn: Any, record: Any) -> None:
        record.info["loket_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("loket_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()
        except Exception as error:  # the pool replaces this connection and tries another
            raise exc.DisconnectionError(str(error)) from error


class WriterGate:
    """One SQLite writer at a time across threads and processes, woken without polling.

    A re-entrant thread lock orders the threads of a process; an exclusive ``flock`` on
    ``<database>-writer.lock`` orders processes (gunicorn workers, Celery workers, the CLI). Both
    are re-made after a fork, so a child never shares its parent's lock. SQLite's
    ``BEGIN IMMEDIATE`` and busy timeout stay underneath as the guarantee; the gate only makes
    the waiting fair and prompt.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._pid = -1
        self._thread_lock = threading.RLock()
        self._fd: int | None = None
        self._depth = 0

    def _for_this_process(self) -> None:
        if self._pid != os.getpid():  # first use, or we are a forked child
            self._pid = os.getpid()
            self._thread_lock = threading.RLock()
            self._fd = None
            self._depth = 0

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        self._for_this_process()
        lock = self._thread_lock
        with lock:
            if self._depth == 0 and self.path is not None:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)


class Database:
    """One engine and session factory per process and URL."""

    _instances: dict[str, Database] = {}
    _lock = threading.Lock()

    def __init__(self, url: str) -> None:
        self.url = url
        self.writer_gate: WriterGate | None = None
        if url.startswith("sqlite:///"):
            from pathlib import Path

            path = Path(url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writer_gate = WriterGate(f"{path}-writer.lock")
        elif url.startswith("sqlite"):  # in memory: one process
            self.writer_gate = WriterGate(None)
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.read_engine = self.engine.execution_options(loket_read_only=True)
        self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)
        # One-statement look-ups need no transaction: on PostgreSQL, autocommit saves the BEGIN
        # and ROLLBACK round trips (SQLite keeps its deferred, in-process BEGIN).
        self.lookup_engine = (self.read_engine if self.engine.dialect.name == "sqlite"
                              else self.engine.execution_options(isolation_level="AUTOCOMMIT"))
        self.lookup_sessionmaker = sessionmaker(self.lookup_engine, expire_on_commit=False)

    @classmethod
    def for_url(cls, url: str) -> Database:
        with cls._lock:
            db = cls._instances.get(url)
            if db is None:
                db = cls._instances[url] = cls(url)
            return db

    @classmethod
    def dispose_all(cls) -> None:
        with cls._lock:
            for db in cls._instances.values():
                db.engine.dispose()
            cls._instances.clear()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """Unit of work: commits when the block ends, rolls back when it raises."""
        gate = self.writer_gate.hold() if self.writer_gate else contextlib.nullcontext()
        with gate:
            session = self.sessionmaker()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only: on SQLite it takes no write lock."""
        session = self.read_sessionmaker()
        try:
            yield session
        finally:
            session.close()  # ends the transaction; loaded objects stay readable

    @contextlib.contextmanager
    def lookup_session(self) -> Iterator[Session]:
        """For a single read statement (a token, a stored response): no transaction around it.

        Several statements in one of these do not see one snapshot; use :meth:`read_session`.
        """
        session = self.lookup_sessionmaker()
        try:
            yield session
        finally:
            session.close()

    def ping(self) -> None:
        with self.read_engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")


_ADVANCE_STATEMENTS: dict[tuple[str, Any, tuple[str, ...], str], Any] = {}


def advance_counter(session: Session, model: Any, keys: dict[str, Any], column: str) -> int:
    """Add one to ``model.column`` in the row identified by ``keys`` and return the new value.

    One atomic statement inside the caller's transaction: ``INSERT … ON CONFLICT (keys) DO
    UPDATE SET column = column + 1 RETURNING column`` creates the row at 1 or advances it, so
    two concurrent callers can never read the same value (ticket numbers, document registers).
    ``keys`` must be the table's primary key. The statement is built once per table.
    """
    from sqlalchemy import bindparam
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    cache_key = (dialect, model, tuple(keys), column)
    statement = _ADVANCE_STATEMENTS.get(cache_key)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        target = getattr(model, column)
        statement = (insert(model).values(**{k: bindparam(k) for k in keys}, **{column: 1})
                     .on_conflict_do_update(index_elements=list(keys), set_={column: target + 1})
                     .returning(target))
        _ADVANCE_STATEMENTS[cache_key] = statement
    return int(session.connection().execute(statement, keys).scalar_one())
