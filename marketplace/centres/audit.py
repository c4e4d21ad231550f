"""The audit trail: who changed a company's profile or listings, and on whose behalf."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.models import AuditEvent


def record_event(
    session: Session,
    *,
    company_id: int,
    action: str,
    user: User | None,
    centre_id: int | None = None,
    listing_id: int | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Keep one line of the trail; centre_id is set when an advisor acted for the company."""
    event = AuditEvent(
        company_id=company_id,
        listing_id=listing_id,
        user_id=user.id if user is not None else None,
        centre_id=centre_id,
        action=action,
        detail=(detail or None) and detail[:1000],
    )
    session.add(event)
    session.flush()
    return event


def company_trail(
    session: Session, company_id: int, *, limit: int = 100
) -> list[tuple[AuditEvent, User | None]]:
    """The newest events of a company with who did them."""
    rows = session.execute(
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.company_id == company_id)
        .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    ).all()
    return [(event, user) for event, user in rows]
