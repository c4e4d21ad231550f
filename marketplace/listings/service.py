"""Business rules for listings: who may edit them, their lifecycle, expiry and renewal."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.audit import record_event
from marketplace.centres.repository import reviewing_centre
from marketplace.companies.models import Company
from marketplace.core.db import run_in_transaction
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import (
    PermissionDenied,
    may_see_private,
    membership,
    require_advisor,
    require_member_or_advisor,
)
from marketplace.listings import repository
from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn

DEFAULT_VALIDITY = timedelta(days=90)
MAX_VALIDITY = timedelta(days=730)
RENEWAL = timedelta(days=90)


class InvalidTransition(DomainError):
    status_code = 409
    code = "invalid_transition"


def listing_changed(session: Session, listing: Listing) -> None:
    """Record a change: a new version for the search index (the outbox job is queued by search sync)."""
    listing.version += 1
    listing.updated_at = utcnow()
    session.add(listing)
    session.flush()
    from marketplace.listings.sync import queue_listing_sync

    queue_listing_sync(session, listing)


def expire_overdue_listings(session: Session, *, today: date) -> int:
    """Move published listings past their valid_until date to `expired`; returns how many."""
    overdue = repository.overdue_published(session, today=today)
    for listing in overdue:
        listing.status = "expired"
        listing_changed(session, listing)
    return len(overdue)


def latest_active_listings(
    session: Session, *, today: date, limit: int = 24
) -> list[tuple[Listing, Company]]:
    """The newest active listings with their companies, for the home page."""
    rows, _ = repository.page_of_active_listings(session, today=today, page=1, per_page=limit)
    return rows


def is_active(listing: Listing, today: date) -> bool:
    return (
        listing.status == "published"
        and (listing.valid_until is None or listing.valid_until >= today)
        and not listing.hidden  # taken off public pages by moderation
    )


def listing_for_viewer(session: Session, listing_id: int, *, viewer: User | None, today: date) -> Listing:
    """A listing as a viewer may see it: active ones for everyone, others only for their company's members."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("Page not found"))
    if not is_active(listing, today) and not may_see_private(session, viewer, listing.company_id):
        raise NotFound(N_("Page not found"))
    return listing


def editable_listing(session: Session, user: User | None, listing_id: int) -> Listing:
    """The listing if the user may change it (a member of its company or one of its advisors), else NotFound."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("Page not found"))
    require_member_or_advisor(session, user, listing.company_id)
    return listing


def _audit(
    session: Session, user: User | None, listing: Listing, action: str, detail: str | None = None
) -> None:
    """Record who changed the listing; an advisor's change names the centre they acted for."""
    client = (
        None
        if membership(session, user, listing.company_id)
        else require_member_or_advisor(session, user, listing.company_id)
    )
    record_event(
        session,
        company_id=listing.company_id,
        listing_id=listing.id,
        user=user,
        centre_id=client.centre_id if client is not None else None,
        action=action,
        detail=detail,
    )


def _check_validity(valid_until: date | None, today: date) -> date:
    if valid_until is None:
        return today + DEFAULT_VALIDITY
    if valid_until < today:
        message = N_("Choose a date from today on.")
        raise InvalidInput(message, fields={"valid_until": message})
    if valid_until > today + MAX_VALIDITY:
        message = N_("A listing can be valid for two years at most.")
        raise InvalidInput(message, fields={"valid_until": message})
    return valid_until


def create_listing(
    session: Session, user: User | None, company_id: int, data: ListingIn, *, today: date
) -> Listing:
    """A new draft listing of the company (its members, or its advisors on its behalf)."""
    client = require_member_or_advisor(session, user, company_id)
    values = data.model_dump()
    values["valid_until"] = _check_validity(data.valid_until, today)
    listing = Listing(
        company_id=company_id,
        status="draft",
        created_by_user_id=user.id,  # type: ignore[union-attr]
        created_by_advisor=client is not None,
        **values,
    )
    session.add(listing)
    session.flush()
    _audit(session, user, listing, "listing_created")
    return listing


