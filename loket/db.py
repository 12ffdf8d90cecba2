"""Database engine, declarative base and the unit-of-work session scope.

SQLite is the embedded default and is set up for concurrent writers: WAL, a busy timeout, and
write transactions that start with ``BEGIN IMMEDIATE`` so that two writers never deadlock on a
lock upgrade. PostgreSQL is used as is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
    return create_engine(
        url, pool_size=10, max_overflow=30, pool_pre_ping=True, pool_recycle=1800, **kwargs
    )


class Database:
    """One engine and session factory per process and URL."""

    _instances: dict[str, Database] = {}
    _lock = threading.Lock()

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.read_engine = self.engine.execution_options(loket_read_only=True)
        self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)

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

    def ping(self) -> None:
        with self.read_engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")


def advance_counter(session: Session, model: Any, keys: dict[str, Any], column: str) -> int:
    """Add one to ``model.column`` in the row identified by ``keys`` and return the new value.

    One atomic step inside the caller's transaction: the row is created if missing
    (``INSERT … ON CONFLICT DO NOTHING``), then advanced with ``UPDATE … RETURNING``, so two
    concurrent callers can never read the same value (ticket numbers, document registers).
    """
    from sqlalchemy import update
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**keys, **{column: 0}).on_conflict_do_nothing())
    target = getattr(model, column)
    value = session.execute(
        update(model).where(*(getattr(model, k) == v for k, v in keys.items()))
        .values({column: target + 1}).returning(target)
    ).scalar_one()
    return int(value)
