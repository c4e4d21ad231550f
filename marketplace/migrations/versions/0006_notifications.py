"""notifications: the inquiry notices and settings become every kind's; mail headers

The inquiry notification tables are renamed and widened, keeping their rows: notices may now point at a
match or a listing (matches, saved-search hits) instead of an inquiry, carry a key that keeps them unique
per user and event, and the settings gain the alert e-mail choices. Outgoing mail keeps extra headers
(List-Unsubscribe).

Revision ID: 0006_notifications
Revises: 0005
Create Date: 2026-11-30 17:10:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_notifications"
down_revision = "0005"
branch_labels = None
depends_on = None


def _rename_postgres_leftovers(old: str, new: str) -> None:
    # PostgreSQL keeps the old names on the primary key and the id sequence; rename them so the schema reads
    # as if created new (SQLite rebuilds the table in the batch below and has neither).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX {old}_pkey RENAME TO {new}_pkey")
        op.execute(f"ALTER SEQUENCE {old}_id_seq RENAME TO {new}_id_seq")


def upgrade() -> None:
    with op.batch_alter_table("inquiry_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_notifications_user_id")
        batch_op.drop_index("ix_inquiry_notifications_inquiry_id")
    op.rename_table("inquiry_notifications", "notifications")
    _rename_postgres_leftovers("inquiry_notifications", "notifications")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column("inquiry_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column(
            "kind",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=12),
            type_=sqlmodel.sql.sqltypes.AutoString(length=16),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("match_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("listing_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_notifications_match_id_matches", "matches", ["match_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            "fk_notifications_listing_id_listings", "listings", ["listing_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_notifications_inquiry_id", ["inquiry_id"], unique=False)
        batch_op.create_index("ix_notifications_match_id", ["match_id"], unique=False)
        batch_op.create_index("ix_notifications_listing_id", ["listing_id"], unique=False)
        batch_op.create_index("ix_notifications_emailed_at", ["emailed_at"], unique=False)
        batch_op.create_index("ix_notifications_user_id_read_at", ["user_id", "read_at"], unique=False)
        batch_op.create_index("uq_notifications_user_id_dedupe_key", ["user_id", "dedupe_key"], unique=True)

    op.rename_table("inquiry_notification_settings", "notification_settings")
    _rename_postgres_leftovers("inquiry_notification_settings", "notification_settings")
    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_matches", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("email_saved_searches", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "alert_digest",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                server_default="immediate",
                nullable=False,
            )
        )

    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_column("headers")

    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.drop_column("alert_digest")
        batch_op.drop_column("email_saved_searches")
        batch_op.drop_column("email_matches")
    _rename_postgres_leftovers("notification_settings", "inquiry_notification_settings")
    op.rename_table("notification_settings", "inquiry_notification_settings")

    # Notices of the new kinds have no inquiry and cannot go back into the old table.
    op.execute("DELETE FROM notifications WHERE inquiry_id IS NULL")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("uq_notifications_user_id_dedupe_key")
        batch_op.drop_index("ix_notifications_user_id_read_at")
        batch_op.drop_index("ix_notifications_emailed_at")
        batch_op.drop_index("ix_notifications_listing_id")
        batch_op.drop_index("ix_notifications_match_id")
        batch_op.drop_index("ix_notifications_inquiry_id")
        batch_op.drop_constraint("fk_notifications_listing_id_listings", type_="foreignkey")
        batch_op.drop_constraint("fk_notifications_match_id_matches", type_="foreignkey")
        batch_op.drop_column("dedupe_key")
        batch_op.drop_column("listing_id")
        batch_op.drop_column("match_id")
        batch_op.alter_column(
            "kind",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
            type_=sqlmodel.sql.sqltypes.AutoString(length=12),
            existing_nullable=False,
        )
        batch_op.alter_column("inquiry_id", existing_type=sa.Integer(), nullable=False)
    _rename_postgres_leftovers("notifications", "inquiry_notifications")
    op.rename_table("notifications", "inquiry_notifications")
    with op.batch_alter_table("inquiry_notifications", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_notifications_inquiry_id", ["inquiry_id"], unique=False)
        batch_op.create_index("ix_inquiry_notifications_user_id", ["user_id"], unique=False)
