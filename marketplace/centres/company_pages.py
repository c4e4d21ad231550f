"""The company's side of the relationship: ask a centre, accept its invitation, end it, read the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.centres import service
from marketplace.centres.audit import company_trail
from marketplace.centres.forms import parse_outcome_form
from marketplace.companies.models import Company
from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import membership
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.outcomes.service import company_outcomes, record_outcome

router = APIRouter(dependencies=[Depends(check_csrf)])
NOTICES = {
    "requested": N_("Request sent: the centre's advisors will accept it."),
    "accepted": N_("Your company is now a client of the centre: its advisors can act for it."),
    "ended": N_("The relationship has ended: the centre's advisors no longer act for your company."),
    "outcome": N_("Outcome recorded: your centre's advisors can confirm it."),
}


def _page(  # type: ignore[no-untyped-def]
    request: Request,
    session,
    user,
    company_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    values: dict | None = None,
    errors: dict | None = None,
) -> Response:
    links = service.company_relationships(session, user, company_id)
    own = membership(session, user, company_id)
    context = {
        "company": session.get(Company, company_id),
        "links": links,
        "centres": [
            c
            for c in service.all_centres(session)
            if c.id not in {lk.centre_id for lk, _ in links if lk.status != "ended"}
        ],
        "trail": company_trail(session, company_id),
        "is_owner": own is not None and own.role == "owner",
        "errors": {"centre_id": error} if error else (errors or {}),
        "values": values or {"occurred_on": utcnow().date().isoformat()},
        "outcomes": company_outcomes(session, company_id),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    return render(request, "centres/company_centres.html", context, status_code=status_code)


@router.get("/companies/{company_id}/centres")
def centres(request: Request, session: SessionDep, user: RequiredUser, company_id: int) -> Response:
    return _page(request, session, user, company_id)


@router.post("/companies/{company_id}/centres/request")
async def request_centre(
    request: Request, session: SessionDep, user: RequiredUser, company_id: int
) -> Response:
    form = await request.form()
    try:
        centre_id = int(str(form.get("centre_id") or "0"))
    except ValueError:
        centre_id = 0
    try:
        link = service.request_centre(session, user, company_id, centre_id)
    except DomainError as exc:
        if exc.status_code not in (404, 409) or membership(session, user, company_id) is None:
            raise
        return _page(
            request, session, user, company_id, error=N_("Choose a centre from the list."), status_code=422
        )
    notice = "accepted" if link.status == "active" else "requested"
    return RedirectResponse(f"/companies/{company_id}/centres?notice={notice}", status_code=303)


@router.post("/companies/{company_id}/centres/{centre_id}/accept")
def accept(session: SessionDep, user: RequiredUser, company_id: int, centre_id: int) -> Response:
    service.accept_invitation(session, user, company_id, centre_id)
    return RedirectResponse(f"/companies/{company_id}/centres?notice=accepted", status_code=303)


@router.post("/companies/{company_id}/centres/{centre_id}/end")
def end(session: SessionDep, user: RequiredUser, company_id: int, centre_id: int) -> Response:
    from marketplace.core.permissions import require_owner

    require_owner(session, user, company_id)
    service.end_relationship(session, user, centre_id, company_id)
    return RedirectResponse(f"/companies/{company_id}/centres?notice=ended", status_code=303)


@router.post("/companies/{company_id}/outcomes")
async def record(request: Request, session: SessionDep, user: RequiredUser, company_id: int) -> Response:
    """Any member records a deal; the centre's advisors confirm or correct the same record."""
    from marketplace.core.permissions import require_member

    require_member(session, user, company_id)
    form = await request.form()
    values = {key: form.get(key) for key in form if key != "csrf_token"}
    try:
        record_outcome(session, user, company_id, parse_outcome_form(values))
    except ValidationError as exc:
        return _page(
            request, session, user, company_id, values=values, errors=field_errors(exc), status_code=422
        )
    return RedirectResponse(f"/companies/{company_id}/centres?notice=outcome", status_code=303)
