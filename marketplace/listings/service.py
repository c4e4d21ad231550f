"""Business rules for listings."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.listings import repository
from marketplace.listings.models import Listing


def expire_overdue_listings(session: Session, *, today: date) -> int:
    """Move published listings past their valid_until date to `expired`; returns how many."""
    overdue = repository.overdue_published(session, today=today)
    for listing in overdue:
        listing.status = "expired"
        listing.version += 1
        listing.updated_at = utcnow()
        session.add(listing)
    return len(overdue)


def latest_active_listings(session: Session, *, today: date, limit: int = 24) -> list[tuple[Listing, object]]:
    """The newest active listings with their companies, for the home page."""
    rows, _ = repository.page_of_active_listings(session, today=today, page=1, per_page=limit)
    return rows  # type: ignore[return-value]
