"""Support centres (SBDCs and similar), their advisors and their client portfolio."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, list_field

ADVISOR_ROLES = ("advisor", "manager")
# invited: the centre asked, the company has not accepted yet; requested: the company asked the centre.
VERIFICATION_CHECKS = ("tax_id", "visit", "documents", "references")
AUDIT_ACTIONS = (
    "listing_created", "listing_edited", "listing_submitted", "listing_published", "listing_approved",
    "listing_sent_back", "listing_closed", "listing_renewed", "verified", "client_invited", "client_requested",
    "client_accepted", "client_ended", "outcome_recorded", "outcome_confirmed",
)  # fmt: skip
CLIENT_STATUSES = ("invited", "requested", "active", "ended")


class Centre(SQLModel, table=True):
    __tablename__ = "centres"

    id: int | None = Field(default=None, primary_key=True)
    external_key: str | None = Field(default=None, max_length=100, unique=True, index=True)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2, index=True)
    city: str | None = Field(default=None, max_length=100)
    network: str | None = Field(default=None, max_length=120)
    requires_review: bool = Field(default=False)
    # How long the centre's "verified" badge lasts unless an advisor renews it.
    verification_days: int = Field(default=365, sa_column_kwargs={"server_default": "365"})
    created_at: datetime = created_at_field()


class Advisor(SQLModel, table=True):
    __tablename__ = "advisors"
    __table_args__ = (UniqueConstraint("user_id", "centre_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    centre_id: int = Field(foreign_key="centres.id", index=True, ondelete="CASCADE")
    role: str = Field(default="advisor", max_length=16)  # ADVISOR_ROLES
    created_at: datetime = created_at_field()


class CentreClient(SQLModel, table=True):
    """A company in a centre's portfolio, with the company's consent."""

    __tablename__ = "centre_clients"
    __table_args__ = (UniqueConstraint("centre_id", "company_id"),)

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centres.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    advisor_id: int | None = Field(default=None, foreign_key="advisors.id", ondelete="SET NULL")
    status: str = Field(default="active", max_length=12)  # CLIENT_STATUSES
    consent_at: datetime | None = None
    ended_at: datetime | None = None
    created_at: datetime = created_at_field()


class Verification(SQLModel, table=True):
    """An advisor vouching for a client after checking it, with the evidence; the badge lasts until valid_until."""

    __tablename__ = "verifications"

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centres.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    verified_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    checks: list[str] = list_field()  # VERIFICATION_CHECKS
    evidence: str = Field(max_length=2000)
    verified_at: datetime = created_at_field()
    valid_until: datetime


class AuditEvent(SQLModel, table=True):
    """Who did what to a company's profile or listings (an advisor acting for it, or its own members)."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    listing_id: int | None = Field(default=None, foreign_key="listings.id", index=True, ondelete="SET NULL")
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    centre_id: int | None = Field(default=None, foreign_key="centres.id", index=True, ondelete="SET NULL")
    action: str = Field(max_length=24)  # AUDIT_ACTIONS
    detail: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
