"""oidc login states

Revision ID: 0004_oidc
Revises: 0003
Create Date: 2026-11-30 14:50:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_oidc"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oidc_login_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("code_verifier", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("browser_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("next_path", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("link_user_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["link_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("oidc_login_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_login_states_state_hash"), ["state_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("oidc_login_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oidc_login_states_state_hash"))
    op.drop_table("oidc_login_states")
