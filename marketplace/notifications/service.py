"""In-app notices for one user: create once, list newest first, mark read, count for the header badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select, update
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.i18n import N_, gettext_for
from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry, Message
from marketplace.listings.models import Listing
from marketplace.matching.models import Match
from marketplace.notifications.models import (
    DIGEST_PERIODS,
    INQUIRY_KINDS,
    Notification,
    NotificationSettings,
)

# --- Settings -------------------------------------------------------------------------------------------------

SETTING_FIELDS = ("email_new_inquiries", "email_replies", "email_matches", "email_saved_searches")


def settings_for(session: Session, user_id: int) -> NotificationSettings:
    """The user's e-mail choices (the defaults, not yet stored, when they never chose)."""
    found = session.execute(
        select(NotificationSettings).where(NotificationSettings.user_id == user_id)
    ).scalar_one_or_none()
    return found or NotificationSettings(user_id=user_id)


def save_settings(session: Session, user_id: int, **choices: bool | str | None) -> NotificationSettings:
    """Store the given choices (a None or missing choice keeps its current value)."""
    found = settings_for(session, user_id)
    for name in SETTING_FIELDS:
        value = choices.get(name)
        if value is not None:
            setattr(found, name, bool(value))
    period = choices.get("alert_digest")
    if period is not None:
        if period not in DIGEST_PERIODS:
            message = N_("Choose how often to receive alerts.")
            raise InvalidInput(message, fields={"alert_digest": message})
        found.alert_digest = str(period)
    found.updated_at = utcnow()
    session.add(found)
    session.flush()
    return found


def wants_email(choice: NotificationSettings, kind: str) -> bool:
    return {
        "new_inquiry": choice.email_new_inquiries,
        "reply": choice.email_replies,
        "match": choice.email_matches,
        "saved_search": choice.email_saved_searches,
    }.get(kind, False)


# --- Creating notices -----------------------------------------------------------------------------------------


def add_once(session: Session, notices: list[Notification]) -> list[Notification]:
    """Add the notices whose (user, dedupe_key) is not stored yet; returns those added."""
    keys = {n.dedupe_key for n in notices if n.dedupe_key}
    existing: set[tuple[int, str]] = set()
    if keys:
        existing = {
            (row.user_id, row.dedupe_key)
            for row in session.execute(
                select(Notification.user_id, Notification.dedupe_key).where(
                    Notification.dedupe_key.in_(keys)  # type: ignore[union-attr]
                )
            )
        }
    added = []
    for notice in notices:
        key = (notice.user_id, notice.dedupe_key)
        if notice.dedupe_key and key in existing:
            continue
        if notice.dedupe_key:
            existing.add(key)  # type: ignore[arg-type]
        session.add(notice)
        added.append(notice)
    session.flush()
    return added


def notify_saved_search_hit(
    session: Session, *, user_id: int, saved_search_id: int, listing_id: int
) -> Notification | None:
    """A listing that a user's saved search found: one notice per search and listing, mailed with the alerts.

    For the saved-search feature to call when a newly published listing fits a saved search."""
    notice = Notification(
        user_id=user_id,
        kind="saved_search",
        listing_id=listing_id,
        dedupe_key=f"saved_search:{saved_search_id}:{listing_id}",
    )
    added = add_once(session, [notice])
    return added[0] if added else None


# --- Reading --------------------------------------------------------------------------------------------------


@dataclass
class NoticeView:
    """A notice ready to show: its title in the reader's language and the path it links to."""

    notice: Notification
    title: str  # e.g. "New match: Roasted coffee beans"
    detail: str  # e.g. "for your listing: Café tostado en grano"
    path: str  # where it links to, e.g. /listings/12
    subject: str = ""  # the title of the listing it is about

    @property
    def is_read(self) -> bool:
        return self.notice.read_at is not None


