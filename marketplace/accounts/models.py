"""People: users, their sign-in identities and their company memberships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

MEMBERSHIP_ROLES = ("owner", "member")


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-cased
    display_name: str = Field(max_length=120)
    password_hash: str | None = Field(default=None, max_length=255)  # None: signs in with OIDC only
    locale: str | None = Field(default=None, max_length=5)
    is_admin: bool = Field(default=False)
    is_active: bool = Field(default=True)
    email_verified_at: datetime | None = None
    created_at: datetime = created_at_field()


class OidcIdentity(SQLModel, table=True):
    """One OpenID Connect account (provider + subject) linked to a user; a user may have several."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=64)
    subject: str = Field(max_length=255)
    created_at: datetime = created_at_field()


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "company_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)  # MEMBERSHIP_ROLES
    created_at: datetime = created_at_field()
