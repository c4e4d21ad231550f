"""Server-side sessions: the cookie holds a random token; the server can revoke it at any time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from marketplace.accounts.models import User, UserSession
from marketplace.core.models import utcnow
from marketplace.core.security import new_token, token_hash

SESSION_COOKIE = "puente_session"
SESSION_LIFETIME = timedelta(days=30)
# Refresh last_seen (and extend the session) at most this often, not on every request.
TOUCH_INTERVAL = timedelta(minutes=5)


def start_session(session: Session, user: User, *, user_agent: str | None, ip_address: str | None) -> str:
    """Create a session for `user`; returns the token for the cookie (only its hash is stored)."""
    token = new_token()
    now = utcnow()
    session.add(
        UserSession(
            user_id=user.id,  # type: ignore[arg-type]
            token_hash=token_hash(token),
            user_agent=(user_agent or "")[:300] or None,
            ip_address=ip_address,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def session_needs_touch(user_session: UserSession) -> bool:
    """Whether last_seen is old enough to be refreshed (and the session extended)."""
    return utcnow() - user_session.last_seen_at > TOUCH_INTERVAL


def resolve_session(
    session: Session, token: str | None, *, touch: bool = True
) -> tuple[UserSession, User] | None:
    """The live session and its active user for a cookie token, or None; `touch` refreshes last_seen."""
    if not token:
        return None
    now = utcnow()
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token), UserSession.expires_at > now, User.is_active)
    ).first()
    if row is None:
        return None
    user_session, user = row
    if touch and now - user_session.last_seen_at > TOUCH_INTERVAL:
        user_session.last_seen_at = now
        user_session.expires_at = now + SESSION_LIFETIME
        session.add(user_session)
    return user_session, user


def end_session(session: Session, user_session_id: int) -> None:
    session.execute(delete(UserSession).where(UserSession.id == user_session_id))


def end_all_sessions(session: Session, user_id: int, *, except_id: int | None = None) -> int:
    """Sign the user out everywhere (but `except_id`); returns how many sessions ended."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if except_id is not None:
        query = query.where(UserSession.id != except_id)
    return session.execute(query).rowcount or 0


def list_sessions(session: Session, user_id: int) -> list[UserSession]:
    return list(
        session.execute(
            select(UserSession)
            .where(UserSession.user_id == user_id, UserSession.expires_at > utcnow())
            .order_by(UserSession.last_seen_at.desc())  # type: ignore[attr-defined]
        ).scalars()
    )
