"""Company rules: who belongs where, and the public company page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Centre
from marketplace.companies.models import Company
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
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


@dataclass(frozen=True)
class CompanyPage:
    company: Company
    listings: list[Listing]
    verified_by: Centre | None
    viewer_role: str | None


def company_page(session: Session, company_id: int, viewer: User | None) -> CompanyPage:
    """The public profile with the company's active listings."""
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("Page not found"))
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
