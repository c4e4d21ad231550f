"""HTML pages for advisors: the centre dashboard, the portfolio, a client's page, the review queue, outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.centres import service
from marketplace.centres.audit import company_trail
from marketplace.centres.charts import bar_chart
from marketplace.centres.forms import parse_outcome_form
from marketplace.centres.models import VERIFICATION_CHECKS, Centre
from marketplace.centres.verification import verifications_of, verify_client
from marketplace.companies.models import Company
from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_advisor, require_client
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.listings import service as listings
from marketplace.outcomes import service as outcomes

router = APIRouter(dependencies=[Depends(check_csrf)])
NOTICES = {
    "invited": N_("Invitation sent: the company becomes a client when its owner accepts."),
    "accepted": N_("The company is now a client of the centre."),
    "ended": N_("The relationship has ended: the centre's advisors no longer act for this company."),
    "verified": N_("The company is marked verified by the centre."),
    "outcome": N_("Outcome recorded."),
    "confirmed": N_("Outcome confirmed."),
    "approved": N_("Approved: the listing is now public."),
    "sent_back": N_("Sent back to the company with your reason."),
    "submitted": N_("Submitted: the listing waits for review by another advisor of the centre."),
    "published": N_("Published: the listing is now visible to everyone."),
}
CHECK_LABELS = {
    "tax_id": N_("Tax ID checked"),
    "visit": N_("Premises visited"),
    "documents": N_("Documents seen"),
    "references": N_("References checked"),
}


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {key: form.get(key) for key in form if key != "csrf_token"}
    values["checks"] = form.getlist("checks")
    return values


def _period(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    def parse(text: str | None) -> date | None:
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    return parse(since), parse(until)


@router.get("/centres")
def my_centres(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    centres = service.centres_of(session, user)
    if not centres:
        raise NotFound(N_("Page not found"))
    if len(centres) == 1:
        return RedirectResponse(f"/centres/{centres[0].id}", status_code=303)
    return render(request, "centres/choose.html", {"centres": centres})


@router.get("/centres/{centre_id}")
def dashboard(
    request: Request,
    session: SessionDep,
    user: RequiredUser,
    centre_id: int,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    clients = service.portfolio(session, user, centre_id)
    centre = session.get(Centre, centre_id)
    queue = service.review_queue(session, user, centre_id)
    start, end = _period(since, until)
    rows = outcomes.centre_outcomes(session, user, centre_id, since=start, until=end)
    sums = outcomes.sum_outcomes(rows)
    active_ids = [row.company.id for row in clients if row.link.status == "active"]
    activity = outcomes.client_activity(session, active_ids)  # type: ignore[arg-type]
    inquiries_per_month, matches_per_month = outcomes.monthly_activity(session, active_ids)  # type: ignore[arg-type]
    charts = {
        "deals": bar_chart(
            [(m, t.count) for m, t in sums.by_month.items()], title=_t(request, N_("Outcomes per month"))
        ),
        "inquiries": bar_chart(
            list(inquiries_per_month.items()),
            title=_t(request, N_("Inquiries received by clients per month")),
        ),
        "matches": bar_chart(
            list(matches_per_month.items()), title=_t(request, N_("Matches found for clients per month"))
        ),
        "publish": bar_chart(
            list(service.median_hours_to_publish_by_month(session, centre_id).items()),
            title=_t(request, N_("Median hours from submission to publication, per month")),
            unit=" h",
        ),
    }
    sales = {
        currency: bar_chart(
            points, title=_t(request, N_("Amounts per month in %(currency)s")) % {"currency": currency}
        )
        for currency, points in outcomes.amounts_by_month(sums).items()
    }
    context = {
        "sales": sales,
        "centre": centre,
        "clients": clients,
        "queue": queue,
        "median": service.median_time_to_publish(session, centre_id),
        "sums": sums,
        "activity": activity,
        "charts": charts,
        "since": since or "",
        "until": until or "",
        "errors": {},
        "values": {},
        "notice": _notice(request),
    }
    return render(request, "centres/dashboard.html", context)


def _t(request: Request, message: str) -> str:
    from marketplace.core.i18n import translations

    return translations(getattr(request.state, "language", "en")).gettext(message)


@router.post("/centres/{centre_id}/clients/invite")
async def invite(request: Request, session: SessionDep, user: RequiredUser, centre_id: int) -> Response:
    require_advisor(session, user, centre_id)
    values = await _form(request)
    try:
        company_id = int(str(values.get("company_id") or "").strip().rsplit("/", 1)[-1])
    except ValueError:
        company_id = 0
    try:
        service.invite_company(session, user, centre_id, company_id)
    except DomainError as exc:
        return _dashboard_error(request, session, user, centre_id, values, exc)
    return RedirectResponse(f"/centres/{centre_id}?notice=invited", status_code=303)


def _dashboard_error(request, session, user, centre_id, values, exc: DomainError) -> Response:  # type: ignore[no-untyped-def]
    centre = session.get(Centre, centre_id)
    context = {
        "centre": centre,
        "clients": service.portfolio(session, user, centre_id),
        "queue": [],
        "median": None,
        "sums": outcomes.sum_outcomes([]),
        "activity": {},
        "charts": {},
        "sales": {},
        "since": "",
        "until": "",
        "values": values,
        "errors": {"company_id": exc.fields.get("company_id") or exc.message},
        "notice": None,
    }
    status = 422 if exc.status_code == 404 else exc.status_code
    return render(request, "centres/dashboard.html", context, status_code=status)


@router.post("/centres/{centre_id}/clients/{company_id}/accept")
def accept(session: SessionDep, user: RequiredUser, centre_id: int, company_id: int) -> Response:
    service.accept_request(session, user, centre_id, company_id)
    return RedirectResponse(f"/centres/{centre_id}/clients/{company_id}?notice=accepted", status_code=303)


@router.post("/centres/{centre_id}/clients/{company_id}/end")
def end(session: SessionDep, user: RequiredUser, centre_id: int, company_id: int) -> Response:
    require_advisor(session, user, centre_id)  # the company's owners end it from their own page
    service.end_relationship(session, user, centre_id, company_id)
    return RedirectResponse(f"/centres/{centre_id}?notice=ended", status_code=303)


def _client_page(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, company_id: int,
    *, values: dict | None = None, errors: dict | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    require_client(session, user, centre_id, company_id)
    today = utcnow().date()
    context = {
        "centre": session.get(Centre, centre_id),
        "company": session.get(Company, company_id),
        "groups": listings.company_listings_by_status(session, company_id, today=today),
        "verifications": verifications_of(session, company_id),
        "verified": service.is_verified(session.get(Company, company_id), utcnow()),  # type: ignore[arg-type]
        "outcomes": [
            r for r in outcomes.centre_outcomes(session, user, centre_id) if r.company.id == company_id
        ],
        "trail": company_trail(session, company_id),
        "checks": [(code, CHECK_LABELS[code]) for code in VERIFICATION_CHECKS],
        "values": values or {"occurred_on": today.isoformat()},
        "errors": errors or {},
        "today": today,
        "notice": _notice(request),
    }
    return render(request, "centres/client.html", context, status_code=status_code)


@router.get("/centres/{centre_id}/clients/{company_id}")
def client(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, company_id: int
) -> Response:
    return _client_page(request, session, user, centre_id, company_id)


@router.post("/centres/{centre_id}/clients/{company_id}/verify")
async def verify(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, company_id: int
) -> Response:
    require_client(session, user, centre_id, company_id)
    values = await _form(request)
    try:
        verify_client(
            session,
            user,
            centre_id,
            company_id,
            checks=values["checks"],
            evidence=str(values.get("evidence") or ""),
        )
    except DomainError as exc:
        return _client_page(
            request, session, user, centre_id, company_id, values=values, errors=exc.fields, status_code=422
        )
    return RedirectResponse(f"/centres/{centre_id}/clients/{company_id}?notice=verified", status_code=303)


@router.post("/centres/{centre_id}/clients/{company_id}/outcomes")
async def record(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, company_id: int
) -> Response:
    require_client(session, user, centre_id, company_id)
    values = await _form(request)
    try:
        outcomes.record_outcome(session, user, company_id, parse_outcome_form(values))
    except ValidationError as exc:
        return _client_page(
            request,
            session,
            user,
            centre_id,
            company_id,
            values=values,
            errors=field_errors(exc),
            status_code=422,
        )
    return RedirectResponse(f"/centres/{centre_id}/clients/{company_id}?notice=outcome", status_code=303)


@router.post("/centres/{centre_id}/clients/{company_id}/listings/{listing_id}/publish")
def submit(
    session: SessionDep, user: RequiredUser, centre_id: int, company_id: int, listing_id: int
) -> Response:
    require_client(session, user, centre_id, company_id)
    found = listings.editable_listing(session, user, listing_id)
    if found.company_id != company_id:
        raise NotFound(N_("Page not found"))
    done = listings.publish_listing(session, user, listing_id, today=utcnow().date())
    notice = "submitted" if done.status == "pending_review" else "published"
    return RedirectResponse(f"/centres/{centre_id}/clients/{company_id}?notice={notice}", status_code=303)


@router.get("/centres/{centre_id}/review")
def review(request: Request, session: SessionDep, user: RequiredUser, centre_id: int) -> Response:
    context = {
        "centre": session.get(Centre, centre_id),
        "queue": service.review_queue(session, user, centre_id),
        "median": service.median_time_to_publish(session, centre_id),
        "errors": {},
        "values": {},
        "notice": _notice(request),
    }
    return render(request, "centres/review.html", context)


@router.post("/centres/{centre_id}/review/{listing_id}/approve")
def approve(session: SessionDep, user: RequiredUser, centre_id: int, listing_id: int) -> Response:
    require_advisor(session, user, centre_id)
    listings.approve_listing(session, user, listing_id)
    return RedirectResponse(f"/centres/{centre_id}/review?notice=approved", status_code=303)


@router.post("/centres/{centre_id}/review/{listing_id}/send-back")
async def send_back(
    request: Request, session: SessionDep, user: RequiredUser, centre_id: int, listing_id: int
) -> Response:
    require_advisor(session, user, centre_id)
    values = await _form(request)
    try:
        listings.send_back_listing(session, user, listing_id, str(values.get("reason") or ""))
    except DomainError as exc:
        if exc.status_code != 422:
            raise
        context = {
            "centre": session.get(Centre, centre_id),
            "queue": service.review_queue(session, user, centre_id),
            "median": service.median_time_to_publish(session, centre_id),
            "errors": {f"reason-{listing_id}": exc.fields.get("reason", exc.message)},
            "values": {f"reason-{listing_id}": values.get("reason") or ""},
            "notice": None,
        }
        return render(request, "centres/review.html", context, status_code=422)
    return RedirectResponse(f"/centres/{centre_id}/review?notice=sent_back", status_code=303)


@router.post("/centres/{centre_id}/outcomes/{outcome_id}/confirm")
def confirm(session: SessionDep, user: RequiredUser, centre_id: int, outcome_id: int) -> Response:
    done = outcomes.confirm_outcome(session, user, centre_id, outcome_id)
    return RedirectResponse(
        f"/centres/{centre_id}/clients/{done.company_id}?notice=confirmed", status_code=303
    )


@router.get("/centres/{centre_id}/outcomes.csv")
def export(
    session: SessionDep,
    user: RequiredUser,
    centre_id: int,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    start, end = _period(since, until)
    rows = outcomes.centre_outcomes(session, user, centre_id, since=start, until=end)
    name = f"outcomes-centre-{centre_id}-{utcnow().date().isoformat()}.csv"
    return Response(
        "\ufeff" + outcomes.export_csv(rows),  # the BOM lets spreadsheet programs read UTF-8 names right
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
