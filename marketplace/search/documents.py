"""Turn listings (with their companies) into search documents; only active listings are indexed."""

from __future__ import annotations

from datetime import date

from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from search.documents import ListingDocument


def belongs_in_index(listing: Listing, today: date) -> bool:
    """Published, not past its validity and not hidden by moderation: what search may show."""
    return (
        listing.status == "published"
        and (listing.valid_until is None or listing.valid_until >= today)
        and not listing.hidden
    )


def listing_document(
    listing: Listing, company: Company, *, vector: list[float] | None = None
) -> ListingDocument:
    published = listing.published_at or listing.created_at
    verified = bool(
        company.verified_by_centre_id and company.verified_until and company.verified_until > utcnow()
    )
    return ListingDocument(
        id=listing.id,  # type: ignore[arg-type]
        kind=listing.kind,
        title=listing.title,
        description=listing.description,
        language=listing.language,
        company_id=company.id,  # type: ignore[arg-type]
        company_name=company.name,
        country=company.country,
        published_at=int(published.timestamp()),
        version=listing.version,
        hs_code=listing.hs_code,
        unspsc_code=listing.unspsc_code,
        certifications=list(listing.certifications),
        women_led=company.women_led,
        verified=verified,
        ship_to=list(listing.ship_to),
        accept_from=list(listing.accept_from),
        valid_until=listing.valid_until,
        vector=vector,
    )
