"""JSON API for listings: read, create, update and the lifecycle actions (publish, close, renew)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from marketplace.companies.models import Company
from marketplace.core.deps import ApiUser, PageDep, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.core.models import utcnow
from marketplace.listings import repository, service
from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn

router = APIRouter(
    prefix="/api/v1", tags=["listings"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class CompanySummary(BaseModel):
    id: int
    name: str
    country: str


class ListingOut(BaseModel):
    id: int
    kind: str
    status: str
    title: str
    description: str
    language: str
    hs_code: str | None
    unspsc_code: str | None
    quantity: Decimal | None
    unit: str | None
    min_order: Decimal | None
    price_min: Decimal | None
    price_max: Decimal | None
    currency: str | None
    incoterm: str | None
    ship_to: list[str]
    accept_from: list[str]
    certifications: list[str]
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


class ListingCreate(ListingIn):
    company_id: int


class HsSuggestionOut(BaseModel):
    code: str
    level: int
    label: str


class HsSuggestions(BaseModel):
    items: list[HsSuggestionOut]


def _out(session: SessionDep, listing: Listing) -> ListingOut:
    return ListingOut.build(listing, session.get(Company, listing.company_id))  # type: ignore[arg-type]


@router.get("/listings", response_model=ListingPage)
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


@router.get("/listings/{listing_id}", response_model=ListingOut)
def get_listing(session: SessionDep, user: ApiUser, listing_id: int) -> ListingOut:
    """One listing: active ones for anyone, drafts and closed ones for their company's members (else 404)."""
    return _out(session, service.listing_for_viewer(session, listing_id, viewer=user, today=utcnow().date()))


@router.post("/listings", response_model=ListingOut, status_code=201)
def create_listing(session: SessionDep, user: RequiredApiUser, body: ListingCreate) -> ListingOut:
    """Create a draft listing for one of the caller's companies."""
    data = ListingIn.model_validate(body.model_dump(exclude={"company_id"}))
    listing = service.create_listing(session, user, body.company_id, data, today=utcnow().date())
    return _out(session, listing)


@router.put("/listings/{listing_id}", response_model=ListingOut)
def update_listing(
    session: SessionDep, user: RequiredApiUser, listing_id: int, body: ListingIn
) -> ListingOut:
    """Replace a listing's content (members of its company)."""
    return _out(session, service.update_listing(session, user, listing_id, body, today=utcnow().date()))


@router.post("/listings/{listing_id}/publish", response_model=ListingOut)
def publish_listing(session: SessionDep, user: RequiredApiUser, listing_id: int) -> ListingOut:
    return _out(session, service.publish_listing(session, user, listing_id, today=utcnow().date()))


@router.post("/listings/{listing_id}/close", response_model=ListingOut)
def close_listing(session: SessionDep, user: RequiredApiUser, listing_id: int) -> ListingOut:
    return _out(session, service.close_listing(session, user, listing_id))


@router.post("/listings/{listing_id}/renew", response_model=ListingOut)
def renew_listing(session: SessionDep, user: RequiredApiUser, listing_id: int) -> ListingOut:
    return _out(session, service.renew_listing(session, user, listing_id, today=utcnow().date()))


@router.get("/hs", response_model=HsSuggestions)
def suggest_hs_codes(
    request: Request, q: str = Query(default="", max_length=200), language: str | None = None
) -> HsSuggestions:
    """HS codes for a product typed in any of es/en/pt/fr; labels in `language` (default: the page's)."""
    from search.taxonomy.hs_search import suggest_hs

    chosen = language if language in ("es", "en", "pt", "fr") else request.state.language
    items = [
        HsSuggestionOut(code=s.code, level=s.level, label=s.label) for s in suggest_hs(q, chosen, limit=8)
    ]
    return HsSuggestions(items=items)
