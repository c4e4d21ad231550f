"""An advisor posts a listing on a client's behalf (the listings form, posted to the centre's route)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.centres.models import Centre
from marketplace.companies.models import Company
from marketplace.core.codes import CERTIFICATIONS, INCOTERMS, UNITS
from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import InvalidInput
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_client
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.listings import service
from marketplace.listings.forms import LIST_FIELDS, OAS_COUNTRIES, parse_listing_form
from search.taxonomy.hs import hs_taxonomy
from search.taxonomy.unspsc import unspsc_taxonomy

router = APIRouter(dependencies=[Depends(check_csrf)])


def _form_page(
    request: Request, centre: Centre, company: Company, values: dict, errors: dict, status_code: int = 200
) -> Response:
    query = (values.get("hs_query") or "").strip()
    suggestions: list = []
    if query:
        from search.taxonomy.hs_search import suggest_hs

        suggestions = suggest_hs(query, request.state.language, limit=8)
    context = {
        "centre": centre,
        "company": company,
        "listing": None,
        "values": values,
        "errors": errors,
        "units": UNITS,
        "incoterms": INCOTERMS,
        "certifications": CERTIFICATIONS,
        "countries": OAS_COUNTRIES,
        "hs": hs_taxonomy(),
        "unspsc": unspsc_taxonomy(),
        "service_categories": unspsc_taxonomy().service_codes(),
        "hs_suggestions": suggestions,
    }
    return render(request, "centres/listing_form.html", context, status_code=status_code)


@router.get("/centres/{centre_id}/clients/{company_id}/listings/new")
def new_listing(
    request: Request,
    session: SessionDep,
    user: RequiredUser,
    centre_id: int,
    company_id: int,
    kind: str = "offer",
) -> Response:
    require_client(session, user, centre_id, company_id)
    values = {"kind": kind if kind in ("offer", "request") else "offer", "language": request.state.language}
    return _form_page(request, session.get(Centre, centre_id), session.get(Company, company_id), values, {})  # type: ignore[arg-type]


@router.post("/centres/{centre_id}/clients/{company_id}/listings/new")
async def create_listing(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, company_id: int
) -> Response:
    require_client(session, user, centre_id, company_id)
    centre, company = session.get(Centre, centre_id), session.get(Company, company_id)
    form = await request.form()
    values: dict[str, Any] = {key: form.get(key) for key in form if key not in ("csrf_token", *LIST_FIELDS)}
    for key in LIST_FIELDS:
        values[key] = form.getlist(key)
    if values.get("action") == "find_hs":
        return _form_page(request, centre, company, values, {})  # type: ignore[arg-type]
    try:
        data = parse_listing_form(values)
        created = service.create_listing(session, user, company_id, data, today=utcnow().date())
    except ValidationError as exc:
        return _form_page(request, centre, company, values, field_errors(exc), 422)  # type: ignore[arg-type]
    except InvalidInput as exc:
        return _form_page(request, centre, company, values, exc.fields, 422)  # type: ignore[arg-type]
    return RedirectResponse(
        f"/centres/{centre_id}/clients/{company_id}?notice=created#l-{created.id}", status_code=303
    )
