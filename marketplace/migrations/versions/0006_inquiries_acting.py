"""inquiries: advisors acting for a client (who wrote a message, started or closed a thread); newest message

Revision ID: 0006_inquiries_acting
Revises: 0005
Create Date: 2026-11-30 17:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_inquiries_acting"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table, so it copies the table.
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sent_by_advisor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("closed_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_by_company_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_by_centre_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_inquiries_closed_by_user_id_users",
            "users",
            ["closed_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            "fk_inquiries_closed_by_company_id_companies",
            "companies",
            ["closed_by_company_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            "fk_inquiries_closed_by_centre_id_centres",
            "centres",
            ["closed_by_centre_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE inquiries SET last_message_id = "
        "(SELECT max(messages.id) FROM messages WHERE messages.inquiry_id = inquiries.id)"
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acting_centre_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_messages_acting_centre_id_centres",
            "centres",
            ["acting_centre_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("fk_messages_acting_centre_id_centres", type_="foreignkey")
        batch_op.drop_column("acting_centre_id")
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_inquiries_closed_by_centre_id_centres", type_="foreignkey")
        batch_op.drop_constraint("fk_inquiries_closed_by_company_id_companies", type_="foreignkey")
        batch_op.drop_constraint("fk_inquiries_closed_by_user_id_users", type_="foreignkey")
        batch_op.drop_column("last_message_id")
        batch_op.drop_column("closed_by_centre_id")
        batch_op.drop_column("closed_by_company_id")
        batch_op.drop_column("closed_by_user_id")
        batch_op.drop_column("sent_by_advisor")
