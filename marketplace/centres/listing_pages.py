"""An advisor posts a listing on a client's behalf (the listings form, posted to the centre's route) or many."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.centres.models import Centre
from marketplace.centres.onboarding import import_client_listings
from marketplace.companies.models import Company
from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_advisor, require_client
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.imports.reader import ImportFileError, read_rows
from marketplace.listings import service
from marketplace.listings.forms import LIST_FIELDS, parse_listing_form
from marketplace.listings.pages import render_listing_form

router = APIRouter(dependencies=[Depends(check_csrf)])


def _form_page(
    request: Request, centre: Centre, company: Company, values: dict, errors: dict, status_code: int = 200
) -> Response:
    return render_listing_form(
        request,
        company=company,
        values=values,
        errors=errors,
        status_code=status_code,
        form_action=f"/centres/{centre.id}/clients/{company.id}/listings/new",
        centre=centre,
    )


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


MAX_IMPORT_BYTES = 5 * 1024 * 1024


@router.get("/centres/{centre_id}/import")
def import_form(request: Request, session: SessionDep, user: RequiredUser, centre_id: int) -> Response:
    require_advisor(session, user, centre_id)
    context = {"centre": session.get(Centre, centre_id), "report": None, "errors": {}}
    return render(request, "centres/import.html", context)


@router.post("/centres/{centre_id}/import")
async def import_upload(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int
) -> Response:
    """An advisor uploads a CSV or JSON Lines file of client listings and gets the per-row report."""
    require_advisor(session, user, centre_id)
    context: dict[str, Any] = {"centre": session.get(Centre, centre_id), "report": None, "errors": {}}
    form = await request.form()
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        context["errors"] = {"file": N_("Choose a .csv or .jsonl file.")}
        return render(request, "centres/import.html", context, status_code=422)
    content = await upload.read(MAX_IMPORT_BYTES + 1)  # type: ignore[union-attr]
    suffix = Path(upload.filename).suffix.lower()  # type: ignore[union-attr,arg-type]
    if len(content) > MAX_IMPORT_BYTES or suffix not in (".csv", ".jsonl"):
        context["errors"] = {"file": N_("Use a .csv or .jsonl file of at most 5 MB.")}
        return render(request, "centres/import.html", context, status_code=422)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            context["report"] = import_client_listings(
                session, user, centre_id, read_rows(path), today=utcnow().date()
            )
        except ImportFileError:
            context["errors"] = {
                "file": N_("This file cannot be read: use UTF-8 CSV with a header row, or JSON Lines.")
            }
            return render(request, "centres/import.html", context, status_code=422)
    return render(request, "centres/import.html", context)
