"""Rules for inquiries and quotes: who may read a thread, sending, replying, reading, closing, spam reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import CentreClient
from marketplace.companies.models import Company
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import advised_company_ids, membership, require_user
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
    """How a user takes part in a thread: 'sender' or 'receiver' (members) or 'advisor' (read-only)."""

    inquiry: Inquiry
    side: str

    @property
    def can_write(self) -> bool:
        return self.side in ("sender", "receiver")


def _sender_side(session: Session, user: User, inquiry: Inquiry) -> bool:
    if inquiry.from_user_id == user.id:
        return True
    return (
        inquiry.from_company_id is not None and membership(session, user, inquiry.from_company_id) is not None
    )


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
    advised = advised_company_ids(session, user)
    if inquiry.to_company_id in advised or (inquiry.from_company_id in advised):
        return Access(inquiry, "advisor")
    raise NotFound(N_("Page not found"))


def writable_thread(session: Session, user: User | None, inquiry_id: int) -> Access:
    access = thread_access(session, user, inquiry_id)
    if not access.can_write:
        raise NotFound(
            N_("Page not found")
        )  # advisors read their clients' threads, they do not write in them
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
    if data.from_company_id is not None and membership(session, user, data.from_company_id) is None:
        message = N_("Choose one of your companies.")
        raise InvalidInput(message, fields={"from_company_id": message})
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
        **values,
    )
    session.add(inquiry)
    session.flush()
    message = Message(
        inquiry_id=inquiry.id,  # type: ignore[arg-type]
        sender_user_id=user.id,  # type: ignore[arg-type]
        sender_company_id=data.from_company_id,
        body=data.message,
    )
    session.add(message)
    session.flush()
    _mark_read(session, user, inquiry, message.id)
    notifications.notify_members(
        session,
        inquiry,
        message,
        kind="new_inquiry",
        user_ids=company_user_ids(session, inquiry.to_company_id),
    )
    return inquiry


def company_user_ids(session: Session, company_id: int | None) -> list[int]:
    if company_id is None:
        return []
    return list(
        session.execute(select(Membership.user_id).where(Membership.company_id == company_id)).scalars()
    )


def reply(session: Session, user: User | None, inquiry_id: int, body: str) -> Message:
    """Add a message; the receiving company's first reply answers the thread and reveals contact details."""
    access = writable_thread(session, user, inquiry_id)
    inquiry = access.inquiry
    if inquiry.status in ("closed", "spam"):
        raise ThreadClosed(N_("This conversation is closed."))
    _check_not_duplicate(session, user, body)  # type: ignore[arg-type]
    sender_company = inquiry.to_company_id if access.side == "receiver" else inquiry.from_company_id
    message = Message(
        inquiry_id=inquiry.id,  # type: ignore[arg-type]
        sender_user_id=user.id,  # type: ignore[union-attr, arg-type]
        sender_company_id=sender_company,
        body=body,
    )
    session.add(message)
    session.flush()
    if access.side == "receiver" and inquiry.first_reply_at is None:
        inquiry.first_reply_at = message.created_at
        inquiry.status = "answered"
        session.add(inquiry)
    _mark_read(session, user, inquiry, message.id)  # type: ignore[arg-type]
    if access.side == "receiver":
        others = [inquiry.from_user_id, *company_user_ids(session, inquiry.from_company_id)]
    else:
        others = company_user_ids(session, inquiry.to_company_id)
        if inquiry.from_company_id is not None:
            others += company_user_ids(session, inquiry.from_company_id)
    recipients = sorted({uid for uid in others if uid != user.id})  # type: ignore[union-attr]
    notifications.notify_members(session, inquiry, message, kind="reply", user_ids=recipients)
    return message


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
    if access.can_write:
        _mark_read(session, user, access.inquiry, messages[-1].id if messages else None)  # type: ignore[arg-type]
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
    """The receiving company reports a thread: hidden from its inbox, counted against the sender."""
    access = writable_thread(session, user, inquiry_id)
    if access.side != "receiver":
        raise NotFound(N_("Page not found"))
    inquiry = access.inquiry
    inquiry.status = "spam"
    inquiry.reported_at = utcnow()
    session.add(inquiry)
    session.flush()
    from marketplace.moderation.service import record_spam_report  # the admins' queue reviews it

    record_spam_report(session, user, inquiry)  # type: ignore[arg-type]
    return inquiry


@dataclass
class InboxRow:
    inquiry: Inquiry
    listing: Listing
    side: str
    unread: int
    last_message_at: object


def inbox(session: Session, user: User | None) -> list[InboxRow]:
    """Threads the user takes part in or advises on, newest activity first, with unread message counts.

    Threads reported as spam are hidden from the receiving company."""
    user = require_user(user)
    companies = set(
        session.execute(select(Membership.company_id).where(Membership.user_id == user.id)).scalars()
    )
    advised = advised_company_ids(session, user)
    conditions = [Inquiry.from_user_id == user.id]
    if companies:
        conditions += [Inquiry.to_company_id.in_(companies), Inquiry.from_company_id.in_(companies)]  # type: ignore[union-attr, attr-defined]
    if advised:
        conditions += [Inquiry.to_company_id.in_(advised), Inquiry.from_company_id.in_(advised)]  # type: ignore[union-attr, attr-defined]
    inquiries = list(session.execute(select(Inquiry).where(or_(*conditions))).scalars())
    if not inquiries:
        return []
    ids = [inquiry.id for inquiry in inquiries]
    last = dict(
        session.execute(
            select(Message.inquiry_id, func.max(Message.id))
            .where(Message.inquiry_id.in_(ids))
            .group_by(Message.inquiry_id)  # type: ignore[attr-defined]
        ).all()
    )
    # One grouped count: messages from others past the user's read marker (no marker: all of them).
    unread_counts: dict[int, int] = dict(
        session.execute(
            select(Message.inquiry_id, func.count())
            .outerjoin(
                InquiryRead,
                (InquiryRead.inquiry_id == Message.inquiry_id) & (InquiryRead.user_id == user.id),
            )
            .where(
                Message.inquiry_id.in_(ids),  # type: ignore[attr-defined]
                Message.sender_user_id != user.id,
                or_(
                    InquiryRead.last_read_message_id.is_(None), Message.id > InquiryRead.last_read_message_id
                ),  # type: ignore[union-attr, operator]
            )
            .group_by(Message.inquiry_id)
        ).all()
    )
    listing_ids = {inquiry.listing_id for inquiry in inquiries}
    listings = {
        listing.id: listing
        for listing in session.execute(select(Listing).where(Listing.id.in_(listing_ids))).scalars()  # type: ignore[union-attr]
    }
    rows: list[InboxRow] = []
    for inquiry in inquiries:
        sender = inquiry.from_user_id == user.id or inquiry.from_company_id in companies
        side = "sender" if sender else ("receiver" if inquiry.to_company_id in companies else "advisor")
        if inquiry.status == "spam" and side == "receiver":
            continue
        unread = unread_counts.get(inquiry.id, 0) if side != "advisor" else 0  # type: ignore[arg-type]
        rows.append(InboxRow(inquiry, listings[inquiry.listing_id], side, unread, last.get(inquiry.id)))
    rows.sort(key=lambda row: -(row.last_message_at or 0))  # type: ignore[operator]
    return rows


def unread_total(session: Session, user: User | None) -> int:
    return sum(row.unread for row in inbox(session, user)) if user is not None else 0
