"""JSON API for listings (read-only until the listings feature adds writes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from marketplace.companies.models import Company
from marketplace.core.deps import PageDep, SessionDep
from marketplace.core.models import utcnow
from marketplace.listings import repository
from marketplace.listings.models import Listing

router = APIRouter(prefix="/api/v1/listings", tags=["listings"])


class CompanySummary(BaseModel):
    id: int
    name: str
    country: str


class ListingOut(BaseModel):
    id: int
    kind: str
    title: str
    description: str
    language: str
    hs_code: str | None
    unspsc_code: str | None
    quantity: Decimal | None
    unit: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    currency: str | None
    incoterm: str | None
    valid_until: date | None
    published_at: datetime | None
    company: CompanySummary

    @classmethod
    def build(cls, listing: Listing, company: Company) -> ListingOut:
        data = listing.model_dump()
        data["company"] = CompanySummary(id=company.id, name=company.name, country=company.country)  # type: ignore[arg-type]
        return cls.model_validate(data)


class ListingPage(BaseModel):
    items: list[ListingOut]
    total: int
    page: int
    per_page: int


@router.get("", response_model=ListingPage)
def list_listings(
    session: SessionDep, paging: PageDep, kind: Literal["offer", "request"] | None = Query(default=None)
) -> ListingPage:
    """Active (published, not past valid_until) listings, newest first."""
    rows, total = repository.page_of_active_listings(
        session, today=utcnow().date(), page=paging.page, per_page=paging.per_page, kind=kind
    )
    return ListingPage(
        items=[ListingOut.build(listing, company) for listing, company in rows],
        total=total,
        page=paging.page,
        per_page=paging.per_page,
    )
