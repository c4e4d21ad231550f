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
    """One OpenID Connect account linked to a user; a user may have several.

    Keyed by (issuer, subject), as OpenID Connect defines an end-user: a `sub` is unique only within its
    issuer, and the provider's name in our settings is a label an operator may change. `provider` keeps the
    name the identity was linked under, shown only when no configured provider has its issuer any more.
    """

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identities_issuer_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    issuer: str = Field(max_length=255)
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


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a leaked
    database cannot be replayed as sessions. Deleting the row signs that browser out."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_agent: str | None = Field(default=None, max_length=300)
    ip_address: str | None = Field(default=None, max_length=45)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    expires_at: datetime


EMAIL_TOKEN_PURPOSES = ("verify_email", "reset_password")


class EmailToken(SQLModel, table=True):
    """A single-use, expiring link sent by e-mail (address verification, password reset)."""

    __tablename__ = "email_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=20)  # EMAIL_TOKEN_PURPOSES
    token_hash: str = Field(max_length=64, unique=True, index=True)
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = created_at_field()


class Invitation(SQLModel, table=True):
    """An owner's invitation for an e-mail address to join the company's team."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254, index=True)
    role: str = Field(default="member", max_length=16)
    invited_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    expires_at: datetime
    accepted_at: datetime | None = None
    created_at: datetime = created_at_field()


class RateEvent(SQLModel, table=True):
    """One counted attempt (a login, a sign-up, later an inquiry) for database-backed rate limits that hold
    across processes."""

    __tablename__ = "rate_events"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, index=True)
    at: datetime = created_at_field()


class ApiToken(SQLModel, table=True):
    """A personal API token: programs call the JSON API as its user. Only the token's SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=12)  # shown in lists so people can tell tokens apart
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
