"""HTML pages for listings: the home page (newest listings) and a listing's own page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from marketplace.companies.models import Company
from marketplace.core.deps import CurrentUser, SessionDep
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.templating import render
from marketplace.listings.service import latest_active_listings, listing_for_viewer
from search.taxonomy.hs import hs_taxonomy
from search.taxonomy.unspsc import unspsc_taxonomy

router = APIRouter()
NOTICES = {"account_deleted": N_("Your account and its personal data have been deleted.")}


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    listings = latest_active_listings(session, today=utcnow().date(), limit=24)
    context = {
        "listings": listings,
        "hs": hs_taxonomy(),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    return render(request, "home.html", context)


@router.get("/listings/{listing_id}")
def listing(request: Request, session: SessionDep, user: CurrentUser, listing_id: int) -> Response:
    found = listing_for_viewer(
        session, listing_id, viewer_company_ids=_company_ids(session, user), today=utcnow().date()
    )
    company = session.get(Company, found.company_id)
    context = {"listing": found, "company": company, "hs": hs_taxonomy(), "unspsc": unspsc_taxonomy()}
    return render(request, "listings/listing.html", context)
