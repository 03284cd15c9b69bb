"""Database engines for the store: SQLite tuned for many writers, PostgreSQL via psycopg.

SQLite: WAL journal (readers never block the writer), a busy timeout so concurrent
writers wait instead of failing, ``synchronous=FULL`` so a committed action survives
a crash of the machine too, foreign keys on, and ``BEGIN IMMEDIATE`` for write
transactions (a writer takes the lock up front instead of failing to upgrade it later).
PostgreSQL: ``postgresql://`` URLs use the psycopg 3 driver; pooled connections are
checked before use so a restarted server is reconnected to.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from dbssim.store.records import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a burst of a whole class of writers waits, never fails
PG_CONNECT_TIMEOUT_S = 10
# pg_advisory_xact_lock key that serialises migrations of one database ("dbss" in ASCII).
MIGRATION_LOCK_KEY = 0x64627373
POOL_SIZE, POOL_OVERFLOW = 5, 10  # per process; 30 trainees share them (SQLAlchemy default)


def now_utc() -> datetime:
    return datetime.now(UTC)


def parse_url(url: str) -> URL:
    """Check a database URL: SQLite file or PostgreSQL (the error never shows a password)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "DBSSIM_DATABASE_URL",
            "not a database URL; e.g. sqlite:///data/dbssim.sqlite3 or "
            "postgresql://USER:PASSWORD@127.0.0.1:5432/DB",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise StoreError(
            "DBSSIM_DATABASE_URL",
            f"backend '{backend}' is not supported; allowed: sqlite, postgresql",
        )
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise StoreError(
                "DBSSIM_DATABASE_URL", "the SQLite store needs a file path: sqlite:///PATH"
            )
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine for the store, with the connection settings above."""
    parsed = parse_url(url)
    serializer = partial(json.dumps, allow_nan=False, ensure_ascii=False)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            json_serializer=serializer,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(
        parsed,
        json_serializer=serializer,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_pre_ping=True,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "dbssim"},
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver's own is deferred and
    # skips DDL), as SQLAlchemy's documentation recommends for pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    write = conn.get_execution_options().get("dbssim_write", True)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, one process at a time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        conn.execution_options(dbssim_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
