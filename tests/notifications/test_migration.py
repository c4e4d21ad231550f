"""Migration 0006_notifications keeps the inquiry notices and settings stored before it, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    insert,
    text,
)
from sqlalchemy.engine import Engine

from marketplace.core.migrate import alembic_config

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def migrate(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def insert_row(db, table: str, **values) -> None:  # type: ignore[no-untyped-def]
    """Insert a row as the schema of that revision has it: `values`, and a plain value in every other
    required column (the models describe the newest schema, not this one)."""
    columns = Table(table, MetaData(), autoload_with=db).columns
    plain = {Integer: 1, String: "x", Boolean: False, DateTime: NOW, Date: NOW.date(), JSON: [], Numeric: 0}
    for column in columns:
        if (
            column.name in values
            or column.nullable
            or column.primary_key
            or column.server_default is not None
        ):
            continue
        values[column.name] = next(v for t, v in plain.items() if isinstance(column.type, t))
    db.execute(insert(columns[0].table).values(**values))


def test_inquiry_notices_and_settings_survive_the_move_to_the_shared_tables(blank_engine: Engine) -> None:
    migrate(blank_engine, "0005")
    with blank_engine.begin() as db:
        insert_row(db, "users", id=1, email="ana@example.org")
        insert_row(db, "companies", id=1, country="CO")
        insert_row(db, "listings", id=1, company_id=1, kind="offer")
        insert_row(db, "inquiries", id=1, kind="inquiry", listing_id=1, from_user_id=1, to_company_id=1)
        insert_row(db, "inquiry_notifications", user_id=1, inquiry_id=1, kind="new_inquiry")
        insert_row(
            db, "inquiry_notification_settings", user_id=1, email_new_inquiries=False, email_replies=True
        )
    migrate(blank_engine, "0006_notifications")
    with blank_engine.begin() as db:
        notice = db.execute(
            text("SELECT user_id, inquiry_id, kind, read_at, match_id, dedupe_key FROM notifications")
        ).one()
        assert tuple(notice) == (1, 1, "new_inquiry", None, None, None)
        choice = db.execute(
            text("SELECT email_new_inquiries, email_replies, email_matches, email_saved_searches, alert_digest "
                 "FROM notification_settings WHERE user_id = 1")
        ).one()  # fmt: skip
        assert tuple(choice) == (False, True, True, True, "immediate")
        # New rows get ids after the old ones (PostgreSQL's renamed sequence still serves the table).
        db.execute(
            text("INSERT INTO notifications (user_id, kind, listing_id, dedupe_key, created_at) "
                 "VALUES (1, 'saved_search', 1, 'saved_search:1:1', :now)"),
            {"now": NOW},
        )  # fmt: skip
        assert db.execute(text("SELECT max(id) FROM notifications")).scalar_one() == 2


def test_the_downgrade_gives_the_inquiry_notices_back(blank_engine: Engine) -> None:
    migrate(blank_engine, "0005")
    with blank_engine.begin() as db:
        insert_row(db, "users", id=1, email="ana@example.org")
        insert_row(db, "companies", id=1, country="CO")
        insert_row(db, "listings", id=1, company_id=1, kind="offer")
        insert_row(db, "inquiries", id=1, kind="inquiry", listing_id=1, from_user_id=1, to_company_id=1)
        insert_row(db, "inquiry_notifications", user_id=1, inquiry_id=1, kind="reply")
    migrate(blank_engine, "0006_notifications")
    with blank_engine.begin() as db:
        insert_row(
            db, "notifications", user_id=1, kind="saved_search", listing_id=1, dedupe_key="saved_search:1:1"
        )
    config = alembic_config(blank_engine)
    with blank_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    with blank_engine.begin() as db:
        # The inquiry notice is back where it was; the saved-search one had no place there.
        assert db.execute(text("SELECT user_id, inquiry_id, kind FROM inquiry_notifications")).all() == [
            (1, 1, "reply")
        ]
