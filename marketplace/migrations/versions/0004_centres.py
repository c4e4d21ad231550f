"""centres advisors verification audit outcomes

Revision ID: 0004_centres
Revises: 0003
Create Date: 2026-11-30 14:37:26.253658
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_centres"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("verified_by_user_id", sa.Integer(), nullable=True),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("valid_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verified_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verifications_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_verifications_company_id"), ["company_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["listing_id"], ["listings.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_listing_id"), ["listing_id"], unique=False)

    with op.batch_alter_table("centre_clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verification_days", sa.Integer(), server_default="365", nullable=False)
        )

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counterpart", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("jobs_kept", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("confirmed_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_outcomes_confirmed_by_user_id_users",
            "users",
            ["confirmed_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outcomes_confirmed_by_user_id_users", type_="foreignkey")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by_user_id")
        batch_op.drop_column("jobs_kept")
        batch_op.drop_column("counterpart")

    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.drop_column("verification_days")

    with op.batch_alter_table("centre_clients", schema=None) as batch_op:
        batch_op.drop_column("ended_at")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_listing_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_company_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_centre_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verifications_company_id"))
        batch_op.drop_index(batch_op.f("ix_verifications_centre_id"))

    op.drop_table("verifications")
