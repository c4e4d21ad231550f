"""Database engines and sessions: SQLite (default) and PostgreSQL behind one SQLAlchemy interface."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
T = TypeVar("T")


def make_engine(url: URL | str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write-locking transactions."""
    # hide_parameters: SQL values (a PKCE verifier, a nonce, a mail body with a link) never reach a log line
    # or an error message, whatever level the sqlalchemy loggers are set to.
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # Python's sqlite3 starts transactions lazily and as DEFERRED: two writers that both read first then
    # both try to write deadlock, and one gets "database is locked" at once, whatever the busy timeout.
    # Taking the write lock at BEGIN (IMMEDIATE) makes writers queue on the busy timeout instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A reader that must neither hold the write lock nor keep an old snapshot (a test inspecting the
        # database while the app writes) asks for engine.execution_options(sqlite_begin="NONE"): each of its
        # statements is then its own transaction.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode != "NONE":
            connection.exec_driver_sql(f"BEGIN {'DEFERRED' if mode == 'DEFERRED' else 'IMMEDIATE'}")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error. Services never commit themselves.

    On SQLite the unit holds the database's write lock from its first statement to its end, so a thread
    must not open a second unit while its first one has begun (it would wait on itself).
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def run_in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 5) -> T:
    """Run `work` in its own transaction, retrying when SQLite still reports a lock after the busy timeout."""
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except OperationalError as exc:
            if attempt == attempts or "locked" not in str(exc.orig).lower():
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def check_database(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
