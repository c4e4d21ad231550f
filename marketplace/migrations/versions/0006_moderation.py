"""moderation: reports, holds, the moderation audit trail, reconciliation runs, listings.hidden

Revision ID: 0006_moderation
Revises: 0005
Create Date: 2026-11-30 17:10:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_moderation"
down_revision = "0005"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", String(length=8), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("reporter_user_id", sa.Integer(), nullable=False),
        sa.Column("reason", String(length=12), nullable=False),
        sa.Column("details", String(length=2000), nullable=False),
        sa.Column("status", String(length=10), nullable=False),
        sa.Column("open_key", String(length=60), nullable=True),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("closed_at", When(), nullable=True),
        sa.Column("closed_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["reporter_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_object", ["object_type", "object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_reporter_user_id"), ["reporter_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_status"), ["status"], unique=False)

    op.create_table(
        "moderation_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", String(length=8), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=8), nullable=False),
        sa.Column("reason", String(length=1000), nullable=False),
        sa.Column("active_key", String(length=60), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("lifted_at", When(), nullable=True),
        sa.Column("lifted_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lifted_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("active_key"),
    )
    with op.batch_alter_table("moderation_holds", schema=None) as batch_op:
        batch_op.create_index("ix_moderation_holds_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", String(length=8), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("action", String(length=10), nullable=False),
        sa.Column("reason", String(length=1000), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("owner_company_id", sa.Integer(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", When(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.create_index("ix_moderation_actions_object", ["object_type", "object_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_owner_company_id"), ["owner_company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_owner_user_id"), ["owner_user_id"], unique=False
        )

    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("status", String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", String(length=500), nullable=True),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("finished_at", When(), nullable=True),
        sa.ForeignKeyConstraint(["requested_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_column("hidden")
    op.drop_table("reconciliation_runs")
    op.drop_table("moderation_actions")
    op.drop_table("moderation_holds")
    op.drop_table("reports")
