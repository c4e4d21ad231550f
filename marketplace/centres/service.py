"""Centre rules: the client portfolio with consent, the advisor's view of it, the review queue."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres import repository
from marketplace.centres.audit import record_event
from marketplace.centres.models import Advisor, AuditEvent, Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import (
    advisor_of,
    require_advisor,
    require_member,
    require_owner,
    require_user,
)
from marketplace.listings.models import Listing


class InvalidClientChange(DomainError):
    status_code = 409
    code = "invalid_client_change"


def centres_of(session: Session, user: User | None) -> list[Centre]:
    """The centres the user advises at."""
    if user is None:
        return []
    return list(
        session.execute(
            select(Centre).join(Advisor, Advisor.centre_id == Centre.id).where(Advisor.user_id == user.id)
        ).scalars()
    )


def all_centres(session: Session) -> list[Centre]:
    return list(session.execute(select(Centre).order_by(Centre.country, Centre.name)).scalars())


def _centre(session: Session, centre_id: int) -> Centre:
    centre = session.get(Centre, centre_id)
    if centre is None:
        raise NotFound(N_("Page not found"))
    return centre


# --- consent: either side proposes, the other accepts; either side ends it ---------------------------------


def invite_company(session: Session, user: User | None, centre_id: int, company_id: int) -> CentreClient:
    """A centre's advisor invites a company; it becomes a client once an owner accepts."""
    advisor = require_advisor(session, user, centre_id)
    if session.get(Company, company_id) is None:
        raise NotFound(
            N_("No company has this number."), fields={"company_id": N_("No company has this number.")}
        )
    link = repository.client_link(session, centre_id, company_id)
    if link is not None and link.status == "active":
        raise InvalidClientChange(N_("This company is already a client of the centre."))
    if link is not None and link.status == "requested":  # the company asked first: this is the acceptance
        return _activate(session, user, link)
    if link is None:
        link = CentreClient(centre_id=centre_id, company_id=company_id)
    link.status, link.advisor_id, link.consent_at, link.ended_at = "invited", advisor.id, None, None
    session.add(link)
    session.flush()
    record_event(session, company_id=company_id, user=user, centre_id=centre_id, action="client_invited")
    return link


def request_centre(session: Session, user: User | None, company_id: int, centre_id: int) -> CentreClient:
    """A company's owner asks a centre to take it on; the centre's advisors accept."""
    require_owner(session, user, company_id)
    _centre(session, centre_id)
    link = repository.client_link(session, centre_id, company_id)
    if link is not None and link.status == "active":
        raise InvalidClientChange(N_("Your company is already a client of this centre."))
    if link is not None and link.status == "invited":  # the centre asked first: this is the consent
        return _activate(session, user, link)
    if link is None:
        link = CentreClient(centre_id=centre_id, company_id=company_id)
    link.status, link.consent_at, link.ended_at = "requested", utcnow(), None
    session.add(link)
    session.flush()
    record_event(session, company_id=company_id, user=user, action="client_requested")
    return link


def accept_invitation(session: Session, user: User | None, company_id: int, centre_id: int) -> CentreClient:
    """The company's owner consents to the centre's invitation."""
    require_owner(session, user, company_id)
    link = repository.client_link(session, centre_id, company_id)
    if link is None or link.status != "invited":
        raise NotFound(N_("Page not found"))
    return _activate(session, user, link)


def accept_request(session: Session, user: User | None, centre_id: int, company_id: int) -> CentreClient:
    """An advisor takes on a company that asked the centre."""
    advisor = require_advisor(session, user, centre_id)
    link = repository.client_link(session, centre_id, company_id)
    if link is None or link.status != "requested":
        raise NotFound(N_("Page not found"))
    link.advisor_id = advisor.id
    return _activate(session, user, link)


def _activate(session: Session, user: User | None, link: CentreClient) -> CentreClient:
    link.status = "active"
    link.consent_at = link.consent_at or utcnow()
    link.ended_at = None
    session.add(link)
    session.flush()
    record_event(
        session, company_id=link.company_id, user=user, centre_id=link.centre_id, action="client_accepted"
    )
    return link


def end_relationship(session: Session, user: User | None, centre_id: int, company_id: int) -> CentreClient:
    """Either side ends it (or withdraws a pending proposal): advisors lose access at once."""
    if advisor_of(session, require_user(user), centre_id) is None:
        require_owner(session, user, company_id)  # other members: 403; strangers: 404
    link = repository.client_link(session, centre_id, company_id)
    if link is None or link.status == "ended":
        raise NotFound(N_("Page not found"))
    was_active = link.status == "active"
    link.status = "ended"
    link.ended_at = utcnow()
    session.add(link)
    session.flush()
    record_event(session, company_id=company_id, user=user, centre_id=centre_id, action="client_ended")
    if was_active and repository.reviewing_centre(session, company_id) is None:
        _release_pending(session, user, company_id)
    return link


def _release_pending(session: Session, user: User | None, company_id: int) -> None:
    """Listings waiting for the centre's review go back to draft: nobody would review them any more."""
    from marketplace.listings.service import listing_changed

    pending = session.execute(
        select(Listing).where(Listing.company_id == company_id, Listing.status == "pending_review")
    ).scalars()
    for listing in pending:
        listing.status = "draft"
        listing_changed(session, listing)