def update_listing(
    session: Session, user: User | None, listing_id: int, data: ListingIn, *, today: date
) -> Listing:
    """Change a listing's content; a closed listing cannot be edited."""
    listing = editable_listing(session, user, listing_id)
    if listing.status == "closed":
        raise InvalidTransition(N_("A closed listing cannot be edited. Post a new one."))
    values = data.model_dump()
    if data.valid_until != listing.valid_until:
        values["valid_until"] = _check_validity(data.valid_until, today)
    for name, value in values.items():
        setattr(listing, name, value)
    listing_changed(session, listing)
    _audit(session, user, listing, "listing_edited")
    return listing


def publish_listing(session: Session, user: User | None, listing_id: int, *, today: date) -> Listing:
    """Make a draft public, or send it to review when the company's centre reviews its clients' listings."""
    listing = editable_listing(session, user, listing_id)
    _check_not_suspended(session, listing.company_id)
    if listing.status not in ("draft", "expired"):
        raise InvalidTransition(N_("Only a draft can be published."))
    if listing.valid_until is not None and listing.valid_until < today:
        raise InvalidTransition(N_("This listing's validity has ended: renew it to publish it again."))
    if listing.status == "draft" and reviewing_centre(session, listing.company_id) is not None:
        listing.status = "pending_review"
        listing_changed(session, listing)
        _audit(session, user, listing, "listing_submitted")
        return listing
    listing.status = "published"
    listing.published_at = utcnow()
    listing.rejection_reason = None
    listing_changed(session, listing)
    _audit(session, user, listing, "listing_published")
    return listing


class CompanySuspended(DomainError):
    status_code = 409
    code = "company_suspended"


def _check_not_suspended(session: Session, company_id: int) -> None:
    """A suspended company's members (and advisors) cannot publish until an admin lifts the suspension."""
    from marketplace.moderation.repository import company_suspension

    if company_suspension(session, company_id) is not None:
        raise CompanySuspended(
            N_("Your company is suspended by the moderators: its listings cannot be published for now.")
        )


