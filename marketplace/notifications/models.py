"""One table of in-app notices for every kind, and one row of e-mail choices per user."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

# new_inquiry / reply point at an inquiry thread (and its message); match at a match and the other side's
# listing; saved_search at the listing that a saved search found.
NOTIFICATION_KINDS = ("new_inquiry", "reply", "match", "saved_search")
INQUIRY_KINDS = ("new_inquiry", "reply")
ALERT_KINDS = ("match", "saved_search")  # e-mailed together, in the alerts digest
DIGEST_PERIODS = ("immediate", "daily")  # of the alerts digest


class Notification(SQLModel, table=True):
    """An in-app notice for one user; e-mailed at most once, in a grouped digest (emailed_at)."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The header badge counts a user's unread notices: one index range, no table scan.
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        # A notice is created once per user and event (a match side, a saved search hit), however often
        # the job that finds the event runs. Inquiry notices have no key (NULLs never collide).
        sa.Index("uq_notifications_user_id_dedupe_key", "user_id", "dedupe_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # NOTIFICATION_KINDS
    inquiry_id: int | None = Field(default=None, foreign_key="inquiries.id", index=True, ondelete="CASCADE")
    message_id: int | None = Field(default=None, foreign_key="messages.id", ondelete="CASCADE")
    match_id: int | None = Field(default=None, foreign_key="matches.id", index=True, ondelete="CASCADE")
    listing_id: int | None = Field(default=None, foreign_key="listings.id", index=True, ondelete="CASCADE")
    dedupe_key: str | None = Field(default=None, max_length=80)
    read_at: datetime | None = None
    emailed_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = created_at_field()


class NotificationSettings(SQLModel, table=True):
    """A user's e-mail choices (no row: the defaults, every e-mail on, alerts as they come)."""

    __tablename__ = "notification_settings"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True, ondelete="CASCADE")
    email_new_inquiries: bool = Field(default=True)
    email_replies: bool = Field(default=True)
    email_matches: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    email_saved_searches: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    alert_digest: str = Field(
        default="immediate", max_length=10, sa_column_kwargs={"server_default": "immediate"}
    )  # DIGEST_PERIODS
    updated_at: datetime = created_at_field()
