"""merge the feature branches

Revision ID: 0005
Revises: 0004_centres, 0004_inquiries, 0004_matching, 0004_oidc, 0004_procurement
Create Date: 2026-11-30
"""

revision = "0005"
down_revision = ("0004_centres", "0004_inquiries", "0004_matching", "0004_oidc", "0004_procurement")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
