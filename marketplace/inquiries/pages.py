"""HTML pages for inquiries: the inquiry / quote form, the inbox, a thread, replies, closing, spam, settings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from pydantic import ValidationError

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.companies.service import companies_of
from marketplace.core.codes import INCOTERMS, UNITS
from marketplace.core.deps import PageDep, RequiredUser, SessionDep, SettingsDep, WriteSessionDep, check_csrf
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.inquiries import limits, notifications, service
from marketplace.inquiries.authors import authors_of, closed_by
from marketplace.inquiries.inbox import inbox_page
from marketplace.inquiries.schemas import CloseIn, InquiryIn
from marketplace.inquiries.trust import response_stats_for_page
from marketplace.listings.forms import OAS_COUNTRIES
from marketplace.listings.models import Listing
from marketplace.listings.service import is_active
from marketplace.notifications.models import NotificationSettings
from marketplace.notifications.service import SETTING_FIELDS

router = APIRouter(dependencies=[Depends(check_csrf)])
NOTICES = {
    "sent": N_("Sent. You will be notified when the company answers."),
    "replied": N_("Reply sent."),
    "closed": N_("The conversation is closed and its outcome recorded."),
    "spam": N_("Reported as spam: the conversation is hidden from your inbox."),
    "settings": N_("Notification settings saved."),
}
FORM_FIELDS = (
    "message", "from_company_id", "quantity", "unit", "price", "currency", "delivery_country", "incoterm",
    "needed_by", "lead_time_days", "quote_valid_until",
)  # fmt: skip


def install_template_globals(templates: Jinja2Templates) -> None:
    """`inquiry_trust(company_id)` for the listing and company pages' includes."""

    @pass_context
    def inquiry_trust(context: Any, company_id: int):  # type: ignore[no-untyped-def]
        return response_stats_for_page(context["request"].app.state.engine, company_id)

    templates.env.globals["inquiry_trust"] = inquiry_trust


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


def _form_page(
    request: Request,
    session: SessionDep,
    user: RequiredUser,
    listing: Listing,
    values: dict,
    errors: dict,
    status_code: int = 200,
) -> Response:
    context = {
        "listing": listing,
        "company": session.get(Company, listing.company_id),
        "my_companies": [company for company, _ in companies_of(session, user)],
        "client_companies": service.clients_to_send_for(session, user, listing),
        "values": values,
        "errors": errors,
        "units": UNITS,
        "incoterms": INCOTERMS,
        "countries": OAS_COUNTRIES,
    }
    return render(request, "inquiries/form.html", context, status_code=status_code)


def _open_listing(session: SessionDep, listing_id: int) -> Listing:
    listing = session.get(Listing, listing_id)
    if listing is None or not is_active(listing, utcnow().date()):
        raise NotFound(N_("Page not found"))
    return listing


@router.get("/listings/{listing_id}/inquire")
def inquiry_form(request: Request, session: SessionDep, user: RequiredUser, listing_id: int) -> Response:
    listing = _open_listing(session, listing_id)
    return _form_page(request, session, user, listing, {}, {})


def parse_inquiry_form(values: dict[str, Any]) -> InquiryIn:
    data = {name: value.strip() for name, value in values.items() if isinstance(value, str) and value.strip()}
    return InquiryIn.model_validate(data)


@router.post("/listings/{listing_id}/inquire")
async def send_inquiry(
    request: Request, session: SessionDep, settings: SettingsDep, user: RequiredUser, listing_id: int
) -> Response:
    form = await request.form()
    values = {name: form.get(name) for name in FORM_FIELDS if form.get(name) is not None}
    try:
        data = parse_inquiry_form(values)
        limits.check_new_thread(request.app.state.engine, user, client_ip(request))  # before any statement
        inquiry = service.send_inquiry(
            session, user, listing_id, data, today=utcnow().date(), base_url=settings.base_url
        )
    except ValidationError as exc:
        listing = _open_listing(session, listing_id)
        return _form_page(request, session, user, listing, values, field_errors(exc), status_code=422)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        session.rollback()
        listing = _open_listing(session, listing_id)
        errors = {**exc.fields, "form": exc.message}
        return _form_page(request, session, user, listing, values, errors, status_code=exc.status_code)
    return RedirectResponse(f"/inquiries/{inquiry.id}?notice=sent", status_code=303)


@router.get("/inquiries")
def inbox(request: Request, session: SessionDep, user: RequiredUser, paging: PageDep) -> Response:
    found = inbox_page(session, user, page=paging.page, per_page=paging.per_page)
    return render(request, "inquiries/inbox.html", {"inbox": found, "notice": _notice(request)})