def _reviewable_listing(session: Session, user: User | None, listing_id: int) -> tuple[Listing, int]:
    """A listing waiting for review by a centre the user advises at (else NotFound), with that centre's id."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("Page not found"))
    centre = reviewing_centre(session, listing.company_id)
    if centre is None:
        raise NotFound(N_("Page not found"))
    require_advisor(session, user, centre.id)  # type: ignore[arg-type]
    if listing.status != "pending_review":
        raise InvalidTransition(N_("This listing is not waiting for review."))
    return listing, centre.id  # type: ignore[return-value]


def _submitter_id(session: Session, listing: Listing) -> int | None:
    from marketplace.centres.models import AuditEvent

    return session.execute(
        select(AuditEvent.user_id)
        .where(AuditEvent.listing_id == listing.id, AuditEvent.action == "listing_submitted")
        .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).scalar_one_or_none()


def approve_listing(session: Session, user: User | None, listing_id: int) -> Listing:
    """An advisor of the reviewing centre publishes a listing waiting for review (not one they submitted)."""
    listing, centre_id = _reviewable_listing(session, user, listing_id)
    _check_not_suspended(session, listing.company_id)
    if _submitter_id(session, listing) == user.id:  # type: ignore[union-attr]
        # Four eyes: the review is a second person's check, so an advisor's own submissions need a colleague.
        raise PermissionDenied(N_("Another advisor of the centre must review a listing you submitted."))
    listing.status = "published"
    listing.published_at = utcnow()
    listing.rejection_reason = None
    listing_changed(session, listing)
    record_event(
        session, company_id=listing.company_id, listing_id=listing.id, user=user, centre_id=centre_id,
        action="listing_approved",
    )  # fmt: skip
    return listing


def send_back_listing(session: Session, user: User | None, listing_id: int, reason: str) -> Listing:
    """An advisor returns a listing to draft with a reason its owners see (DESIGN §2: rejected → draft)."""
    reason = (reason or "").strip()
    if not reason:
        message = N_("Tell the company what to change.")
        raise InvalidInput(message, fields={"reason": message})
    if len(reason) > 1000:
        message = N_("Keep the reason under 1000 characters.")
        raise InvalidInput(message, fields={"reason": message})
    listing, centre_id = _reviewable_listing(session, user, listing_id)
    listing.status = "draft"
    listing.rejection_reason = reason
    listing_changed(session, listing)
    record_event(
        session, company_id=listing.company_id, listing_id=listing.id, user=user, centre_id=centre_id,
        action="listing_sent_back", detail=reason,
    )  # fmt: skip
    from marketplace.centres.notify import mail_sent_back

    mail_sent_back(session, listing, centre_id=centre_id, reason=reason)
    return listing


def close_listing(session: Session, user: User | None, listing_id: int) -> Listing:
    """Take a listing off the marketplace for good (sold out, need met)."""
    listing = editable_listing(session, user, listing_id)
    if listing.status == "closed":
        return listing
    listing.status = "closed"
    listing_changed(session, listing)
    _audit(session, user, listing, "listing_closed")
    return listing


def renew_listing(session: Session, user: User | None, listing_id: int, *, today: date) -> Listing:
    """One click: valid for another 90 days from today; an expired listing is published again."""
    listing = editable_listing(session, user, listing_id)
    if listing.status == "closed":
        raise InvalidTransition(N_("A closed listing cannot be renewed. Post a new one."))
    listing.valid_until = max(listing.valid_until or today, today) + RENEWAL
    listing.valid_until = min(listing.valid_until, today + MAX_VALIDITY)
    if listing.status == "expired":
        _check_not_suspended(session, listing.company_id)
        listing.status = "published"
        listing.published_at = utcnow()
    listing_changed(session, listing)
    _audit(session, user, listing, "listing_renewed")
    return listing


def counts_as_view(session: Session, listing: Listing, viewer: User | None) -> bool:
    """A page view by someone outside the company counts: its own members' visits, and its advisors' while
    they curate its listings, are not interest from the market."""
    return viewer is None or not may_see_private(session, viewer, listing.company_id)


def record_view(db: Engine, listing_id: int) -> None:
    """Add one view in a short transaction of its own (the page itself only reads)."""

    def increment(session: Session) -> None:
        session.execute(update(Listing).where(Listing.id == listing_id).values(views=Listing.views + 1))

    run_in_transaction(db, increment)


def needs_renewal(listing: Listing, today: date) -> bool:
    """Expired, or published and ending within two weeks: the owner is offered one-click renewal."""
    if listing.status == "expired":
        return True
    return (
        listing.status == "published"
        and listing.valid_until is not None
        and listing.valid_until <= today + timedelta(days=14)
    )


def company_listings_by_status(session: Session, company_id: int, *, today: date) -> dict[str, list[Listing]]:
    """The company's listings grouped by status (what the dashboard shows), newest first."""
    rows = session.execute(
        select(Listing).where(Listing.company_id == company_id).order_by(Listing.updated_at.desc())  # type: ignore[attr-defined]
    ).scalars()
    groups: dict[str, list[Listing]] = {
        "draft": [],
        "pending_review": [],
        "published": [],
        "expired": [],
        "closed": [],
    }
    for listing in rows:
        status = (
            "expired" if listing.status == "published" and not is_active(listing, today) else listing.status
        )
        groups.setdefault(status, []).append(listing)
    return groups


def inquiry_counts(session: Session, listing_ids: list[int]) -> dict[int, int]:
    """How many inquiries each listing received."""
    from marketplace.inquiries.models import Inquiry

    if not listing_ids:
        return {}
    rows = session.execute(
        select(Inquiry.listing_id, func.count())
        .where(Inquiry.listing_id.in_(listing_ids))
        .group_by(Inquiry.listing_id)  # type: ignore[attr-defined]
    ).all()
    return dict(rows)  # type: ignore[arg-type]
