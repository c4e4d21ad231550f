"""Who wrote a message or closed a thread, as both sides see it: "<advisor> for <company>" when an advisor
acted for a client."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.models import Centre
from marketplace.companies.models import Company
from marketplace.inquiries.models import Inquiry, Message


@dataclass
class Author:
    """Who wrote a message, as both sides see it: a member, or an advisor for the company (with the centre)."""

    name: str
    company: Company | None
    centre: Centre | None  # set when an advisor of this centre wrote for `company`

    @property
    def acting(self) -> bool:
        return self.centre is not None


def authors_of(session: Session, messages: list[Message]) -> dict[int, Author]:
    """Each message's author by message id (one lookup per distinct user, company and centre)."""
    users = {uid: session.get(User, uid) for uid in {m.sender_user_id for m in messages}}
    companies = {cid: session.get(Company, cid) for cid in {m.sender_company_id for m in messages} - {None}}
    centres = {cid: session.get(Centre, cid) for cid in {m.acting_centre_id for m in messages} - {None}}
    return {
        m.id: Author(  # type: ignore[misc]
            name=users[m.sender_user_id].display_name if users[m.sender_user_id] else "",  # type: ignore[union-attr]
            company=companies.get(m.sender_company_id),  # type: ignore[arg-type]
            centre=centres.get(m.acting_centre_id),  # type: ignore[arg-type]
        )
        for m in messages
    }


def closed_by(session: Session, inquiry: Inquiry) -> Author | None:
    """Who closed the thread (None while open, or for threads closed before this was recorded)."""
    if inquiry.closed_by_user_id is None:
        return None
    user = session.get(User, inquiry.closed_by_user_id)
    return Author(
        name=user.display_name if user else "",
        company=session.get(Company, inquiry.closed_by_company_id) if inquiry.closed_by_company_id else None,
        centre=session.get(Centre, inquiry.closed_by_centre_id) if inquiry.closed_by_centre_id else None,
    )