@router.get("/inquiries/settings")
def settings_page(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    choice = notifications.settings_for(session, user.id)  # type: ignore[arg-type]
    context = {"choice": choice, "notice": _notice(request), "errors": {}}
    return render(request, "inquiries/settings.html", context)


@router.post("/inquiries/settings")
async def save_settings(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    form = await request.form()
    # One page for every kind of e-mail (inquiries, replies, matches, saved searches); unchecked boxes send
    # nothing, so each is read as on ("1") or off.
    choices = {name: form.get(name) == "1" for name in SETTING_FIELDS}
    period = form.get("alert_digest")
    try:
        notifications.save_settings(
            session,
            user.id,  # type: ignore[arg-type]
            **choices,
            alert_digest=period if isinstance(period, str) else None,
        )
    except DomainError as exc:
        session.rollback()
        choice = NotificationSettings(user_id=user.id, **choices)
        context = {"choice": choice, "errors": {**exc.fields, "form": exc.message}}
        return render(request, "inquiries/settings.html", context, status_code=exc.status_code)
    return RedirectResponse("/inquiries/settings?notice=settings", status_code=303)


def _thread_page(
    request: Request,
    session: SessionDep,
    user: RequiredUser,
    inquiry_id: int,
    *,
    values: dict,
    errors: dict,
    status_code: int = 200,
) -> Response:
    access, messages = service.open_thread(session, user, inquiry_id)
    inquiry = access.inquiry
    context = {
        "inquiry": inquiry,
        "access": access,
        "acting_for": session.get(Company, access.company_id) if access.acting is not None else None,
        "messages": messages,
        "authors": authors_of(session, messages),
        "closed_by": closed_by(session, inquiry),
        "listing": session.get(Listing, inquiry.listing_id),
        "to_company": session.get(Company, inquiry.to_company_id),
        "from_company": session.get(Company, inquiry.from_company_id) if inquiry.from_company_id else None,
        "from_user": session.get(User, inquiry.from_user_id),
        "contact": service.counterpart_contact(session, access),
        "values": values,
        "errors": errors,
        "notice": _notice(request),
    }
    return render(request, "inquiries/thread.html", context, status_code=status_code)


@router.get("/inquiries/{inquiry_id}")
def thread(request: Request, session: WriteSessionDep, user: RequiredUser, inquiry_id: int) -> Response:
    # Opening a thread moves the read marker: a write on GET.
    return _thread_page(request, session, user, inquiry_id, values={}, errors={})


@router.post("/inquiries/{inquiry_id}/reply")
async def reply(request: Request, session: SessionDep, user: RequiredUser, inquiry_id: int) -> Response:
    form = await request.form()
    body = str(form.get("message") or "").strip()
    try:
        if not body:
            message = N_("Write a message.")
            raise DomainError(message, fields={"message": message})
        if len(body) > 4000:
            message = N_("A message can have 4000 characters at most.")
            raise DomainError(message, fields={"message": message})
        service.reply(session, user, inquiry_id, body)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        session.rollback()
        errors = {**exc.fields, "form": exc.message}
        return _thread_page(
            request,
            session,
            user,
            inquiry_id,
            values={"message": body},
            errors=errors,
            status_code=exc.status_code if exc.status_code != 400 else 422,
        )
    return RedirectResponse(f"/inquiries/{inquiry_id}?notice=replied#last", status_code=303)


@router.post("/inquiries/{inquiry_id}/close")
async def close(request: Request, session: SessionDep, user: RequiredUser, inquiry_id: int) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in ("outcome", "amount", "currency")}
    try:
        data = CloseIn.model_validate({k: v for k, v in values.items() if v})
        service.close_thread(session, user, inquiry_id, data)
    except ValidationError as exc:
        return _thread_page(
            request, session, user, inquiry_id, values=values, errors=field_errors(exc), status_code=422
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        session.rollback()
        return _thread_page(
            request,
            session,
            user,
            inquiry_id,
            values=values,
            errors={"form": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/inquiries/{inquiry_id}?notice=closed", status_code=303)


@router.post("/inquiries/{inquiry_id}/spam")
def spam(request: Request, session: SessionDep, user: RequiredUser, inquiry_id: int) -> Response:
    service.report_spam(session, user, inquiry_id)
    return RedirectResponse("/inquiries?notice=spam", status_code=303)
