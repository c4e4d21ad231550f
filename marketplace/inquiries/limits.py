"""Abuse limits on starting threads, counted in the database (they hold across app processes).

Call before the request's session runs its first statement: a limited request creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from marketplace.accounts.models import User
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.ratelimit import hit

WINDOW = timedelta(hours=1)
PER_USER = 10  # new threads per user per hour
PER_NEW_USER = 3  # ... for an account younger than NEW_ACCOUNT
NEW_ACCOUNT = timedelta(days=1)
PER_IP = 20  # new threads per IP address per hour
LIMITED = N_("You have started too many conversations in the last hour. Please try again later.")


def user_limit(user: User) -> int:
    return PER_NEW_USER if utcnow() - user.created_at < NEW_ACCOUNT else PER_USER


def check_new_thread(engine: Engine, user: User, ip_address: str) -> None:
    """Count one new thread for the user and the address; RateLimited (429) when either is at its limit."""
    hit(engine, f"inquiry:user:{user.id}", limit=user_limit(user), window=WINDOW, message=LIMITED)
    hit(engine, f"inquiry:ip:{ip_address}", limit=PER_IP, window=WINDOW, message=LIMITED)