@dataclass
class NoticePage:
    items: list[NoticeView]
    total: int
    unread: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _own(session: Session, user: User, notification_id: int) -> Notification:
    notice = session.get(Notification, notification_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(N_("Page not found"))  # someone else's notice: as if it did not exist
    return notice


def list_notices(
    session: Session, user: User, *, page: int, per_page: int, language: str, unread_only: bool = False
) -> NoticePage:
    """The user's notices, newest first, one page of them, described in `language`."""
    conditions = [Notification.user_id == user.id]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))  # type: ignore[union-attr]
    total = session.execute(select(func.count()).select_from(Notification).where(*conditions)).scalar_one()
    rows = list(
        session.execute(
            select(Notification)
            .where(*conditions)
            .order_by(Notification.id.desc())  # type: ignore[union-attr]
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
    )
    unread, _ = unread_counts(session, user.id)  # type: ignore[arg-type]
    return NoticePage(describe(session, rows, language), total, unread, page, per_page)


def describe(session: Session, notices: list[Notification], language: str) -> list[NoticeView]:
    """Titles and links for notices, with one query per kind of related row (not one per notice)."""

    def load(model, ids):  # type: ignore[no-untyped-def]
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return {row.id: row for row in session.execute(select(model).where(model.id.in_(ids))).scalars()}

    matches = load(Match, (n.match_id for n in notices))
    inquiries = load(Inquiry, (n.inquiry_id for n in notices))
    messages = load(Message, (n.message_id for n in notices))
    listing_ids = {n.listing_id for n in notices}
    listing_ids |= {m.request_listing_id for m in matches.values()} | {
        m.offer_listing_id for m in matches.values()
    }
    listing_ids |= {i.listing_id for i in inquiries.values()}
    listings = load(Listing, listing_ids)
    companies = load(
        Company,
        [m.sender_company_id for m in messages.values()] + [item.company_id for item in listings.values()],
    )
    senders = load(User, (m.sender_user_id for m in messages.values()))

    def t(message: str, **values: object) -> str:
        return gettext_for(language, message, **values)

    views = []
    for notice in notices:
        if notice.kind in INQUIRY_KINDS:
            message = messages.get(notice.message_id)
            company = companies.get(message.sender_company_id) if message else None
            sender = senders.get(message.sender_user_id) if message else None
            who = company.name if company else (sender.display_name if sender else "")
            if message is not None and message.acting_centre_id and company and sender:
                # An advisor wrote for the company: say so, as the thread does.
                who = t(N_("%(advisor)s for %(company)s"), advisor=sender.display_name, company=company.name)
            template = (
                N_("New inquiry from %(sender)s")
                if notice.kind == "new_inquiry"
                else N_("New reply from %(sender)s")
            )
            inquiry = inquiries.get(notice.inquiry_id)
            listing = listings.get(inquiry.listing_id) if inquiry else None
            views.append(
                NoticeView(
                    notice,
                    t(template, sender=who),
                    listing.title if listing else "",
                    f"/inquiries/{notice.inquiry_id}",
                    listing.title if listing else "",
                )
            )
        elif notice.kind == "match":
            match = matches.get(notice.match_id)
            other = listings.get(notice.listing_id)
            own_id = None
            if match is not None:
                own_id = (
                    match.request_listing_id
                    if match.offer_listing_id == notice.listing_id
                    else match.offer_listing_id
                )
            own = listings.get(own_id)
            company = companies.get(other.company_id) if other else None
            views.append(
                NoticeView(
                    notice,
                    t(N_("New match: %(title)s"), title=other.title if other else ""),
                    t(N_("for your listing: %(title)s"), title=own.title)
                    if own
                    else (company.name if company else ""),
                    f"/listings/{notice.listing_id}",
                    other.title if other else "",
                )
            )
        else:  # saved_search
            listing = listings.get(notice.listing_id)
            company = companies.get(listing.company_id) if listing else None
            views.append(
                NoticeView(
                    notice,
                    t(
                        N_("New listing for your saved search: %(title)s"),
                        title=listing.title if listing else "",
                    ),
                    company.name if company else "",
                    f"/listings/{notice.listing_id}",
                    listing.title if listing else "",
                )
            )
    return views


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notices read (another user's answers 404)."""
    notice = _own(session, user, notification_id)
    if notice.read_at is None:
        notice.read_at = utcnow()
        session.add(notice)
        session.flush()
    return notice


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notice of the user read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))  # type: ignore[union-attr]
        .values(read_at=utcnow())
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


def mark_inquiry_read(session: Session, user_id: int, inquiry_id: int) -> None:
    """Opening a thread reads its notices."""
    session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.inquiry_id == inquiry_id,
            Notification.read_at.is_(None),  # type: ignore[union-attr]
        )
        .values(read_at=utcnow())
    )


def unread_counts(session: Session, user_id: int) -> tuple[int, int]:
    """(unread notices, inquiry threads with an unread notice): one query on the (user_id, read_at) index."""
    total, threads = session.execute(
        select(func.count(), func.count(distinct(Notification.inquiry_id))).where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),  # type: ignore[union-attr]
        )
    ).one()
    return int(total), int(threads)


def latest_unmailed_before(session: Session, user_id: int, kinds: tuple[str, ...], before: datetime) -> list:
    """The user's notices of `kinds` not yet handled by a digest and created before `before`, oldest first."""
    return list(
        session.execute(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.kind.in_(kinds),  # type: ignore[attr-defined]
                Notification.emailed_at.is_(None),  # type: ignore[union-attr]
                Notification.created_at < before,
            )
            .order_by(Notification.id)
        ).scalars()
    )
