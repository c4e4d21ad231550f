"""Listings (with their companies) as the matching library sees them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.listings.models import Listing
from search.matching.scoring import MatchProfile


def is_matchable(listing: Listing, today: date) -> bool:
    """Published, valid today and not hidden by moderation: what matching may propose."""
    return (
        listing.status == "published"
        and (listing.valid_until is None or listing.valid_until >= today)
        and not listing.hidden
    )


def match_profile(listing: Listing, company: Company) -> MatchProfile:
    return MatchProfile(
        id=listing.id,  # type: ignore[arg-type]
        kind=listing.kind,
        title=listing.title,
        description=listing.description,
        language=listing.language,
        company_id=company.id,  # type: ignore[arg-type]
        country=company.country,
        hs_code=listing.hs_code,
        certifications=tuple(listing.certifications),
        ship_to=tuple(listing.ship_to),
        accept_from=tuple(listing.accept_from),
        valid_until=listing.valid_until,
        quantity=listing.quantity,
        min_order=listing.min_order,
        unit=listing.unit,
        version=listing.version,
    )


def active_profiles(session: Session, ids: Iterable[int], *, today: date) -> dict[int, MatchProfile]:
    """Profiles of the listings among `ids` that are matchable today (others are silently left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Listing, Company).join(Company, Company.id == Listing.company_id).where(Listing.id.in_(wanted))  # type: ignore[union-attr]
    ).all()
    return {
        listing.id: match_profile(listing, company)
        for listing, company in rows
        if is_matchable(listing, today)
    }
