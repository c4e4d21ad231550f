"""Migration 0006_identity_issuer: existing identities get their issuer from the configured providers, or a
marker that matches no issuer when their provider is not configured any more."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel.sql.sqltypes import UTCDateTime

from marketplace.core.migrate import alembic_config
from marketplace.core.models import utcnow
from marketplace.core.settings import get_settings

GOV = "https://id.gov.example"
MOCK = "https://mock.example"


def migrate(engine: Engine, action, revision: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The settings `puente migrate` runs with: "gov" and "gov-old" share an issuer, "mock" has its own."""
    providers = [
        {"name": name, "issuer": issuer, "client_id": "puente", "client_secret": "s3cret-value"}
        for name, issuer in (("gov", GOV), ("gov-old", GOV), ("mock", MOCK))
    ]
    monkeypatch.setenv("PUENTE_OIDC_PROVIDERS", json.dumps(providers))
    monkeypatch.setenv("PUENTE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("display_name", sa.String),
    sa.column("is_admin", sa.Boolean),
    sa.column("is_active", sa.Boolean),
    sa.column("created_at", UTCDateTime),
)
identities = sa.table(
    "oidc_identities",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("provider", sa.String),
    sa.column("subject", sa.String),
    sa.column("created_at", UTCDateTime),
)


def test_existing_identities_get_the_issuer_of_their_configured_provider(
    blank_engine: Engine, configured: None
) -> None:
    migrate(blank_engine, command.upgrade, "0005")
    now = utcnow()
    rows = [
        (1, "gov", "s-1"),  # configured: takes GOV
        (2, "mock", "s-1"),  # configured, same subject at another issuer: takes MOCK
        (3, "gov-old", "s-1"),  # another name for GOV, same person there as row 1: cannot take GOV too
        (3, "gov-old", "s-3"),  # another name for GOV, a subject of its own: takes GOV
        (4, "retired", "s-1"),  # no longer configured
    ]
    with blank_engine.begin() as connection:
        connection.execute(
            users.insert(),
            [
                {"id": n, "email": f"u{n}@example.org", "display_name": f"U{n}", "is_admin": False}
                | {"is_active": True, "created_at": now}
                for n in (1, 2, 3, 4)
            ],
        )
        connection.execute(
            identities.insert(),
            [
                {"id": i, "user_id": u, "provider": p, "subject": s, "created_at": now}
                for i, (u, p, s) in enumerate(rows, start=1)
            ],
        )

    migrate(blank_engine, command.upgrade, "0006_identity_issuer")

    with blank_engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT id, issuer, subject FROM oidc_identities ORDER BY id")
        ).all()
    assert [tuple(row) for row in found] == [
        (1, GOV, "s-1"),
        (2, MOCK, "s-1"),
        (3, "unknown-provider:gov-old", "s-1"),
        (4, GOV, "s-3"),
        (5, "unknown-provider:retired", "s-1"),
    ]
    # (issuer, subject) is unique now; the provider's name is not part of the key any more.
    with pytest.raises(IntegrityError), blank_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO oidc_identities (user_id, issuer, provider, subject, created_at) "
                "VALUES (2, :issuer, 'renamed', 's-1', :now)"
            ),
            {"issuer": GOV, "now": now},
        )

    # And back: the issuer goes, the name keys the identities again.
    migrate(blank_engine, command.downgrade, "0005")
    with blank_engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("oidc_identities")}
        assert "issuer" not in columns
        assert connection.execute(sa.text("SELECT count(*) FROM oidc_identities")).scalar_one() == 5


def test_a_new_database_does_not_need_the_settings(
    blank_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUENTE_OIDC_PROVIDERS", "not json")  # would fail if the migration read the settings
    get_settings.cache_clear()
    try:
        migrate(blank_engine, command.upgrade, "0006_identity_issuer")
    finally:
        get_settings.cache_clear()
    with blank_engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("oidc_identities")}
    assert "issuer" in columns
