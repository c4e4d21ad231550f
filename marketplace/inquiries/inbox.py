"""The inbox: the threads a user takes part in or advises on, filtered, sorted, paged and counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, false, func, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.permissions import advised_company_ids, consented_client_ids, require_user
from marketplace.inquiries.models import Inquiry, InquiryRead, Message
from marketplace.listings.models import Listing


@dataclass
class InboxRow:
    """One thread as the user sees it: 'sender' or 'receiver' (a member, or an advisor acting for
    `acting_for`), or 'advisor' (read-only); unread messages count for members only."""

    inquiry: Inquiry
    listing: Listing
    side: str
    acting_for: Company | None
    unread: int


@dataclass
class InboxPage:
    items: list[InboxRow]
    total: int
    page: int
    per_page: int
    unread_total: int  # over all the user's threads, not only this page


@dataclass
class _Visibility:
    visible: ColumnElement[bool]
    member: ColumnElement[bool]
    side: ColumnElement[str]


def _visibility(session: Session, user: User) -> _Visibility:
    """The thread_access rules as SQL conditions on Inquiry (written null-safe: a thread may have no
    sending company)."""
    my_companies = select(Membership.company_id).where(Membership.user_id == user.id)
    sender = or_(
        and_(Inquiry.from_user_id == user.id, Inquiry.sent_by_advisor == false()),
        and_(Inquiry.from_company_id.is_not(None), Inquiry.from_company_id.in_(my_companies)),  # type: ignore[union-attr]
    )
    receiver = Inquiry.to_company_id.in_(my_companies)  # type: ignore[attr-defined]
    member = or_(sender, receiver)
    reachable = [sender, receiver]
    advised = advised_company_ids(session, user)
    if advised:
        reachable += [Inquiry.to_company_id.in_(advised), Inquiry.from_company_id.in_(advised)]  # type: ignore[union-attr, attr-defined]
    # Threads reported as spam disappear from the receiving company's inbox (not from the sender's).
    hidden = and_(Inquiry.status == "spam", receiver, not_(sender))
    side = case((sender, "sender"), (receiver, "receiver"), else_="advisor")
    return _Visibility(visible=and_(or_(*reachable), not_(hidden)), member=member, side=side)


def inbox_page(session: Session, user: User | None, *, page: int = 1, per_page: int = 20) -> InboxPage:
    """A page of the user's threads, newest activity first, with unread message counts."""
    user = require_user(user)
    rules = _visibility(session, user)
    total = session.execute(select(func.count()).select_from(Inquiry).where(rules.visible)).scalar_one()
    # Sort and cut narrow rows first, then load the page's threads and listings.
    page_ids = session.execute(
        select(Inquiry.id, rules.side)
        .where(rules.visible)
        .order_by(func.coalesce(Inquiry.last_message_id, 0).desc(), Inquiry.id.desc())  # type: ignore[union-attr]
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    found = {
        inquiry.id: (inquiry, listing)
        for inquiry, listing in session.execute(
            select(Inquiry, Listing)
            .join(Listing, Listing.id == Inquiry.listing_id)
            .where(Inquiry.id.in_([inquiry_id for inquiry_id, _ in page_ids]))  # type: ignore[union-attr]
        ).all()
    }
    rows = [(*found[inquiry_id], side) for inquiry_id, side in page_ids]
    member_ids = [inquiry.id for inquiry, _, side in rows if side != "advisor"]
    unread = _unread_counts(session, user, member_ids)
    acting = _acting_companies(session, user, [inquiry for inquiry, _, side in rows if side == "advisor"])
    items = []
    for inquiry, listing, side in rows:
        acting_side, company = acting.get(inquiry.id, (side, None))
        items.append(InboxRow(inquiry, listing, acting_side, company, unread.get(inquiry.id, 0)))
    return InboxPage(items, total, page, per_page, unread_total(session, user, rules=rules))


def _unread_filter(user: User) -> ColumnElement[bool]:
    """Messages from others past the user's read marker (no marker: all of them)."""
    return and_(
        Message.sender_user_id != user.id,
        or_(
            InquiryRead.last_read_message_id.is_(None),  # type: ignore[union-attr]
            Message.id > InquiryRead.last_read_message_id,  # type: ignore[operator]
        ),
    )


def _read_marker_join() -> ColumnElement[bool]:
    return InquiryRead.inquiry_id == Message.inquiry_id


def _unread_counts(session: Session, user: User, inquiry_ids: list[int]) -> dict[int, int]:
    if not inquiry_ids:
        return {}
    rows = session.execute(
        select(Message.inquiry_id, func.count())
        .outerjoin(InquiryRead, and_(_read_marker_join(), InquiryRead.user_id == user.id))
        .where(Message.inquiry_id.in_(inquiry_ids), _unread_filter(user))  # type: ignore[attr-defined]
        .group_by(Message.inquiry_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def unread_total(session: Session, user: User | None, *, rules: _Visibility | None = None) -> int:
    """Unread messages over all the threads the user takes part in as a member (an advisor's reading is
    not the company's, so advised threads count nothing)."""
    if user is None:
        return 0
    rules = rules or _visibility(session, user)
    marker = func.coalesce(InquiryRead.last_read_message_id, 0)
    return session.execute(
        select(func.count(Message.id))
        .select_from(Inquiry)
        .outerjoin(InquiryRead, and_(InquiryRead.inquiry_id == Inquiry.id, InquiryRead.user_id == user.id))
        .join(Message, and_(Message.inquiry_id == Inquiry.id, Message.id > marker))
        .where(
            rules.visible,
            rules.member,
            # Threads read up to their newest message are skipped without reading their messages.
            or_(Inquiry.last_message_id.is_(None), Inquiry.last_message_id > marker),  # type: ignore[union-attr, operator]
            Message.sender_user_id != user.id,
        )
    ).scalar_one()


def _acting_companies(
    session: Session, user: User, inquiries: list[Inquiry]
) -> dict[int, tuple[str, Company]]:
    """For advised threads on the page: the side the advisor acts on and the client it acts for (exactly
    one side consenting, as in service.thread_access)."""
    if not inquiries:
        return {}
    consented = consented_client_ids(session, user)
    acting: dict[int, tuple[str, int]] = {}
    for inquiry in inquiries:
        for_receiver = inquiry.to_company_id in consented
        for_sender = inquiry.from_company_id is not None and inquiry.from_company_id in consented
        if for_receiver != for_sender:
            acting[inquiry.id] = (  # type: ignore[index]
                ("receiver", inquiry.to_company_id) if for_receiver else ("sender", inquiry.from_company_id)  # type: ignore[dict-item]
            )
    if not acting:
        return {}
    company_ids = {company_id for _, company_id in acting.values()}
    companies = {
        company.id: company
        for company in session.execute(select(Company).where(Company.id.in_(company_ids))).scalars()  # type: ignore[union-attr]
    }
    return {inquiry_id: (side, companies[company_id]) for inquiry_id, (side, company_id) in acting.items()}
