"""HTML pages for listings (the home page lists the newest ones)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from marketplace.core.deps import SessionDep
from marketplace.core.models import utcnow
from marketplace.listings.service import latest_active_listings
from search.taxonomy.hs import hs_taxonomy

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    listings = latest_active_listings(session, today=utcnow().date(), limit=24)
    return request.app.state.templates.TemplateResponse(
        request, "home.html", {"listings": listings, "hs": hs_taxonomy(), "language": "en"}
    )
