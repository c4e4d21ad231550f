"""Reports, holds (what is hidden or suspended now) and the audit trail of every moderation action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

# "inquiry" is a whole thread reported as spam by its receiving company (inquiries.service.report_spam).
OBJECT_TYPES = ("listing", "company", "message", "inquiry")
REPORT_REASONS = ("spam", "fraud", "offensive", "prohibited", "other")
REPORT_STATUSES = ("open", "resolved", "dismissed")
HOLD_KINDS = ("hide", "suspend")
ACTIONS = ("report", "hide", "unhide", "warn", "suspend", "unsuspend", "dismiss", "restore")


class Report(SQLModel, table=True):
    """A signed-in user's report of a listing, a company, a message or (as spam) a thread."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    object_type: str = Field(max_length=8)  # OBJECT_TYPES
    object_id: int
    reporter_user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=12)  # REPORT_REASONS
    details: str = Field(default="", max_length=2000)
    status: str = Field(default="open", max_length=10, index=True)  # REPORT_STATUSES
    # "type:id:reporter" while open, NULL once closed: one open report per reporter and object on both
    # databases (NULLs never collide in a unique index).
    open_key: str | None = Field(default=None, max_length=60, unique=True)
    created_at: datetime = created_at_field()
    closed_at: datetime | None = None
    closed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class ModerationHold(SQLModel, table=True):
    """An object hidden (listing, company, message) or a company suspended, until an admin lifts it."""

    __tablename__ = "moderation_holds"
    __table_args__ = (Index("ix_moderation_holds_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    object_type: str = Field(max_length=8)
    object_id: int
    kind: str = Field(max_length=8)  # HOLD_KINDS
    reason: str = Field(max_length=1000)
    # "kind:type:id" while in force, NULL once lifted: at most one live hold of a kind per object.
    active_key: str | None = Field(default=None, max_length=60, unique=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    lifted_at: datetime | None = None
    lifted_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class ModerationAction(SQLModel, table=True):
    """The audit trail: who did what to which object, when and why (never edited, never deleted)."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    object_type: str = Field(max_length=8)
    object_id: int
    action: str = Field(max_length=10)  # ACTIONS
    reason: str = Field(default="", max_length=1000)
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="SET NULL")
    # Whose object it is, so the owner's pages can show warnings and reasons addressed to them.
    owner_company_id: int | None = Field(
        default=None, foreign_key="companies.id", index=True, ondelete="CASCADE"
    )
    owner_user_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()


class ReconciliationRun(SQLModel, table=True):
    """The result of one reconciliation of the search index with the database (run as a job)."""

    __tablename__ = "reconciliation_runs"

    id: int | None = Field(default=None, primary_key=True)
    requested_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    status: str = Field(default="pending", max_length=8)  # pending, done, failed
    # {"listings": {"missing": n, "stale": n, "orphaned": n, "sample": {...}}, "notices": {...}}
    result: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    finished_at: datetime | None = None
