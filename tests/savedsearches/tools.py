"""Arranging saved searches: a buyer without a company, sellers' listings in the app's real search index."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from marketplace.savedsearches import service
from marketplace.savedsearches.models import SavedSearch
from marketplace.search.sync import sync_listing
from tests.factories import make_company, make_listing
from tests.webtools import make_user


def buyer(session: Session, email: str = "compras@hotel-sol.example") -> User:
    """A registered buyer with no company and no listings (an account a month old)."""
    user = make_user(
        session, email=email, name="Marta Gómez", locale="en", created_at=utcnow() - timedelta(days=30)
    )
    session.commit()
    return user


def owner_of(session: Session, company: Company, email: str) -> User:
    user = make_user(
        session, email=email, name="Jorge Pérez", locale="en", created_at=utcnow() - timedelta(days=30)
    )
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    return user


def publish(
    client: TestClient,
    session: Session,
    *,
    company: Company | None = None,
    published_at: datetime | None = None,
    **fields,
) -> Listing:  # type: ignore[no-untyped-def]
    """A published listing (by default a Colombian offer), committed and taken by the app's search index."""
    company = company or make_company(session, name="Tostadores Andinos", country="CO")
    listing = make_listing(session, company=company, **fields)
    if published_at is not None:
        listing.published_at = published_at
        session.add(listing)
    session.commit()
    sync_listing(session, client.app.state.search, listing.id)  # type: ignore[arg-type,attr-defined]
    return listing


def saved(session: Session, user: User, query: str, *, ago: timedelta = timedelta(0)) -> SavedSearch:
    """A saved search, saved `ago` before now."""
    found = service.save_search(session, user, params=query, name=None, language="en")
    found.created_at = found.checked_up_to = utcnow() - ago
    session.add(found)
    session.commit()
    return found


def searches_of(session: Session, user: User) -> list[SavedSearch]:
    session.commit()
    session.expire_all()  # what the app wrote since, not the objects this session built
    return list(
        session.execute(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        ).scalars()
    )
