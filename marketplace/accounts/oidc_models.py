"""Server-side state of an OpenID Connect sign-in in progress (one row per redirect to a provider)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field


class OidcLoginState(SQLModel, table=True):
    """What the callback must find again: the `state` (stored as its SHA-256), the `nonce` the ID token must
    carry, the PKCE verifier, the browser it was started in, and what to do after (sign in, or link to a user).
    Deleted when the callback uses it, so a state works once."""

    __tablename__ = "oidc_login_states"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True, index=True)
    provider: str = Field(max_length=64)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    browser_hash: str = Field(max_length=64)  # SHA-256 of the visitor cookie that started it
    next_path: str = Field(default="/", max_length=500)
    link_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")
    expires_at: datetime
    created_at: datetime = created_at_field()
