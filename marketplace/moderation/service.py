"""Moderation rules: filing reports, the admins' actions on an object (and their undo), the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import membership, require_admin, require_user
from marketplace.core.ratelimit import hit
from marketplace.inquiries.models import Inquiry, Message
from marketplace.listings.models import Listing
from marketplace.moderation import repository
from marketplace.moderation.models import (
    OBJECT_TYPES,
    REPORT_REASONS,
    ModerationAction,
    ModerationHold,
    Report,
)

REPORT_WINDOW = timedelta(hours=1)
REPORTS_PER_HOUR = 10
REPORTS_PER_IP = 30
REPORT_LIMITED = N_("You have sent many reports in a short time. Try again in an hour.")
USER_REPORTABLE = ("listing", "company", "message")
MAX_REASON = 1000
MAX_DETAILS = 2000

# Which actions each kind of object takes; "undo" actions lift what an earlier action did.
OBJECT_ACTIONS = {
    "listing": ("hide", "unhide", "warn", "suspend", "unsuspend", "dismiss"),
    "company": ("hide", "unhide", "warn", "suspend", "unsuspend", "dismiss"),
    "message": ("hide", "unhide", "warn", "suspend", "unsuspend", "dismiss"),
    "inquiry": ("restore", "warn", "suspend", "unsuspend", "dismiss"),
}
# Deciding on an object closes its open reports: "resolved" when acted on, "dismissed" when not.
CLOSES_REPORTS = {"hide": "resolved", "warn": "resolved", "suspend": "resolved", "dismiss": "dismissed",
                  "restore": "dismissed"}  # fmt: skip


class AlreadyReported(DomainError):
    status_code = 409
    code = "already_reported"


class NothingToUndo(DomainError):
    status_code = 409
    code = "nothing_to_undo"


@dataclass(frozen=True)
class Owner:
    """Whose object it is: the company (and the user, for a message or a thread) that answers for it."""

    company_id: int | None
    user_id: int | None = None


def owner_of(session: Session, object_type: str, object_id: int) -> Owner:
    """The object's owner, or NotFound when there is no such object."""
    if object_type == "listing":
        listing = session.get(Listing, object_id)
        if listing is not None:
            return Owner(listing.company_id)
    elif object_type == "company":
        if session.get(Company, object_id) is not None:
            return Owner(object_id)
    elif object_type == "message":
        message = session.get(Message, object_id)
        if message is not None:
            return Owner(message.sender_company_id, message.sender_user_id)
    elif object_type == "inquiry":
        inquiry = session.get(Inquiry, object_id)
        if inquiry is not None:
            return Owner(inquiry.from_company_id, inquiry.from_user_id)
    raise NotFound(N_("Page not found"))


def _is_owner(session: Session, user: User, owner: Owner) -> bool:
    if owner.user_id is not None and owner.user_id == user.id:
        return True
    return owner.company_id is not None and membership(session, user, owner.company_id) is not None


def check_reportable(session: Session, user: User | None, object_type: str, object_id: int) -> None:
    """A user reports only what they can see (else NotFound, as for the object itself)."""
    user = require_user(user)
    if object_type == "listing":
        from marketplace.listings.service import listing_for_viewer

        listing_for_viewer(session, object_id, viewer=user, today=utcnow().date())
    elif object_type == "company":
        from marketplace.companies.service import company_page

        company_page(session, object_id, user)
    elif object_type == "message":
        from marketplace.inquiries.service import thread_access

        message = session.get(Message, object_id)
        if message is None:
            raise NotFound(N_("Page not found"))
        thread_access(session, user, message.inquiry_id)
    else:
        raise NotFound(N_("Page not found"))


def check_report_limit(session: Session, engine: Engine, user: User, ip_address: str) -> None:
    """Count one report attempt per user and per address, each in its own transaction like every other
    limit; RateLimited (429, nothing created) past either limit."""
    if session.in_transaction():
        # A token caller was looked up in the request's transaction: end it first (on SQLite it would hold
        # the write lock the count needs).
        session.commit()
    hit(
        engine, f"report:user:{user.id}", limit=REPORTS_PER_HOUR, window=REPORT_WINDOW, message=REPORT_LIMITED
    )
    hit(engine, f"report:ip:{ip_address}", limit=REPORTS_PER_IP, window=REPORT_WINDOW, message=REPORT_LIMITED)


def _open_key(object_type: str, object_id: int, user_id: int) -> str:
    return f"{object_type}:{object_id}:{user_id}"


