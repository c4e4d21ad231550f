"""HTML pages for listings: home, a listing's page (with its owner's actions), the posting form, lifecycle."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.companies.models import Company
from marketplace.core.codes import CERTIFICATIONS, INCOTERMS, UNITS
from marketplace.core.deps import CurrentUser, RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import membership, require_member
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.listings import service
from marketplace.listings.forms import LIST_FIELDS, OAS_COUNTRIES, listing_form_values, parse_listing_form
from marketplace.listings.models import Listing
from marketplace.media.pages import MEDIA_NOTICES
from marketplace.media.service import media_for_listing
from search.taxonomy.hs import hs_taxonomy
from search.taxonomy.unspsc import unspsc_taxonomy

router = APIRouter(dependencies=[Depends(check_csrf)])
NOTICES = {
    "account_deleted": N_("Your account and its personal data have been deleted."),
    "created": N_("Draft saved. Check it below, then publish it."),
    "saved": N_("Changes saved."),
    "published": N_("Published: your listing is now visible to everyone."),
    "closed": N_("The listing is closed and no longer visible."),
    "renewed": N_("Renewed: the listing is valid for another 90 days."),
    **MEDIA_NOTICES,
}


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    listings = service.latest_active_listings(session, today=utcnow().date(), limit=24)
    return render(
        request, "home.html", {"listings": listings, "hs": hs_taxonomy(), "notice": _notice(request)}
    )


@router.get("/listings/{listing_id}")
def listing(request: Request, session: SessionDep, user: CurrentUser, listing_id: int) -> Response:
    today = utcnow().date()
    found = service.listing_for_viewer(session, listing_id, viewer=user, today=today)
    if service.counts_as_view(session, found, user):
        service.record_view(request.app.state.engine, found.id)  # type: ignore[arg-type]
    is_member = membership(session, user, found.company_id) is not None
    context = {
        "listing": found,
        "company": session.get(Company, found.company_id),
        "hs": hs_taxonomy(),
        "unspsc": unspsc_taxonomy(),
        "can_edit": is_member,
        "is_active": service.is_active(found, today),
        "needs_renewal": is_member and service.needs_renewal(found, today),
        "media": media_for_listing(session, found.id),  # type: ignore[arg-type]
        "notice": _notice(request),
    }
    return render(request, "listings/listing.html", context)


def render_listing_form(
    request: Request,
    *,
    company: Company,
    values: dict[str, Any],
    errors: dict[str, str],
    listing: Listing | None = None,
    status_code: int = 200,
    form_action: str | None = None,
    centre: Any = None,
) -> Response:
    """The posting form; an advisor's form posts to `form_action` and says whose centre posts it."""
    context = {
        "company": company,
        "listing": listing,
        "form_action": form_action,
        "centre": centre,
        "values": values,
        "errors": errors,
        "units": UNITS,
        "incoterms": INCOTERMS,
        "certifications": CERTIFICATIONS,
        "countries": OAS_COUNTRIES,
        "hs": hs_taxonomy(),
        "unspsc": unspsc_taxonomy(),
        "service_categories": unspsc_taxonomy().service_codes(),
        "hs_suggestions": _hs_suggestions(values, request.state.language),
    }
    return render(request, "listings/form.html", context, status_code=status_code)


def _hs_suggestions(values: dict[str, Any], language: str) -> list:
    """Suggestions for the no-JavaScript code finder (the "Find the code" button re-renders the form)."""
    query = (values.get("hs_query") or "").strip()
    if not query:
        return []
    from search.taxonomy.hs_search import suggest_hs

    return suggest_hs(query, language, limit=8)


async def _submitted(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {key: form.get(key) for key in form if key not in ("csrf_token", *LIST_FIELDS)}
    for key in LIST_FIELDS:
        values[key] = form.getlist(key)
    return values


@router.get("/companies/{company_id}/listings/new")
def new_listing(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int, kind: str = "offer"
) -> Response:
    require_member(session, user, company_id)
    company = session.get(Company, company_id)
    values = {"kind": kind if kind in ("offer", "request") else "offer", "language": request.state.language}
    return render_listing_form(request, company=company, values=values, errors={})  # type: ignore[arg-type]


@router.post("/companies/{company_id}/listings/new")
async def create_listing(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int
) -> Response:
    require_member(session, user, company_id)
    company = session.get(Company, company_id)
    values = await _submitted(request)
    if values.get("action") == "find_hs":
        return render_listing_form(request, company=company, values=values, errors={})  # type: ignore[arg-type]
    try:
        data = parse_listing_form(values)
        created = service.create_listing(session, user, company_id, data, today=utcnow().date())
    except ValidationError as exc:
        return render_listing_form(
            request, company=company, values=values, errors=field_errors(exc), status_code=422
        )  # type: ignore[arg-type]
    except InvalidInput as exc:
        return render_listing_form(
            request, company=company, values=values, errors=exc.fields, status_code=422
        )  # type: ignore[arg-type]
    return RedirectResponse(f"/listings/{created.id}?notice=created", status_code=303)


@router.get("/listings/{listing_id}/edit")
def edit_listing(request: Request, session: SessionDep, user: RequiredUser, listing_id: int) -> Response:
    found = service.editable_listing(session, user, listing_id)
    company = session.get(Company, found.company_id)
    return render_listing_form(
        request, company=company, values=listing_form_values(found), errors={}, listing=found
    )  # type: ignore[arg-type]


@router.post("/listings/{listing_id}/edit")
async def save_listing(
    request: Request, session: SessionDep, user: RequiredUser, listing_id: int
) -> Response:
    found = service.editable_listing(session, user, listing_id)
    company = session.get(Company, found.company_id)
    values = await _submitted(request)
    if values.get("action") == "find_hs":
        return render_listing_form(request, company=company, values=values, errors={}, listing=found)  # type: ignore[arg-type]
    try:
        data = parse_listing_form(values)
        service.update_listing(session, user, listing_id, data, today=utcnow().date())
    except ValidationError as exc:
        errors = field_errors(exc)
        return render_listing_form(
            request, company=company, values=values, errors=errors, listing=found, status_code=422
        )  # type: ignore[arg-type]
    except DomainError as exc:
        errors = exc.fields or {"form": exc.message}
        return render_listing_form(
            request, company=company, values=values, errors=errors, listing=found, status_code=exc.status_code
        )  # type: ignore[arg-type]
    return RedirectResponse(f"/listings/{listing_id}?notice=saved", status_code=303)


def _lifecycle(
    request: Request, session: SessionDep, user: RequiredUser, listing_id: int, action: str
) -> Response:
    today = utcnow().date()
    actions = {
        "publish": lambda: service.publish_listing(session, user, listing_id, today=today),
        "close": lambda: service.close_listing(session, user, listing_id),
        "renew": lambda: service.renew_listing(session, user, listing_id, today=today),
    }
    actions[action]()
    notice = {"publish": "published", "close": "closed", "renew": "renewed"}[action]
    return RedirectResponse(f"/listings/{listing_id}?notice={notice}", status_code=303)


@router.post("/listings/{listing_id}/publish")
def publish(request: Request, session: SessionDep, user: RequiredUser, listing_id: int) -> Response:
    return _lifecycle(request, session, user, listing_id, "publish")


@router.post("/listings/{listing_id}/close")
def close(request: Request, session: SessionDep, user: RequiredUser, listing_id: int) -> Response:
    return _lifecycle(request, session, user, listing_id, "close")


@router.post("/listings/{listing_id}/renew")
def renew(request: Request, session: SessionDep, user: RequiredUser, listing_id: int) -> Response:
    return _lifecycle(request, session, user, listing_id, "renew")
