"""Rate limits counted in the database, so they hold across several app processes.

Attempts are recorded in their own transaction: a failed sign-in rolls back the request's work, but the
attempt it made must still count.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import RateEvent
from marketplace.core.db import run_in_transaction
from marketplace.core.errors import DomainError
from marketplace.core.models import utcnow


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"


def hit(engine: Engine, key: str, *, limit: int, window: timedelta, message: str) -> None:
    """Count one attempt under `key`; raise RateLimited (counting nothing) when `limit` is already reached."""

    def count(session: Session) -> bool:
        now = utcnow()
        session.execute(delete(RateEvent).where(RateEvent.key == key, RateEvent.at < now - window))
        recent = session.execute(
            select(func.count()).select_from(RateEvent).where(RateEvent.key == key)
        ).scalar_one()
        if recent >= limit:
            return False
        session.add(RateEvent(key=key, at=now))
        return True

    if not run_in_transaction(engine, count):
        raise RateLimited(message)


def forget(session: Session, key: str) -> None:
    """Drop the attempts counted under `key` (e.g. after a successful sign-in)."""
    session.execute(delete(RateEvent).where(RateEvent.key == key))
