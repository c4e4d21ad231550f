"""Queries over listings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.listings.models import Listing


def active_condition(today: date):  # type: ignore[no-untyped-def]
    """Published and not past valid_until: what visitors may see, even before the expiry job has run."""
    return (
        (Listing.status == "published")
        & or_(Listing.valid_until.is_(None), Listing.valid_until >= today)  # type: ignore[union-attr]
        & Listing.hidden.is_(False)  # type: ignore[attr-defined]  # taken off by moderation
    )


def page_of_active_listings(
    session: Session, *, today: date, page: int, per_page: int, kind: str | None = None
) -> tuple[list[tuple[Listing, Company]], int]:
    """Active listings, newest first, with their companies, and how many there are in all."""
    condition = active_condition(today)
    if kind is not None:
        condition = condition & (Listing.kind == kind)
    total = session.execute(select(func.count()).select_from(Listing).where(condition)).scalar_one()
    rows = session.execute(
        select(Listing, Company)
        .join(Company, Company.id == Listing.company_id)
        .where(condition)
        .order_by(Listing.published_at.desc(), Listing.id.desc())  # type: ignore[union-attr]
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [(listing, company) for listing, company in rows], total


def overdue_published(session: Session, *, today: date) -> list[Listing]:
    return list(
        session.execute(
            select(Listing).where(Listing.status == "published", Listing.valid_until < today)  # type: ignore[operator]
        ).scalars()
    )
