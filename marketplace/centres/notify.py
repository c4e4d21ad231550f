"""Mail to a client's owners about their centre's review, in each owner's language."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Centre
from marketplace.core.i18n import N_, SOURCE_LANGUAGE, gettext_for
from marketplace.listings.models import Listing
from marketplace.mail.service import queue_mail


def mail_sent_back(session: Session, listing: Listing, *, centre_id: int, reason: str) -> int:
    """Tell the company's owners that a listing came back from review, with the reviewer's reason."""
    centre = session.get(Centre, centre_id)
    owners = session.execute(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.company_id == listing.company_id, Membership.role == "owner", User.is_active.is_(True)
        )  # type: ignore[attr-defined]
    ).scalars()
    sent = 0
    for owner in owners:
        language = owner.locale or SOURCE_LANGUAGE
        subject = gettext_for(language, N_("Your listing needs changes: %(title)s"), title=listing.title)
        body = "\n\n".join(
            [
                gettext_for(
                    language,
                    N_("%(centre)s reviewed your listing “%(title)s” and sent it back:"),
                    centre=centre.name if centre else "",
                    title=listing.title,
                ),
                reason,
                gettext_for(
                    language, N_("Edit it on Puente, then publish it again: it goes back to review.")
                ),
            ]
        )
        queue_mail(session, to=owner.email, subject=subject, body_text=body)
        sent += 1
    return sent
