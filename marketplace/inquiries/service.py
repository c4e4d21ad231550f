"""Rules for inquiries and quotes: who may read a thread, sending, replying, reading, closing, spam reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import CentreClient
from marketplace.companies.models import Company
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import (
    advised_company_ids,
    advising_client,
    consented_client_ids,
    membership,
    require_user,
)
from marketplace.inquiries import notifications
from marketplace.inquiries.models import Inquiry, InquiryRead, Message
from marketplace.inquiries.schemas import CloseIn, InquiryIn
from marketplace.listings.models import Listing
from marketplace.listings.service import is_active
from marketplace.outcomes.models import Outcome

DUPLICATE_WINDOW = timedelta(hours=24)
SPAM_WINDOW = timedelta(days=30)
SPAM_BLOCK = 3  # spam reports within SPAM_WINDOW that stop a sender from starting new threads


class ThreadClosed(DomainError):
    status_code = 409
    code = "thread_closed"


class DuplicateMessage(DomainError):
    status_code = 409
    code = "duplicate_message"


class SenderBlocked(DomainError):
    status_code = 429
    code = "rate_limited"


@dataclass
class Access:
    """How a user takes part in a thread: on the 'sender' or 'receiver' side (a member, or an advisor acting
    for that side's company with its consent), or as a read-only 'advisor' of a client."""

    inquiry: Inquiry
    side: str
    acting: CentreClient | None = None  # the client relationship an advisor acts through

    @property
    def can_write(self) -> bool:
        return self.side in ("sender", "receiver")

    @property
    def company_id(self) -> int | None:
        """The company the user writes for."""
        if self.side == "receiver":
            return self.inquiry.to_company_id
        return self.inquiry.from_company_id if self.side == "sender" else None

    @property
    def is_member(self) -> bool:
        return self.can_write and self.acting is None


def _sender_side(session: Session, user: User, inquiry: Inquiry) -> bool:
    # An advisor who started the thread for a client keeps access only through the client's consent.
    if inquiry.from_user_id == user.id and not inquiry.sent_by_advisor:
        return True
    return (
        inquiry.from_company_id is not None and membership(session, user, inquiry.from_company_id) is not None
    )


def _acting_access(session: Session, user: User, inquiry: Inquiry) -> Access | None:
    """An advisor acting for one side's company (with its consent); None when the user advises neither side
    with consent, or both (an advisor does not negotiate for both companies: they read, the members write)."""
    for_receiver = advising_client(session, user, inquiry.to_company_id)
    for_sender = (
        advising_client(session, user, inquiry.from_company_id)
        if inquiry.from_company_id is not None
        else None
    )
    if for_receiver is not None and for_sender is None:
        return Access(inquiry, "receiver", for_receiver)
    if for_sender is not None and for_receiver is None:
        return Access(inquiry, "sender", for_sender)
    return None


def thread_access(session: Session, user: User | None, inquiry_id: int) -> Access:
    """The user's access to a thread, or NotFound: messages are never public, nor hinted at to others."""
    user = require_user(user)
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None:
        raise NotFound(N_("Page not found"))
    if _sender_side(session, user, inquiry):
        return Access(inquiry, "sender")
    if membership(session, user, inquiry.to_company_id) is not None:
        return Access(inquiry, "receiver")
    acting = _acting_access(session, user, inquiry)
    if acting is not None:
        return acting
    advised = advised_company_ids(session, user)
    if inquiry.to_company_id in advised or (inquiry.from_company_id in advised):
        return Access(inquiry, "advisor")
    raise NotFound(N_("Page not found"))


def writable_thread(session: Session, user: User | None, inquiry_id: int) -> Access:
    access = thread_access(session, user, inquiry_id)
    if not access.can_write:
        # Advisors without the client's consent (or advising both sides) read; they do not write.
        raise NotFound(N_("Page not found"))
    return access


def normalized(text: str) -> str:
    """A message reduced for duplicate detection: case, spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _check_not_duplicate(session: Session, user: User, body: str) -> None:
    since = utcnow() - DUPLICATE_WINDOW
    recent = session.execute(
        select(Message.body).where(Message.sender_user_id == user.id, Message.created_at >= since)
    ).scalars()
    key = normalized(body)
    if any(normalized(previous) == key for previous in recent):
        message = N_("You already sent this message. Write to each company in your own words.")
        raise DuplicateMessage(message, fields={"message": message})


def spam_reports_against(session: Session, user_id: int, *, since: timedelta = SPAM_WINDOW) -> int:
    """How many of the user's threads were reported as spam recently."""
    return session.execute(
        select(func.count())
        .select_from(Inquiry)
        .where(Inquiry.from_user_id == user_id, Inquiry.reported_at >= utcnow() - since)  # type: ignore[operator]
    ).scalar_one()


def send_inquiry(
    session: Session, user: User | None, listing_id: int, data: InquiryIn, *, today: date, base_url: str
) -> Inquiry:
    """Start a thread on an active listing: an inquiry on an offer, a quote on a buy request."""
    user = require_user(user)
    listing = session.get(Listing, listing_id)
    if listing is None or not is_active(listing, today):
        raise NotFound(N_("Page not found"))
    if membership(session, user, listing.company_id) is not None:
        raise InvalidInput(N_("This is your own company's listing."))
    acting = _sending_for(session, user, data.from_company_id, listing)
    if spam_reports_against(session, user.id) >= SPAM_BLOCK:  # type: ignore[arg-type]
        raise SenderBlocked(
            N_("Several of your messages were reported as spam: you cannot start new threads for now.")
        )
    _check_not_duplicate(session, user, data.message)
    values = data.model_dump(exclude={"message", "from_company_id"})
    kind = "inquiry" if listing.kind == "offer" else "quote"
    inquiry = Inquiry(
        kind=kind,
        listing_id=listing.id,  # type: ignore[arg-type]
        from_company_id=data.from_company_id,
        from_user_id=user.id,  # type: ignore[arg-type]
        to_company_id=listing.company_id,
        status="open",
        sent_by_advisor=acting is not None,
        **values,
    )
    session.add(inquiry)
    session.flush()
    message = Message(
        inquiry_id=inquiry.id,  # type: ignore[arg-type]
        sender_user_id=user.id,  # type: ignore[arg-type]
        sender_company_id=data.from_company_id,
        acting_centre_id=acting.centre_id if acting is not None else None,
        body=data.message,
    )
    _add_message(session, inquiry, message)
    recipients = company_user_ids(session, inquiry.to_company_id)
    if acting is None:
        _mark_read(session, user, inquiry, message.id)
    else:  # the client's members learn what their advisor sent for them
        recipients += company_user_ids(session, inquiry.from_company_id)
    notifications.notify_members(session, inquiry, message, kind="new_inquiry", user_ids=recipients)
    return inquiry


def _sending_for(
    session: Session, user: User, company_id: int | None, listing: Listing
) -> CentreClient | None:
    """Whom a new thread is sent for: the user, one of their companies (None), or a client the user advises
    with its consent (the client relationship); another company is refused."""
    if company_id is None or membership(session, user, company_id) is not None:
        return None
    client = advising_client(session, user, company_id)
    if client is None:
        message = N_("Choose one of your companies.")
        raise InvalidInput(message, fields={"from_company_id": message})
    if company_id == listing.company_id:
        raise InvalidInput(N_("This is your own company's listing."))
    if advising_client(session, user, listing.company_id) is not None:
        message = N_("You advise both companies: a member of one of them writes to the other.")
        raise InvalidInput(message, fields={"from_company_id": message})
    return client


def clients_to_send_for(session: Session, user: User, listing: Listing) -> list[Company]:
    """The clients an advisor may start a thread for about this listing, beside the user's own companies
    (none when the listing is a client's own: an advisor does not write for both sides)."""
    clients = consented_client_ids(session, user)
    if not clients or listing.company_id in clients:
        return []
    own = select(Membership.company_id).where(Membership.user_id == user.id)
    return list(
        session.execute(
            select(Company)
            .where(Company.id.in_(clients), Company.id.not_in(own))  # type: ignore[union-attr]
            .order_by(Company.name)
        ).scalars()
    )


def company_user_ids(session: Session, company_id: int | None) -> list[int]:
    if company_id is None:
        return []
    return list(
        session.execute(select(Membership.user_id).where(Membership.company_id == company_id)).scalars()
    )


def reply(session: Session, user: User | None, inquiry_id: int, body: str) -> Message:
    """Add a message; the receiving company's first reply (a member's, or its advisor's acting for it)
    answers the thread and reveals contact details."""
    access = writable_thread(session, user, inquiry_id)
    user = require_user(user)
    inquiry = access.inquiry
    if inquiry.status in ("closed", "spam"):
        raise ThreadClosed(N_("This conversation is closed."))
    _check_not_duplicate(session, user, body)
    message = Message(
        inquiry_id=inquiry.id,  # type: ignore[arg-type]
        sender_user_id=user.id,  # type: ignore[arg-type]
        sender_company_id=access.company_id,
        acting_centre_id=access.acting.centre_id if access.acting is not None else None,
        body=body,
    )
    _add_message(session, inquiry, message)
    if access.side == "receiver" and inquiry.first_reply_at is None:
        inquiry.first_reply_at = message.created_at
        inquiry.status = "answered"
        session.add(inquiry)
    if access.is_member:
        _mark_read(session, user, inquiry, message.id)  # type: ignore[arg-type]
    # The other side hears of it; so does the writer's own company when its advisor wrote for it, and so
    # does the person who started the thread (an advisor only while the client still consents).
    if access.side == "receiver":
        others = company_user_ids(session, inquiry.from_company_id)
        if access.acting is not None:
            others += company_user_ids(session, inquiry.to_company_id)
    else:
        others = company_user_ids(session, inquiry.to_company_id) + company_user_ids(
            session, inquiry.from_company_id
        )
    if _starter_still_takes_part(session, inquiry):
        others.append(inquiry.from_user_id)
    recipients = sorted({uid for uid in others if uid != user.id})
    notifications.notify_members(session, inquiry, message, kind="reply", user_ids=recipients)
    return message


def _starter_still_takes_part(session: Session, inquiry: Inquiry) -> bool:
    if not inquiry.sent_by_advisor:
        return True
    starter = session.get(User, inquiry.from_user_id)
    return advising_client(session, starter, inquiry.from_company_id) is not None  # type: ignore[arg-type]


def _add_message(session: Session, inquiry: Inquiry, message: Message) -> None:
    session.add(message)
    session.flush()
    # Computed in the UPDATE: of two replies committed at once, the newer id stays whatever the order.
    newest = func.coalesce(Inquiry.last_message_id, 0) < message.id
    inquiry.last_message_id = case((newest, message.id), else_=Inquiry.last_message_id)  # type: ignore[assignment]
    session.add(inquiry)
    session.flush()


def _mark_read(session: Session, user: User, inquiry: Inquiry, message_id: int | None) -> None:
    marker = session.execute(
        select(InquiryRead).where(InquiryRead.inquiry_id == inquiry.id, InquiryRead.user_id == user.id)
    ).scalar_one_or_none()
    if marker is None:
        marker = InquiryRead(inquiry_id=inquiry.id, user_id=user.id)  # type: ignore[arg-type]
    if message_id is not None and (marker.last_read_message_id or 0) < message_id:
        marker.last_read_message_id = message_id
    marker.read_at = utcnow()
    session.add(marker)
    session.flush()


def messages_of(session: Session, inquiry_id: int) -> list[Message]:
    return list(
        session.execute(
            select(Message).where(Message.inquiry_id == inquiry_id).order_by(Message.id)
        ).scalars()
    )


def open_thread(session: Session, user: User | None, inquiry_id: int) -> tuple[Access, list[Message]]:
    """A thread for reading; members' read markers move to its last message (an advisor's reading is not
    the company's)."""
    access = thread_access(session, user, inquiry_id)
    messages = messages_of(session, inquiry_id)
    if access.is_member:
        _mark_read(session, user, access.inquiry, messages[-1].id if messages else None)  # type: ignore[arg-type]
    # Each user's own notices only: an advisor's reading leaves the members' notices unread.
    notifications.mark_read(session, user.id, inquiry_id)  # type: ignore[union-attr, arg-type]
    return access, messages


def contacts_revealed(inquiry: Inquiry) -> bool:
    """E-mail, phone and WhatsApp of each side stay hidden until the receiving company has replied."""
    return inquiry.first_reply_at is not None


@dataclass
class Contact:
    name: str
    email: str | None
    phone: str | None
    whatsapp: str | None


def counterpart_contact(session: Session, access: Access) -> Contact | None:
    """The other side's contact details, once revealed (advisors see both sides' through their client)."""
    inquiry = access.inquiry
    if not contacts_revealed(inquiry):
        return None
    if access.side == "sender":
        company = session.get(Company, inquiry.to_company_id)
        return Contact(company.name, company.contact_email, company.phone, company.whatsapp)  # type: ignore[union-attr]
    sender = session.get(User, inquiry.from_user_id)
    company = session.get(Company, inquiry.from_company_id) if inquiry.from_company_id else None
    return Contact(
        company.name if company else sender.display_name,  # type: ignore[union-attr]
        (company.contact_email if company and company.contact_email else sender.email),  # type: ignore[union-attr]
        company.phone if company else None,
        company.whatsapp if company else None,
    )


def close_thread(session: Session, user: User | None, inquiry_id: int, data: CloseIn) -> Inquiry:
    """Close with the outcome; a deal is recorded as an Outcome of each company for its centre's reports."""
    access = writable_thread(session, user, inquiry_id)
    inquiry = access.inquiry
    if inquiry.status in ("closed", "spam"):
        raise ThreadClosed(N_("This conversation is closed."))
    inquiry.status = "closed"
    inquiry.outcome = data.outcome
    inquiry.closed_at = utcnow()
    inquiry.closed_by_user_id = user.id  # type: ignore[union-attr]
    inquiry.closed_by_company_id = access.company_id
    inquiry.closed_by_centre_id = access.acting.centre_id if access.acting is not None else None
    session.add(inquiry)
    if data.outcome == "deal":
        for company_id in {inquiry.to_company_id, inquiry.from_company_id} - {None}:
            centre_id = (
                session.execute(
                    select(CentreClient.centre_id).where(
                        CentreClient.company_id == company_id, CentreClient.status == "active"
                    )
                )
                .scalars()
                .first()
            )
            session.add(
                Outcome(
                    company_id=company_id,  # type: ignore[arg-type]
                    centre_id=centre_id,
                    reported_by_user_id=user.id,  # type: ignore[union-attr]
                    inquiry_id=inquiry.id,
                    kind="deal",
                    amount=data.amount,
                    currency=data.currency,
                    occurred_on=utcnow().date(),
                )
            )
    session.flush()
    return inquiry


def report_spam(session: Session, user: User | None, inquiry_id: int) -> Inquiry:
    """The receiving company's members report a thread: hidden from its inbox, counted against the sender
    (a report blocks a sender, so it stays the company's own act, not its advisor's)."""
    access = writable_thread(session, user, inquiry_id)
    if access.side != "receiver" or not access.is_member:
        raise NotFound(N_("Page not found"))
    inquiry = access.inquiry
    inquiry.status = "spam"
    inquiry.reported_at = utcnow()
    session.add(inquiry)
    session.flush()
    from marketplace.moderation.service import record_spam_report  # the admins' queue reviews it

    record_spam_report(session, user, inquiry)  # type: ignore[arg-type]
    return inquiry
