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


def listing_for_viewer(
    session: Session, listing_id: int, *, viewer_company_ids: set[int], today: date
) -> Listing:
    """A listing as a viewer may see it: active ones for everyone, others only for their company's members."""
    from marketplace.core.errors import NotFound
    from marketplace.core.i18n import N_

    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("Page not found"))
    active = listing.status == "published" and (listing.valid_until is None or listing.valid_until >= today)
    if not active and listing.company_id not in viewer_company_ids:
        raise NotFound(N_("Page not found"))
    return listing