def _clean_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        message = N_("Give a reason: the owner will see it.")
        raise InvalidInput(message, fields={"reason": message})
    if len(text) > MAX_REASON:
        message = N_("Keep the reason under 1000 characters.")
        raise InvalidInput(message, fields={"reason": message})
    return text


def file_report(
    session: Session, user: User | None, *, object_type: str, object_id: int, reason: str, details: str = ""
) -> Report:
    """A signed-in user reports a listing, a company or a message they can see (not their own)."""
    user = require_user(user)
    if object_type not in USER_REPORTABLE:
        raise NotFound(N_("Page not found"))
    if reason not in REPORT_REASONS:
        message = N_("Choose a reason.")
        raise InvalidInput(message, fields={"reason": message})
    details = (details or "").strip()
    if len(details) > MAX_DETAILS:
        message = N_("Keep the details under 2000 characters.")
        raise InvalidInput(message, fields={"details": message})
    check_reportable(session, user, object_type, object_id)
    owner = owner_of(session, object_type, object_id)
    if _is_owner(session, user, owner):
        raise InvalidInput(N_("You cannot report your own company's content."))
    key = _open_key(object_type, object_id, user.id)  # type: ignore[arg-type]
    if session.execute(select(Report.id).where(Report.open_key == key)).first() is not None:
        raise AlreadyReported(N_("You have already reported this. A moderator will look at it."))
    report = Report(
        object_type=object_type, object_id=object_id, reporter_user_id=user.id,  # type: ignore[arg-type]
        reason=reason, details=details, open_key=key,
    )  # fmt: skip
    session.add(report)
    session.flush()
    _record(session, user, object_type, object_id, "report", reason, owner, report_id=report.id)
    return report


def record_spam_report(session: Session, reporter: User, inquiry: Inquiry) -> Report | None:
    """A thread the receiving company reported as spam joins the moderation queue (once per reporter).

    The thread is already hidden from the reporter's inbox and counted against its sender; an admin may
    confirm that (dismiss the report) or undo it ("restore").
    """
    key = _open_key("inquiry", inquiry.id, reporter.id)  # type: ignore[arg-type]
    if session.execute(select(Report.id).where(Report.open_key == key)).first() is not None:
        return None
    report = Report(
        object_type="inquiry", object_id=inquiry.id, reporter_user_id=reporter.id,  # type: ignore[arg-type]
        reason="spam", open_key=key,
    )  # fmt: skip
    session.add(report)
    session.flush()
    owner = Owner(inquiry.from_company_id, inquiry.from_user_id)
    _record(session, reporter, "inquiry", inquiry.id, "report", "spam", owner, report_id=report.id)  # type: ignore[arg-type]
    return report


def _record(
    session: Session, user: User | None, object_type: str, object_id: int, action: str, reason: str,
    owner: Owner, *, report_id: int | None = None,
) -> ModerationAction:  # fmt: skip
    entry = ModerationAction(
        object_type=object_type, object_id=object_id, action=action, reason=reason,
        user_id=user.id if user is not None else None, report_id=report_id,
        owner_company_id=owner.company_id, owner_user_id=owner.user_id,
    )  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


def refresh_listings(
    session: Session, *, company_id: int | None = None, listing_id: int | None = None
) -> int:
    """Bring listings' `hidden` flag in step with the holds on them and their company; returns how many
    changed. Each change is a new version, so the search outbox drops (or brings back) the document and
    matching follows."""
    from marketplace.listings.service import listing_changed

    query = select(Listing)
    query = query.where(Listing.company_id == company_id) if company_id is not None else query
    query = query.where(Listing.id == listing_id) if listing_id is not None else query
    listings = list(session.execute(query).scalars())
    held = repository.hidden_listing_ids(session, [listing.id for listing in listings])  # type: ignore[misc]
    changed = 0
    company_state: dict[int, bool] = {}
    for listing in listings:
        if listing.company_id not in company_state:
            company_state[listing.company_id] = repository.company_hidden(session, listing.company_id)
        hidden = company_state[listing.company_id] or listing.id in held
        if listing.hidden != hidden:
            listing.hidden = hidden
            listing_changed(session, listing)
            changed += 1
    return changed


def _apply_hold(session: Session, object_type: str, object_id: int) -> None:
    if object_type == "listing":
        refresh_listings(session, listing_id=object_id)
    elif object_type == "company":
        refresh_listings(session, company_id=object_id)


