"""Match alerts: each side of a match is told once, in one digest e-mail per user per period."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.i18n import N_, SOURCE_LANGUAGE, gettext_for
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from marketplace.mail.service import queue_mail
from marketplace.matching.models import Match
from marketplace.matching.reasons import render_reason

DIGEST_JOB = "matching.send_digests"
DIGEST_EVERY = timedelta(minutes=5)


def send_match_digests(session: Session, *, base_url: str) -> int:
    """Mail every member of each side of the matches not yet notified (one mail per user); returns mails queued.

    Each side's time is set in the same transaction as its mails are queued, so a re-run sends nothing twice.
    """
    pending = list(
        session.execute(
            select(Match)
            .where(or_(Match.buyer_notified_at.is_(None), Match.seller_notified_at.is_(None)))  # type: ignore[union-attr]
            .with_for_update()
        ).scalars()
    )
    if not pending:
        return 0
    ids = {m.request_listing_id for m in pending} | {m.offer_listing_id for m in pending}
    listings = {
        item.id: item for item in session.execute(select(Listing).where(Listing.id.in_(ids))).scalars()
    }  # type: ignore[union-attr]
    per_company: dict[int, list[tuple[Listing, Listing, Match]]] = defaultdict(list)
    now = utcnow()
    for match in pending:
        request, offer = listings.get(match.request_listing_id), listings.get(match.offer_listing_id)
        if request is None or offer is None:
            continue
        if match.buyer_notified_at is None:
            if not match.dismissed_by_buyer:
                per_company[request.company_id].append((request, offer, match))
            match.buyer_notified_at = now
        if match.seller_notified_at is None:
            if not match.dismissed_by_seller:
                per_company[offer.company_id].append((offer, request, match))
            match.seller_notified_at = now
        match.notified_at = now
        session.add(match)
    sent = 0
    for company_id, items in per_company.items():
        company = session.get(Company, company_id)
        users = session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.company_id == company_id,
                User.is_active.is_(True),  # type: ignore[attr-defined]
            )
        ).scalars()
        for user in users:
            _queue_digest(session, user, company, items, base_url=base_url)  # type: ignore[arg-type]
            sent += 1
    return sent


def _queue_digest(
    session: Session,
    user: User,
    company: Company,
    items: list[tuple[Listing, Listing, Match]],
    *,
    base_url: str,
) -> None:
    language = user.locale or SOURCE_LANGUAGE
    t = lambda message, **values: gettext_for(language, message, **values)  # noqa: E731
    subject = t(N_("%(count)s new matches for %(company)s on Puente"), count=len(items), company=company.name)
    lines = [t(N_("New matches for your listings:")), ""]
    for own, other, match in sorted(items, key=lambda item: -item[2].score):
        lines.append(f"- {other.title}")
        lines.append("  " + t(N_("for your listing: %(title)s"), title=own.title))
        lines.extend(f"  · {render_reason(reason, language)}" for reason in match.reasons[:4])
        lines.append(f"  {base_url.rstrip('/')}/listings/{other.id}")
        lines.append("")
    lines.append(
        t(N_("See all your matches: %(url)s"), url=f"{base_url.rstrip('/')}/dashboard?company={company.id}")
    )
    queue_mail(session, to=user.email, subject=subject, body_text="\n".join(lines))
