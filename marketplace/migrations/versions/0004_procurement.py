"""procurement: notice classifications, buyer id, MSME suitability, content hash; deadline reminders

Revision ID: 0004_procurement
Revises: 0003
Create Date: 2026-11-30 14:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_procurement"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procurement_notices") as batch:
        batch.add_column(sa.Column("buyer_id", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch.add_column(
            sa.Column("classifications", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch.add_column(sa.Column("sme_suitable", sa.Boolean(), nullable=True))
        batch.add_column(
            sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_table(
        "procurement_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["notice_id"], ["procurement_notices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "notice_id"),
    )
    op.create_index(
        op.f("ix_procurement_reminders_company_id"), "procurement_reminders", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_procurement_reminders_notice_id"), "procurement_reminders", ["notice_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_procurement_reminders_notice_id"), table_name="procurement_reminders")
    op.drop_index(op.f("ix_procurement_reminders_company_id"), table_name="procurement_reminders")
    op.drop_table("procurement_reminders")
    with op.batch_alter_table("procurement_notices") as batch:
        batch.drop_column("content_hash")
        batch.drop_column("sme_suitable")
        batch.drop_column("classifications")
        batch.drop_column("buyer_id")
