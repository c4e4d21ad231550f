"""Company pages: the public profile, the team (members, invitations) and accepting an invitation."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.companies import service, teams
from marketplace.companies.forms import PROFILE_LANGUAGES, company_form_values, parse_company_form
from marketplace.companies.models import Company
from marketplace.core.codes import CERTIFICATIONS, SECTORS
from marketplace.core.deps import CurrentUser, RequiredUser, SessionDep, SettingsDep, check_csrf
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_member_or_advisor, require_owner
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.imports.reader import ImportFileError, read_rows
from marketplace.imports.service import import_listings_for_company
from marketplace.listings.forms import OAS_COUNTRIES
from marketplace.listings.service import company_listings_by_status, inquiry_counts, needs_renewal
from search.taxonomy.hs import hs_taxonomy

router = APIRouter(dependencies=[Depends(check_csrf)])
Text = Annotated[str, Form()]
NOTICES = {
    "company_created": N_("Your company's profile is ready. Now post what you sell or what you need."),
    "profile_saved": N_("The profile has been saved."),
    "invited": N_("Invitation sent."),
    "removed": N_("Removed from the team."),
    "transferred": N_("Ownership handed over. You are now a member of the team."),
    "joined": N_("You have joined the team."),
    "left": N_("You have left the team."),
}


def _profile_form(request: Request, *, company, values, errors, status_code: int = 200) -> Response:  # type: ignore[no-untyped-def]
    context = {
        "company": company,
        "values": values,
        "errors": errors,
        "countries": OAS_COUNTRIES,
        "sectors": SECTORS,
        "certifications": CERTIFICATIONS,
        "profile_languages": PROFILE_LANGUAGES,
    }
    return render(request, "companies/form.html", context, status_code=status_code)


@router.get("/companies/new")
def new_company(request: Request, user: RequiredUser) -> Response:
    return _profile_form(request, company=None, values={"languages": [request.state.language]}, errors={})


@router.post("/companies/new")
async def create_company(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    form = await request.form()
    try:
        _, data = parse_company_form(form)
    except ValidationError as exc:
        return _profile_form(
            request, company=None, values=exc.values, errors=field_errors(exc), status_code=422
        )  # type: ignore[attr-defined]
    created = service.create_company(session, user, data)
    return RedirectResponse(f"/dashboard?company={created.id}&notice=company_created", status_code=303)


@router.get("/companies/{company_id}/edit")
def edit_company(request: Request, session: SessionDep, user: RequiredUser, company_id: int) -> Response:
    require_member_or_advisor(session, user, company_id)
    found = session.get(Company, company_id)
    return _profile_form(request, company=found, values=company_form_values(found), errors={})  # type: ignore[arg-type]


@router.post("/companies/{company_id}/edit")
async def save_company(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int
) -> Response:
    require_member_or_advisor(session, user, company_id)
    found = session.get(Company, company_id)
    form = await request.form()
    try:
        _, data = parse_company_form(form)
    except ValidationError as exc:
        return _profile_form(
            request, company=found, values=exc.values, errors=field_errors(exc), status_code=422
        )  # type: ignore[attr-defined]
    service.update_company(session, user, company_id, data)
    return RedirectResponse(f"/companies/{company_id}?notice=profile_saved", status_code=303)


@router.get("/dashboard")
def dashboard(
    request: Request, session: SessionDep, user: RequiredUser, company: int | None = None
) -> Response:
    """The signed-in user's companies and their listings by status, with views and inquiries."""
    companies = service.companies_of(session, user)
    if not companies:
        return render(request, "companies/dashboard.html", {"companies": [], "notice": _notice(request)})
    chosen = next((c for c, _ in companies if c.id == company), companies[0][0])
    groups = company_listings_by_status(session, chosen.id, today=utcnow().date())  # type: ignore[arg-type]
    ids = [listing.id for listing_group in groups.values() for listing in listing_group]
    context = {
        "companies": companies,
        "company": chosen,
        "groups": groups,
        "inquiries": inquiry_counts(session, ids),  # type: ignore[arg-type]
        "renewable": {
            listing.id
            for group in groups.values()
            for listing in group
            if needs_renewal(listing, utcnow().date())
        },
        "notice": _notice(request),
    }
    return render(request, "companies/dashboard.html", context)


@router.get("/companies/{company_id}")
def company(request: Request, session: SessionDep, user: CurrentUser, company_id: int) -> Response:
    page = service.company_page(session, company_id, user)
    return render(
        request, "companies/company.html", {"page": page, "hs": hs_taxonomy(), "notice": _notice(request)}
    )


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


