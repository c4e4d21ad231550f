"""JSON API for inquiries: send, list, read, reply, close, report as spam, notification settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlmodel import Session

from marketplace.core.deps import (
    PageDep,
    RequiredApiUser,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    check_api_csrf,
    get_api_user,
)
from marketplace.core.models import utcnow
from marketplace.inquiries import limits, notifications, service
from marketplace.inquiries.authors import authors_of
from marketplace.inquiries.inbox import inbox_page
from marketplace.inquiries.models import Inquiry, Message
from marketplace.inquiries.pages import client_ip
from marketplace.inquiries.schemas import CloseIn, InquiryIn, NotificationSettingsIn, ReplyIn

router = APIRouter(
    prefix="/api/v1", tags=["inquiries"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class MessageOut(BaseModel):
    id: int
    sender_user_id: int
    sender_company_id: int | None
    # An advisor acting for sender_company: shown as "<sender_name> for <sender_company_name>".
    acting_centre_id: int | None
    sender_name: str
    sender_company_name: str | None
    body: str
    created_at: datetime


class ContactOut(BaseModel):
    name: str
    email: str | None
    phone: str | None
    whatsapp: str | None


class InquiryOut(BaseModel):
    id: int
    kind: str
    status: str
    outcome: str | None
    listing_id: int
    from_company_id: int | None
    to_company_id: int
    quantity: Decimal | None
    unit: str | None
    price: Decimal | None
    currency: str | None
    delivery_country: str | None
    incoterm: str | None
    needed_by: date | None
    lead_time_days: int | None
    quote_valid_until: date | None
    first_reply_at: datetime | None
    closed_at: datetime | None
    sent_by_advisor: bool
    closed_by_user_id: int | None
    closed_by_company_id: int | None
    closed_by_centre_id: int | None
    created_at: datetime
    side: str | None = None
    acting_for_company_id: int | None = None  # the caller is an advisor acting for this company on `side`
    unread: int | None = None


class ThreadOut(InquiryOut):
    messages: list[MessageOut]
    contact: ContactOut | None  # the other side's, null until the receiving company replies


class InquiryPage(BaseModel):
    items: list[InquiryOut]
    total: int
    page: int
    per_page: int
    unread_total: int  # over all the caller's threads


class SettingsOut(BaseModel):
    email_new_inquiries: bool
    email_replies: bool
    email_matches: bool
    email_saved_searches: bool
    alert_digest: str  # immediate | daily


def _settings_out(choice) -> SettingsOut:  # type: ignore[no-untyped-def]
    return SettingsOut.model_validate(choice, from_attributes=True)


def _inquiry_out(inquiry: Inquiry, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {**inquiry.model_dump(), **extra}


def _messages_out(session: Session, messages: list[Message]) -> list[MessageOut]:
    authors = authors_of(session, messages)
    return [
        MessageOut.model_validate(
            {
                **m.model_dump(),
                "sender_name": authors[m.id].name,  # type: ignore[index]
                "sender_company_name": authors[m.id].company.name if authors[m.id].company else None,  # type: ignore[index, union-attr]
            }
        )
        for m in messages
    ]


def _thread_out(session: Session, access: service.Access, messages: list[Message]) -> ThreadOut:
    from marketplace.moderation.repository import hidden_messages

    hidden = hidden_messages(session, [message.id for message in messages])  # type: ignore[misc]
    if hidden:  # a message hidden by the moderators is gone for the other side; its own side still sees it
        messages = [m for m in messages if m.id not in hidden or m.sender_company_id == access.company_id]
    contact = service.counterpart_contact(session, access)
    return ThreadOut.model_validate(
        _inquiry_out(
            access.inquiry,
            side=access.side,
            acting_for_company_id=access.company_id if access.acting is not None else None,
            messages=_messages_out(session, messages),
            contact=ContactOut.model_validate(contact.__dict__) if contact else None,
        )
    )


@router.post("/listings/{listing_id}/inquiries", response_model=ThreadOut, status_code=201)
def send_inquiry(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: RequiredApiUser,
    listing_id: int,
    body: InquiryIn,
) -> ThreadOut:
    """Start a thread: an inquiry on an offer or a quote on a buy request (limited per user and address)."""
    if session.in_transaction():
        # A token caller was looked up (and its use noted) in this transaction: end it before counting the
        # attempt in a transaction of its own (on SQLite the request's would hold the write lock meanwhile).
        session.commit()
    limits.check_new_thread(request.app.state.engine, user, client_ip(request))
    inquiry = service.send_inquiry(
        session, user, listing_id, body, today=utcnow().date(), base_url=settings.base_url
    )
    access, messages = service.open_thread(session, user, inquiry.id)  # type: ignore[arg-type]
    return _thread_out(session, access, messages)


@router.get("/inquiries", response_model=InquiryPage)
def list_inquiries(session: SessionDep, user: RequiredApiUser, paging: PageDep) -> InquiryPage:
    """The caller's threads (and, for advisors, their clients'), newest activity first, with unread counts."""
    found = inbox_page(session, user, page=paging.page, per_page=paging.per_page)
    items = [
        InquiryOut.model_validate(
            _inquiry_out(
                row.inquiry,
                side=row.side,
                unread=row.unread,
                acting_for_company_id=row.acting_for.id if row.acting_for else None,
            )
        )
        for row in found.items
    ]
    return InquiryPage(
        items=items,
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        unread_total=found.unread_total,
    )


@router.get("/inquiry-settings", response_model=SettingsOut)
def get_settings(session: SessionDep, user: RequiredApiUser) -> SettingsOut:
    """The caller's e-mail choices for inquiries, replies, matches and saved-search hits."""
    return _settings_out(notifications.settings_for(session, user.id))  # type: ignore[arg-type]


@router.put("/inquiry-settings", response_model=SettingsOut)
def put_settings(session: SessionDep, user: RequiredApiUser, body: NotificationSettingsIn) -> SettingsOut:
    """Change the caller's e-mail choices (the fields sent; the others keep their values)."""
    return _settings_out(notifications.save_settings(session, user.id, **body.model_dump()))  # type: ignore[arg-type]


@router.get("/inquiries/{inquiry_id}", response_model=ThreadOut)
def get_thread(session: WriteSessionDep, user: RequiredApiUser, inquiry_id: int) -> ThreadOut:
    """A thread with its messages (marks it read for members); 404 for anyone outside it."""
    access, messages = service.open_thread(session, user, inquiry_id)
    return _thread_out(session, access, messages)


@router.post("/inquiries/{inquiry_id}/messages", response_model=MessageOut, status_code=201)
def post_reply(session: SessionDep, user: RequiredApiUser, inquiry_id: int, body: ReplyIn) -> MessageOut:
    message = service.reply(session, user, inquiry_id, body.message)
    return _messages_out(session, [message])[0]


@router.post("/inquiries/{inquiry_id}/close", response_model=InquiryOut)
def close_thread(session: SessionDep, user: RequiredApiUser, inquiry_id: int, body: CloseIn) -> InquiryOut:
    return InquiryOut.model_validate(_inquiry_out(service.close_thread(session, user, inquiry_id, body)))


@router.post("/inquiries/{inquiry_id}/spam", response_model=InquiryOut)
def report_spam(session: SessionDep, user: RequiredApiUser, inquiry_id: int) -> InquiryOut:
    return InquiryOut.model_validate(_inquiry_out(service.report_spam(session, user, inquiry_id)))
