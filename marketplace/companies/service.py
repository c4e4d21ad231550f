"""Company rules: creating and editing profiles, who belongs where, the public company page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Centre
from marketplace.companies.models import Company
from marketplace.companies.schemas import CompanyIn
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_member_or_advisor, require_user
from marketplace.listings.models import Listing
from marketplace.listings.repository import active_condition


def companies_of(session: Session, user: User) -> list[tuple[Company, str]]:
    """The user's companies with their role in each."""
    rows = session.execute(
        select(Company, Membership.role)
        .join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == user.id)
        .order_by(Company.name)
    ).all()
    return [(company, role) for company, role in rows]


def create_company(session: Session, user: User | None, data: CompanyIn) -> Company:
    """Create a company profile; its creator becomes its owner."""
    owner = require_user(user)
    company = Company(**data.model_dump())
    session.add(company)
    session.flush()
    session.add(Membership(user_id=owner.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.flush()
    return company


def update_company(session: Session, user: User | None, company_id: int, data: CompanyIn) -> Company:
    """Change the profile (any member of the company, or an advisor acting for a client)."""
    require_member_or_advisor(session, user, company_id)
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("Page not found"))
    for name, value in data.model_dump().items():
        setattr(company, name, value)
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    _resync_listings(session, company_id)
    return company


def _resync_listings(session: Session, company_id: int) -> None:
    """Listings carry company facts (name, country, women-led…) into the search index: queue their sync."""
    from marketplace.listings.sync import queue_listing_sync

    for listing in session.execute(select(Listing).where(Listing.company_id == company_id)).scalars():
        listing.version += 1
        session.add(listing)
        queue_listing_sync(session, listing)


@dataclass(frozen=True)
class CompanyPage:
    company: Company
    listings: list[Listing]
    verified_by: Centre | None
    viewer_role: str | None


def _check_not_hidden(session: Session, company_id: int, viewer: User | None) -> None:
    """A company hidden or suspended by moderation: its page exists only for its members and admins."""
    from marketplace.core.permissions import membership
    from marketplace.moderation.repository import company_hidden

    if not company_hidden(session, company_id):
        return
    if viewer is not None and (viewer.is_admin or membership(session, viewer, company_id) is not None):
        return
    raise NotFound(N_("Page not found"))


def company_page(session: Session, company_id: int, viewer: User | None) -> CompanyPage:
    """The public profile with the company's active listings."""
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("Page not found"))
    _check_not_hidden(session, company_id, viewer)
    listings = list(
        session.execute(
            select(Listing)
            .where(Listing.company_id == company_id, active_condition(utcnow().date()))
            .order_by(Listing.published_at.desc())  # type: ignore[union-attr]
        ).scalars()
    )
    verified_by = None
    if company.verified_by_centre_id and company.verified_until and company.verified_until > utcnow():
        verified_by = session.get(Centre, company.verified_by_centre_id)
    role = None
    if viewer is not None:
        role = session.execute(
            select(Membership.role).where(
                Membership.user_id == viewer.id, Membership.company_id == company_id
            )
        ).scalar_one_or_none()
    return CompanyPage(company=company, listings=listings, verified_by=verified_by, viewer_role=role)