def _team_page(
    request: Request, session, user, company_id: int, *, errors=None, values=None, status_code=200
):  # type: ignore[no-untyped-def]
    view = teams.team(session, user, company_id)
    context = {
        "team": view,
        "errors": errors or {},
        "values": values or {"role": "member"},
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    return render(request, "companies/team.html", context, status_code=status_code)


@router.get("/companies/{company_id}/team")
def team(request: Request, session: SessionDep, user: RequiredUser, company_id: int) -> Response:
    return _team_page(request, session, user, company_id)


@router.post("/companies/{company_id}/team/invite")
def invite(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: RequiredUser,
    company_id: int,
    email: Text = "",
    role: Text = "member",
) -> Response:
    try:
        teams.invite(
            session,
            user,
            company_id,
            email=email,
            role=role,
            base_url=settings.base_url,
            language=request.state.language,
        )
    except InvalidInput as exc:
        values = {"email": email, "role": role}
        errors = exc.fields or {"email": exc.message}
        return _team_page(request, session, user, company_id, errors=errors, values=values, status_code=422)
    return RedirectResponse(f"/companies/{company_id}/team?notice=invited", status_code=303)


@router.post("/companies/{company_id}/team/{member_id}/remove")
def remove(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int, member_id: int
) -> Response:
    try:
        teams.remove_member(session, user, company_id, member_id)
    except InvalidInput as exc:
        return _team_page(request, session, user, company_id, errors={"team": exc.message}, status_code=422)
    if member_id == user.id:
        return RedirectResponse("/account?notice=profile_saved", status_code=303)
    return RedirectResponse(f"/companies/{company_id}/team?notice=removed", status_code=303)


@router.post("/companies/{company_id}/team/{member_id}/make-owner")
def make_owner(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int, member_id: int
) -> Response:
    teams.transfer_ownership(session, user, company_id, member_id)
    return RedirectResponse(f"/companies/{company_id}/team?notice=transferred", status_code=303)


@router.post("/companies/{company_id}/invitations/{invitation_id}/cancel")
def cancel_invitation(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int, invitation_id: int
) -> Response:
    teams.remove_invitation(session, user, company_id, invitation_id)
    return RedirectResponse(f"/companies/{company_id}/team", status_code=303)


@router.get("/invitations/accept")
def invitation(request: Request, session: SessionDep, user: CurrentUser, token: str = "") -> Response:
    try:
        found, company = teams.pending_invitation(session, token)
    except DomainError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    context = {"invitation": found, "company": company, "token": token, "errors": {}}
    return render(request, "companies/invitation.html", context)


@router.post("/invitations/accept")
def accept(request: Request, session: SessionDep, user: RequiredUser, token: Text = "") -> Response:
    try:
        company = teams.accept_invitation(session, user, token)
    except teams.InvitationError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    return RedirectResponse(f"/companies/{company.id}/team?notice=joined", status_code=303)


MAX_IMPORT_BYTES = 5 * 1024 * 1024


@router.get("/companies/{company_id}/import")
def import_form(request: Request, session: SessionDep, user: RequiredUser, company_id: int) -> Response:
    require_owner(session, user, company_id)
    return render(
        request,
        "companies/import.html",
        {"company": session.get(Company, company_id), "report": None, "errors": {}},
    )


@router.post("/companies/{company_id}/import")
async def import_upload(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int
) -> Response:
    """Owners upload a CSV or JSON Lines file of listings and get the per-row report."""
    require_owner(session, user, company_id)
    company = session.get(Company, company_id)
    form = await request.form()
    upload = form.get("file")
    context = {"company": company, "report": None, "errors": {}}
    if upload is None or not getattr(upload, "filename", ""):
        context["errors"] = {"file": N_("Choose a .csv or .jsonl file.")}
        return render(request, "companies/import.html", context, status_code=422)
    content = await upload.read(MAX_IMPORT_BYTES + 1)  # type: ignore[union-attr]
    suffix = Path(upload.filename).suffix.lower()  # type: ignore[union-attr,arg-type]
    if len(content) > MAX_IMPORT_BYTES or suffix not in (".csv", ".jsonl"):
        context["errors"] = {"file": N_("Use a .csv or .jsonl file of at most 5 MB.")}
        return render(request, "companies/import.html", context, status_code=422)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            report = import_listings_for_company(
                session, read_rows(path), company=company, today=utcnow().date()
            )  # type: ignore[arg-type]
        except ImportFileError:
            context["errors"] = {
                "file": N_("This file cannot be read: use UTF-8 CSV with a header row, or JSON Lines.")
            }
            return render(request, "companies/import.html", context, status_code=422)
    context["report"] = report
    return render(request, "companies/import.html", context)
