"""saved searches: a user's words and filters, and how far their alerts have looked

Revision ID: 0006_saved_searches
Revises: 0005
Create Date: 2026-11-30 17:45:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_saved_searches"
down_revision = "0005"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", String(length=120), nullable=False),
        sa.Column("query", String(length=2000), nullable=False),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("checked_up_to", When(), nullable=False),
        sa.Column("last_run_at", When(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_searches_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_searches_user_id"))
    op.drop_table("saved_searches")