def _place_hold(
    session: Session, admin: User, object_type: str, object_id: int, kind: str, reason: str
) -> ModerationHold:
    if repository.live_hold(session, object_type, object_id, kind) is not None:
        message = (
            N_("This company is already suspended.") if kind == "suspend" else N_("This is already hidden.")
        )
        raise InvalidInput(message)
    hold = ModerationHold(
        object_type=object_type, object_id=object_id, kind=kind, reason=reason,
        active_key=f"{kind}:{object_type}:{object_id}", created_by_user_id=admin.id,
    )  # fmt: skip
    session.add(hold)
    session.flush()
    _apply_hold(session, object_type, object_id)
    return hold


def _lift_hold(session: Session, admin: User, object_type: str, object_id: int, kind: str) -> None:
    hold = repository.live_hold(session, object_type, object_id, kind)
    if hold is None:
        raise NothingToUndo(
            N_("This company is not suspended.") if kind == "suspend" else N_("This is not hidden.")
        )
    hold.lifted_at = utcnow()
    hold.lifted_by_user_id = admin.id
    hold.active_key = None
    session.add(hold)
    session.flush()
    _apply_hold(session, object_type, object_id)


def _restore_thread(session: Session, inquiry_id: int) -> None:
    """Undo a spam report: the thread is back in the receiver's inbox and no longer counts against the
    sender (spam_reports_against counts reported_at)."""
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None or inquiry.status != "spam":
        raise NothingToUndo(N_("This conversation is not reported as spam."))
    if inquiry.closed_at is not None:
        inquiry.status = "closed"
    else:
        inquiry.status = "answered" if inquiry.first_reply_at is not None else "open"
    inquiry.reported_at = None
    session.add(inquiry)
    session.flush()


def _has_reports(session: Session, object_type: str, object_id: int) -> bool:
    found = session.execute(
        select(Report.id).where(Report.object_type == object_type, Report.object_id == object_id).limit(1)
    ).first()
    return found is not None


def _close_reports(session: Session, admin: User, object_type: str, object_id: int, status: str) -> int:
    reports = session.execute(
        select(Report).where(
            Report.object_type == object_type, Report.object_id == object_id, Report.status == "open"
        )
    ).scalars()
    closed = 0
    for report in reports:
        report.status = status
        report.open_key = None
        report.closed_at = utcnow()
        report.closed_by_user_id = admin.id
        session.add(report)
        closed += 1
    session.flush()
    return closed


def moderate(
    session: Session, user: User | None, *, object_type: str, object_id: int, action: str, reason: str
) -> ModerationAction:
    """An admin's decision on an object, with the reason its owner will see; recorded in the audit trail.

    Suspending applies to the company that answers for the object (the company itself, a listing's
    company, a message's or thread's sending company)."""
    admin = require_admin(user)
    if object_type not in OBJECT_TYPES:
        raise NotFound(N_("Page not found"))
    try:
        owner = owner_of(session, object_type, object_id)
    except NotFound:
        if action != "dismiss" or not _has_reports(session, object_type, object_id):
            raise
        owner = Owner(None)  # deleted since it was reported: its reports can still be closed
    if action not in OBJECT_ACTIONS[object_type]:
        message = N_("Choose an action.")
        raise InvalidInput(message, fields={"action": message})
    reason = _clean_reason(reason)
    target_type, target_id = object_type, object_id
    if action in ("suspend", "unsuspend"):
        if owner.company_id is None:
            raise InvalidInput(N_("This sender has no company to suspend."))
        target_type, target_id = "company", owner.company_id
    if action in ("hide", "suspend"):
        _place_hold(session, admin, target_type, target_id, action, reason)
    elif action in ("unhide", "unsuspend"):
        _lift_hold(session, admin, target_type, target_id, "hide" if action == "unhide" else "suspend")
    elif action == "restore":
        _restore_thread(session, object_id)
    if action in CLOSES_REPORTS:
        _close_reports(session, admin, object_type, object_id, CLOSES_REPORTS[action])
    entry = _record(session, admin, object_type, object_id, action, reason, owner)
    if (target_type, target_id) != (object_type, object_id):  # the company's own trail shows it too
        _record(session, admin, target_type, target_id, action, reason, owner)
    return entry


def audit_trail(session: Session, object_type: str, object_id: int) -> list[ModerationAction]:
    return list(
        session.execute(
            select(ModerationAction)
            .where(ModerationAction.object_type == object_type, ModerationAction.object_id == object_id)
            .order_by(ModerationAction.id.desc())  # type: ignore[union-attr]
        ).scalars()
    )
