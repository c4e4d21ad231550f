"""Account rules (the accounts-and-pages work extends this with sign-up, sessions and teams)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import WeakPassword, check_password_rules, hash_password
from marketplace.core.models import utcnow
from marketplace.core.validation import normalise_email_address


class AccountError(ValueError):
    """An account action that cannot be done; the message says why."""


def normalise_email(email: str) -> str:
    try:
        return normalise_email_address(email)
    except ValueError:
        raise AccountError(f"{email!r} is not a valid e-mail address") from None


def create_admin_account(session: Session, *, email: str, name: str, password: str) -> tuple[User, bool]:
    """Create an administrator (or promote an existing account and set its password); True if created."""
    email = normalise_email(email)
    try:
        check_password_rules(password, email=email)
    except WeakPassword as exc:
        raise AccountError(f"password: {exc}") from None
    user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    created = user is None
    if user is None:
        user = User(email=email, display_name=name, email_verified_at=utcnow())
    user.is_admin = True
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user, created
