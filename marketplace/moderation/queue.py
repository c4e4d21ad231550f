"""The admins' view: open reports grouped by object, and one object's content, reports, holds and trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.permissions import require_admin
from marketplace.inquiries.models import Inquiry, Message
from marketplace.listings.models import Listing
from marketplace.moderation import repository
from marketplace.moderation.models import OBJECT_TYPES, ModerationAction, ModerationHold, Report
from marketplace.moderation.service import OBJECT_ACTIONS, audit_trail

PREVIEW = 600  # characters of content shown in the queue (the object's page shows all of it)


@dataclass
class ObjectView:
    """What an admin needs to judge an object: its text (rendered escaped), owner and state."""

    object_type: str
    object_id: int
    title: str
    body: str
    status: str
    public_url: str | None
    owner_company: Company | None
    owner_user_email: str | None
    holds: list[ModerationHold] = field(default_factory=list)
    suspension: ModerationHold | None = None
    actions: tuple[str, ...] = ()


def object_view(session: Session, object_type: str, object_id: int) -> ObjectView:
    """The object as the admin sees it, or NotFound."""
    company_id: int | None = None
    user_id: int | None = None
    if object_type == "listing" and (listing := session.get(Listing, object_id)) is not None:
        title, body, status = listing.title, listing.description, listing.status
        company_id, url = listing.company_id, f"/listings/{object_id}"
    elif object_type == "company" and (company := session.get(Company, object_id)) is not None:
        title, body, status = company.name, company.description or "", ""
        company_id, url = object_id, f"/companies/{object_id}"
    elif object_type == "message" and (message := session.get(Message, object_id)) is not None:
        inquiry = session.get(Inquiry, message.inquiry_id)
        listing = session.get(Listing, inquiry.listing_id) if inquiry else None
        title, body, status = (
            (listing.title if listing else ""),
            message.body,
            (inquiry.status if inquiry else ""),
        )
        company_id, user_id, url = message.sender_company_id, message.sender_user_id, None
    elif object_type == "inquiry" and (inquiry := session.get(Inquiry, object_id)) is not None:
        listing = session.get(Listing, inquiry.listing_id)
        first = session.execute(
            select(Message.body).where(Message.inquiry_id == object_id).order_by(Message.id).limit(1)
        ).scalar_one_or_none()
        title, body, status = (listing.title if listing else ""), first or "", inquiry.status
        company_id, user_id, url = inquiry.from_company_id, inquiry.from_user_id, None
    else:
        raise NotFound(N_("Page not found"))
    owner_user = session.get(User, user_id) if user_id is not None else None
    return ObjectView(
        object_type=object_type,
        object_id=object_id,
        title=title,
        body=body,
        status=status,
        public_url=url,
        owner_company=session.get(Company, company_id) if company_id is not None else None,
        owner_user_email=owner_user.email if owner_user else None,
        holds=repository.live_holds(session, object_type, object_id),
        suspension=repository.company_suspension(session, company_id) if company_id is not None else None,
        actions=OBJECT_ACTIONS[object_type],
    )


def _view_or_gone(session: Session, object_type: str, object_id: int) -> ObjectView:
    """The object, or a placeholder when it was deleted since it was reported (its reports can be dismissed)."""
    try:
        return object_view(session, object_type, object_id)
    except NotFound:
        return ObjectView(object_type, object_id, "", "", "deleted", None, None, None, actions=("dismiss",))


@dataclass
class QueueEntry:
    """One reported object with its open reports."""

    object: ObjectView
    reports: list[Report]
    first_reported_at: datetime


def open_queue(
    session: Session, user: User | None, *, page: int = 1, per_page: int = 20
) -> tuple[list[QueueEntry], int]:
    """Objects with open reports, the longest-waiting first, and how many such objects there are."""
    require_admin(user)
    groups = (
        select(Report.object_type, Report.object_id, func.min(Report.created_at).label("first"))
        .where(Report.status == "open")
        .group_by(Report.object_type, Report.object_id)
    )
    total = session.execute(select(func.count()).select_from(groups.subquery())).scalar_one()
    rows = session.execute(
        groups.order_by(func.min(Report.created_at), Report.object_type, Report.object_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    entries = []
    for object_type, object_id, first in rows:
        reports = list(
            session.execute(
                select(Report)
                .where(
                    Report.object_type == object_type, Report.object_id == object_id, Report.status == "open"
                )
                .order_by(Report.id)
            ).scalars()
        )
        entries.append(QueueEntry(_view_or_gone(session, object_type, object_id), reports, first))
    return entries, total


@dataclass
class ObjectCase:
    """An object's admin page: its content, every report about it, and its audit trail."""

    object: ObjectView
    reports: list[Report]
    trail: list[ModerationAction]
    actors: dict[int, str]


def object_case(session: Session, user: User | None, object_type: str, object_id: int) -> ObjectCase:
    require_admin(user)
    if object_type not in OBJECT_TYPES:
        raise NotFound(N_("Page not found"))
    view = _view_or_gone(session, object_type, object_id)
    reports = list(
        session.execute(
            select(Report)
            .where(Report.object_type == object_type, Report.object_id == object_id)
            .order_by(Report.id.desc())  # type: ignore[union-attr]
        ).scalars()
    )
    if view.status == "deleted" and not reports:
        raise NotFound(N_("Page not found"))  # never existed, or gone without a report: nothing to show
    trail = audit_trail(session, object_type, object_id)
    ids = {entry.user_id for entry in trail if entry.user_id} | {
        report.reporter_user_id for report in reports
    }
    actors = (
        dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())  # type: ignore[union-attr]
        if ids
        else {}
    )
    return ObjectCase(view, reports, trail, actors)  # type: ignore[arg-type]
