"""What the owner of a moderated object is told on its own pages: holds in force and recent warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.moderation import repository
from marketplace.moderation.models import ModerationAction

OWNER_NOTICE_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class OwnerNotice:
    """What an owner is told: a hide or a suspension in force, or a recent warning, with its reason."""

    kind: str  # "hide", "suspend", "warn"
    object_type: str
    reason: str
    at: object


def owner_notices(
    session: Session, *, company_id: int | None = None, listing_id: int | None = None
) -> list[OwnerNotice]:
    """For the owner's pages: holds in force on the listing or company, and warnings of the last 90 days."""
    notices: list[OwnerNotice] = []
    targets = []
    if listing_id is not None:
        targets.append(("listing", listing_id))
    if company_id is not None:
        targets.append(("company", company_id))
    for object_type, object_id in targets:
        for hold in repository.live_holds(session, object_type, object_id):
            notices.append(OwnerNotice(hold.kind, object_type, hold.reason, hold.created_at))
    if company_id is not None or listing_id is not None:
        query = select(ModerationAction).where(
            ModerationAction.action == "warn",
            ModerationAction.created_at >= utcnow() - OWNER_NOTICE_WINDOW,
        )
        if listing_id is not None:
            query = query.where(
                ModerationAction.object_type == "listing", ModerationAction.object_id == listing_id
            )
        else:
            query = query.where(ModerationAction.owner_company_id == company_id)
        seen = set()
        for entry in session.execute(query.order_by(ModerationAction.id.desc())).scalars():
            if (entry.reason, entry.created_at) in seen:  # a warning recorded on two objects shows once
                continue
            seen.add((entry.reason, entry.created_at))
            notices.append(OwnerNotice("warn", entry.object_type, entry.reason, entry.created_at))
    return notices
