"""Support centres (SBDCs and similar), their advisors and their client portfolio."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

ADVISOR_ROLES = ("advisor", "manager")
CLIENT_STATUSES = ("active", "ended")


class Centre(SQLModel, table=True):
    __tablename__ = "centres"

    id: int | None = Field(default=None, primary_key=True)
    external_key: str | None = Field(default=None, max_length=100, unique=True, index=True)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2, index=True)
    city: str | None = Field(default=None, max_length=100)
    network: str | None = Field(default=None, max_length=120)
    requires_review: bool = Field(default=False)
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
    created_at: datetime = created_at_field()
