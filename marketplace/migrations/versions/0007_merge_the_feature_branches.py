"""merge the feature branches of the notifications, moderation, inquiries acting, OIDC issuer and saved
searches work (each touches its own tables and columns, so their order does not matter)

Revision ID: 0007
Revises: 0006_identity_issuer, 0006_inquiries_acting, 0006_moderation, 0006_notifications,
    0006_saved_searches
Create Date: 2026-11-30
"""

revision = "0007"
down_revision = (
    "0006_identity_issuer",
    "0006_inquiries_acting",
    "0006_moderation",
    "0006_notifications",
    "0006_saved_searches",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
