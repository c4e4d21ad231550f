"""Personal API tokens: programs call the JSON API as the token's user. Shown once, stored hashed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlmodel import Session

from marketplace.accounts.models import ApiToken, User
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.security import new_token, token_hash

TOKEN_PREFIX = "pte_"  # noqa: S105 (a public marker, not a secret)
MAX_TOKENS = 20
TOUCH_EVERY = timedelta(minutes=1)


def create_token(session: Session, user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; the raw value is returned once and never stored."""
    label = name.strip()
    if not 1 <= len(label) <= 80:
        raise InvalidInput(N_("Give the token a name."), fields={"name": N_("Give the token a name.")})
    if len(list_tokens(session, user)) >= MAX_TOKENS:
        raise InvalidInput(N_("You have too many tokens: revoke one first."))
    raw = TOKEN_PREFIX + new_token()
    token = ApiToken(user_id=user.id, name=label, token_hash=token_hash(raw), prefix=raw[:10])  # type: ignore[arg-type]
    session.add(token)
    session.flush()
    return token, raw


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.execute(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))  # type: ignore[union-attr]
            .order_by(ApiToken.created_at.desc())  # type: ignore[attr-defined]
        ).scalars()
    )


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(N_("Page not found"))
    token.revoked_at = utcnow()
    session.add(token)


def user_for_token(session: Session, raw: str) -> User | None:
    """The active user behind a live token, or None (reads only: see record_token_use)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(raw), ApiToken.revoked_at.is_(None), User.is_active)  # type: ignore[union-attr]
    ).first()
    if row is None:
        return None
    return row[1]


def record_token_use(session: Session, raw: str) -> None:
    """Note when a token was last used (at most once a minute, so a busy program is not a stream of writes)."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.token_hash == token_hash(raw),  # type: ignore[arg-type]
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_EVERY),  # type: ignore[union-attr,operator]
        )
        .values(last_used_at=now)
    )
