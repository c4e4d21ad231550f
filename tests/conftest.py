"""Fixtures: a fresh, migrated database per test on SQLite and (when it answers) PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.passwords import use_hasher
from marketplace.core.db import make_engine
from marketplace.core.migrate import upgrade_to_head
from marketplace.schema import metadata

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
# The real OCDS files of shared/data/ocds, copied into the repository for the demo (seeds/ocds/SOURCES.md).
OCDS_SAMPLES = REPO / "seeds" / "ocds"
# The local PostgreSQL of our machines (trust auth). PUENTE_TEST_PG_URL points elsewhere;
# PUENTE_REQUIRE_POSTGRES=1 (set by .ci/run) turns "no server" into a failure instead of a skip.
PG_ADMIN_URL = os.environ.get("PUENTE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("PUENTE_REQUIRE_POSTGRES") == "1"


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"no PostgreSQL answers at {PG_ADMIN_URL} ({type(exc).__name__})"
    return None


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    # argon2's production parameters take ~50 ms a hash; tests hash hundreds of passwords.
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating each time would cost seconds)."""
    path = tmp_path_factory.mktemp("template") / "puente.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own on the local server, migrated once, dropped at the end."""
    problem = _postgres_problem()
    if problem is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required here (PUENTE_REQUIRE_POSTGRES=1) but {problem}")
        pytest.skip(problem)
    name = f"puente_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """The URL of an empty, migrated database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "puente.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for arranging and checking data; the test commits what others must see.

    On SQLite each of its statements is its own transaction: a test reading the database never holds the
    write lock the app needs, nor keeps seeing a snapshot from before the app's last write.
    """
    with Session(engine.execution_options(sqlite_begin="NONE"), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """SQLite only, for what is about the embedded setup itself."""
    path = tmp_path / "puente.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def app_settings(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from marketplace.core.settings import Settings

    return Settings.from_env({"DATABASE_URL": database_url, "PUENTE_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def client(app_settings):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from marketplace.app import create_app

    with TestClient(create_app(app_settings), raise_server_exceptions=False) as test_client:
        yield test_client


class SmtpInbox:
    """What a real SMTP server on loopback received: (recipients, parsed message) pairs."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        from email import message_from_bytes
        from email.policy import default

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) on a free loopback port: yields (inbox, port)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own, no schema at all (for migration tests: the shared test databases are
    already at the newest revision); PostgreSQL's is created and dropped around the test."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'blank.db'}")
        yield engine
        engine.dispose()
        return
    problem = _postgres_problem()
    if problem is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required here (PUENTE_REQUIRE_POSTGRES=1) but {problem}")
        pytest.skip(problem)
    name = f"puente_blank_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