def company_relationships(
    session: Session, user: User | None, company_id: int
) -> list[tuple[CentreClient, Centre]]:
    """The company's links to centres, for its members."""
    require_member(session, user, company_id)
    rows = session.execute(
        select(CentreClient, Centre)
        .join(Centre, Centre.id == CentreClient.centre_id)
        .where(CentreClient.company_id == company_id)
        .order_by(Centre.name)
    ).all()
    return [(link, centre) for link, centre in rows]


# --- the advisor's portfolio ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientRow:
    link: CentreClient
    company: Company
    listings: int
    pending: int
    verified: bool


def portfolio(session: Session, user: User | None, centre_id: int) -> list[ClientRow]:
    """The centre's clients and proposals (active first), for its advisors only."""
    require_advisor(session, user, centre_id)
    rows = session.execute(
        select(CentreClient, Company)
        .join(Company, Company.id == CentreClient.company_id)
        .where(CentreClient.centre_id == centre_id, CentreClient.status != "ended")
        .order_by(Company.name)
    ).all()
    company_ids = [company.id for _, company in rows]
    counts: dict[tuple[int, str], int] = {}
    if company_ids:
        for company_id, status, n in session.execute(
            select(Listing.company_id, Listing.status, func.count())
            .where(Listing.company_id.in_(company_ids))  # type: ignore[attr-defined]
            .group_by(Listing.company_id, Listing.status)
        ).all():
            counts[(company_id, status)] = n
    now = utcnow()
    order = {"active": 0, "requested": 1, "invited": 2}
    result = [
        ClientRow(
            link=link,
            company=company,
            listings=sum(n for (cid, _), n in counts.items() if cid == company.id),
            pending=counts.get((company.id, "pending_review"), 0),  # type: ignore[arg-type]
            verified=is_verified(company, now) and company.verified_by_centre_id == centre_id,
        )
        for link, company in rows
    ]
    return sorted(result, key=lambda row: (order.get(row.link.status, 9), row.company.name))


def is_verified(company: Company, now: datetime) -> bool:
    return bool(company.verified_by_centre_id and company.verified_until and company.verified_until > now)


# --- the review queue ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    listing: Listing
    company: Company
    submitted_at: datetime
    submitted_by: User | None

    @property
    def age(self) -> timedelta:
        return utcnow() - self.submitted_at


def review_queue(session: Session, user: User | None, centre_id: int) -> list[QueueItem]:
    """Listings of the centre's active clients waiting for review, oldest first."""
    centre = _centre(session, centre_id)
    require_advisor(session, user, centre_id)
    if not centre.requires_review:
        return []
    rows = session.execute(
        select(Listing, Company)
        .join(Company, Company.id == Listing.company_id)
        .join(CentreClient, CentreClient.company_id == Company.id)
        .where(
            CentreClient.centre_id == centre_id,
            CentreClient.status == "active",
            Listing.status == "pending_review",
        )
    ).all()
    items = []
    for listing, company in rows:
        event = session.execute(
            select(AuditEvent, User)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.listing_id == listing.id, AuditEvent.action == "listing_submitted")
            .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
            .limit(1)
        ).first()
        submitted_at, by = (event[0].created_at, event[1]) if event else (listing.updated_at, None)
        items.append(QueueItem(listing=listing, company=company, submitted_at=submitted_at, submitted_by=by))
    return sorted(items, key=lambda item: item.submitted_at)


def time_to_publish(
    session: Session, centre_id: int, *, since: datetime | None = None
) -> list[tuple[datetime, timedelta]]:
    """(approval time, time from submission to approval) of each listing the centre approved."""
    from sqlalchemy.orm import aliased

    submitted = aliased(AuditEvent)
    last_submission = (
        select(func.max(submitted.created_at))
        .where(
            submitted.listing_id == AuditEvent.listing_id,
            submitted.action == "listing_submitted",
            submitted.created_at <= AuditEvent.created_at,
        )
        .scalar_subquery()
    )
    query = select(AuditEvent.created_at, last_submission).where(
        AuditEvent.centre_id == centre_id, AuditEvent.action == "listing_approved"
    )
    if since is not None:
        query = query.where(AuditEvent.created_at >= since)
    return [
        (approved_at, approved_at - sub)
        for approved_at, sub in session.execute(query).all()
        if sub is not None
    ]


def median_time_to_publish(session: Session, centre_id: int) -> timedelta | None:
    """The median time from submission to approval of the centre's reviewed listings (None before any)."""
    durations = [duration for _, duration in time_to_publish(session, centre_id)]
    if not durations:
        return None
    return timedelta(seconds=statistics.median(d.total_seconds() for d in durations))


def median_hours_to_publish_by_month(session: Session, centre_id: int) -> dict[str, float]:
    """The median hours from submission to approval, per month of approval ("YYYY-MM"), for the trend chart."""
    per_month: dict[str, list[float]] = {}
    for approved_at, duration in time_to_publish(session, centre_id):
        per_month.setdefault(approved_at.strftime("%Y-%m"), []).append(duration.total_seconds() / 3600)
    return {month: round(statistics.median(hours), 1) for month, hours in sorted(per_month.items())}
