"""Match alerts: each side of a match is told once, in the app and in one alerts digest per user per period.

The periodic job (DIGEST_JOB) first turns every side of a match not yet told into an in-app notice for each
member of that side's company, then mails each user the alert notices (matches and saved-search hits) that
their choices ask for: as they come (the job's period) or once a day (the notices of the previous UTC days).
A notice is mailed at most once (emailed_at), in the same transaction that queues the mail, so re-running
the job sends nothing twice.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.core.i18n import N_, SOURCE_LANGUAGE, gettext_for, translations
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from marketplace.mail.service import queue_mail
from marketplace.matching.models import Match
from marketplace.matching.reasons import render_reason
from marketplace.notifications import service as notices
from marketplace.notifications.models import ALERT_KINDS, Notification
from marketplace.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url

DIGEST_JOB = "matching.send_digests"
DIGEST_EVERY = timedelta(minutes=5)
MAX_REASONS = 4


def send_match_digests(
    session: Session, *, base_url: str, secret_key: str, now: datetime | None = None
) -> int:
    """Notify the new matches in the app, then mail the alert digests that are due; returns mails queued."""
    moment = now or utcnow()
    notify_new_matches(session, now=moment)
    return send_alert_digests(session, base_url=base_url, secret_key=secret_key, now=moment)


def notify_new_matches(session: Session, *, now: datetime | None = None) -> int:
    """An in-app notice for each active member of each side not told yet (not for a dismissed side).

    Each side's time is set in the same transaction as its notices, and a notice is unique per user and
    side, so a re-run creates nothing twice. Returns the notices created."""
    pending = list(
        session.execute(
            select(Match)
            .where(or_(Match.buyer_notified_at.is_(None), Match.seller_notified_at.is_(None)))  # type: ignore[union-attr]
            .with_for_update()
        ).scalars()
    )
    if not pending:
        return 0
    moment = now or utcnow()
    ids = {m.request_listing_id for m in pending} | {m.offer_listing_id for m in pending}
    listings = {
        item.id: item
        for item in session.execute(select(Listing).where(Listing.id.in_(ids))).scalars()  # type: ignore[union-attr]
    }
    company_ids = {item.company_id for item in listings.values()}
    members: dict[int, list[int]] = defaultdict(list)
    for company_id, user_id in session.execute(
        select(Membership.company_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.company_id.in_(company_ids), User.is_active.is_(True))  # type: ignore[attr-defined]
    ):
        members[company_id].append(user_id)
    created: list[Notification] = []
    for match in pending:
        request, offer = listings.get(match.request_listing_id), listings.get(match.offer_listing_id)
        if request is None or offer is None:
            continue
        sides = (
            ("buyer", request, offer, match.buyer_notified_at, match.dismissed_by_buyer),
            ("seller", offer, request, match.seller_notified_at, match.dismissed_by_seller),
        )
        for side, own, other, told_at, dismissed in sides:
            if told_at is not None:
                continue
            if not dismissed:
                created += [
                    Notification(
                        user_id=user_id,
                        kind="match",
                        match_id=match.id,
                        listing_id=other.id,
                        dedupe_key=f"match:{match.id}:{side}",
                    )
                    for user_id in members.get(own.company_id, [])
                ]
            setattr(match, f"{side}_notified_at", moment)
        match.notified_at = moment
        session.add(match)
    return len(notices.add_once(session, created))


def _start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def send_alert_digests(
    session: Session, *, base_url: str, secret_key: str, now: datetime | None = None
) -> int:
    """Mail each user with due alert notices one digest (unread notices of the kinds they want)."""
    moment = now or utcnow()
    user_ids = list(
        session.execute(
            select(Notification.user_id)
            .distinct()
            .where(
                Notification.kind.in_(ALERT_KINDS),  # type: ignore[attr-defined]
                Notification.emailed_at.is_(None),  # type: ignore[union-attr]
            )
        ).scalars()
    )
    sent = 0
    for user_id in sorted(user_ids):
        choice = notices.settings_for(session, user_id)
        wants_any = choice.email_matches or choice.email_saved_searches
        daily = wants_any and choice.alert_digest == "daily"
        # A daily digest takes the notices of the days before today (UTC): sent by the first run of a day.
        due = notices.latest_unmailed_before(
            session, user_id, ALERT_KINDS, _start_of_day(moment) if daily else moment + timedelta(seconds=1)
        )
        if not due:
            continue
        wanted = [n for n in due if n.read_at is None and notices.wants_email(choice, n.kind)]
        for notice in due:
            notice.emailed_at = moment
            session.add(notice)
        user = session.get(User, user_id)
        if wanted and user is not None and user.is_active:
            _queue_digest(session, user, wanted, base_url=base_url, secret_key=secret_key)
            sent += 1
    session.flush()
    return sent


def _queue_digest(
    session: Session, user: User, wanted: list[Notification], *, base_url: str, secret_key: str
) -> None:
    language = user.locale or SOURCE_LANGUAGE
    base = base_url.rstrip("/")

    def t(message: str, **values: object) -> str:
        return gettext_for(language, message, **values)

    views = notices.describe(session, wanted, language)
    matches = {
        m.id: m
        for m in session.execute(
            select(Match).where(Match.id.in_({n.match_id for n in wanted if n.match_id}))  # type: ignore[union-attr]
        ).scalars()
    }
    match_views = sorted(
        (v for v in views if v.notice.kind == "match"),
        key=lambda v: -(matches[v.notice.match_id].score if v.notice.match_id in matches else 0),
    )
    search_views = [v for v in views if v.notice.kind == "saved_search"]
    lines: list[str] = []
    items: list[str] = []
    if match_views:
        lines += [t(N_("New matches for your listings:")), ""]
        items.append(f"<h2>{html.escape(t(N_('New matches for your listings:')))}</h2><ul>")
        for view in match_views:
            match = matches.get(view.notice.match_id)  # type: ignore[arg-type]
            reasons = [render_reason(r, language) for r in (match.reasons if match else [])[:MAX_REASONS]]
            link = f"{base}{view.path}"
            title = view.subject
            lines += [f"- {title}", f"  {view.detail}", *(f"  · {r}" for r in reasons), f"  {link}", ""]
            items.append(
                f'<li><p><a href="{html.escape(link)}"><strong>{html.escape(title)}</strong></a></p>'
                f"<p>{html.escape(view.detail)}</p>"
                f"<ul>{''.join(f'<li>{html.escape(r)}</li>' for r in reasons)}</ul></li>"
            )
        items.append("</ul>")
    if search_views:
        lines += [t(N_("New listings for your saved searches:")), ""]
        items.append(f"<h2>{html.escape(t(N_('New listings for your saved searches:')))}</h2><ul>")
        for view in search_views:
            link = f"{base}{view.path}"
            lines += [f"- {view.title}", f"  {view.detail}", f"  {link}", ""]
            items.append(
                f'<li><p><a href="{html.escape(link)}">{html.escape(view.title)}</a></p>'
                f"<p>{html.escape(view.detail)}</p></li>"
            )
        items.append("</ul>")
    kind = "alerts" if match_views and search_views else ("matches" if match_views else "saved_searches")
    stop_url = unsubscribe_url(base_url, secret_key, user.id, kind)  # type: ignore[arg-type]
    footer = [
        t(N_("See all your notifications: %(url)s"), url=f"{base}/notifications"),
        t(N_("Choose which e-mails you receive: %(link)s"), link=f"{base}/inquiries/settings"),
        t(N_("Stop these e-mails: %(link)s"), link=stop_url),
    ]
    if match_views and not search_views:
        subject = translations(language).ngettext(
            "Puente: %(count)s new match for your listings",
            "Puente: %(count)s new matches for your listings",
            len(match_views),
        ) % {"count": len(match_views)}
    else:
        subject = translations(language).ngettext(
            "Puente: %(count)s new alert for you", "Puente: %(count)s new alerts for you", len(views)
        ) % {"count": len(views)}
    body_html = "".join(items) + "".join(f"<p>{html.escape(line)}</p>" for line in footer[:2])
    body_html += f'<p><a href="{html.escape(stop_url)}">{html.escape(footer[2])}</a></p>'
    queue_mail(
        session,
        to=user.email,
        subject=subject,
        body_text="\n".join([*lines, *footer]),
        body_html=body_html,
        headers=unsubscribe_headers(stop_url),
    )
