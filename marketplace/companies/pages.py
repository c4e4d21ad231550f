"""Company pages: the public profile, the team (members, invitations) and accepting an invitation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from marketplace.companies import teams
from marketplace.companies.service import company_page
from marketplace.core.deps import CurrentUser, RequiredUser, SessionDep, SettingsDep, check_csrf
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.templating import render
from search.taxonomy.hs import hs_taxonomy

router = APIRouter(dependencies=[Depends(check_csrf)])
Text = Annotated[str, Form()]
NOTICES = {
    "invited": N_("Invitation sent."),
    "removed": N_("Removed from the team."),
    "transferred": N_("Ownership handed over. You are now a member of the team."),
    "joined": N_("You have joined the team."),
    "left": N_("You have left the team."),
}


@router.get("/companies/{company_id}")
def company(request: Request, session: SessionDep, user: CurrentUser, company_id: int) -> Response:
    page = company_page(session, company_id, user)
    return render(request, "companies/company.html", {"page": page, "hs": hs_taxonomy()})


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
