"""Queries over moderation state that other domains ask (imports only models, so anyone may use it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.moderation.models import ModerationHold


def live_holds(session: Session, object_type: str, object_id: int) -> list[ModerationHold]:
    return list(
        session.execute(
            select(ModerationHold)
            .where(
                ModerationHold.object_type == object_type,
                ModerationHold.object_id == object_id,
                ModerationHold.lifted_at.is_(None),  # type: ignore[union-attr]
            )
            .order_by(ModerationHold.id)
        ).scalars()
    )


def live_hold(session: Session, object_type: str, object_id: int, kind: str) -> ModerationHold | None:
    return next((hold for hold in live_holds(session, object_type, object_id) if hold.kind == kind), None)


def company_suspension(session: Session, company_id: int) -> ModerationHold | None:
    """The company's suspension in force, if any: its members cannot publish meanwhile."""
    return live_hold(session, "company", company_id, "suspend")


def company_hidden(session: Session, company_id: int) -> bool:
    """Hidden or suspended: the company's profile and listings are off public pages."""
    return bool(live_holds(session, "company", company_id))


def hidden_listing_ids(session: Session, listing_ids: list[int]) -> set[int]:
    """Of these listings, those with a hide of their own in force (their company's holds aside)."""
    if not listing_ids:
        return set()
    return set(
        session.execute(
            select(ModerationHold.object_id).where(
                ModerationHold.object_type == "listing",
                ModerationHold.kind == "hide",
                ModerationHold.object_id.in_(listing_ids),  # type: ignore[attr-defined]
                ModerationHold.lifted_at.is_(None),  # type: ignore[union-attr]
            )
        ).scalars()
    )


def hidden_messages(session: Session, message_ids: list[int]) -> dict[int, str]:
    """Of these messages, those hidden by moderation, with the reason (shown to their sender only)."""
    if not message_ids:
        return {}
    return dict(
        session.execute(  # type: ignore[arg-type]
            select(ModerationHold.object_id, ModerationHold.reason).where(
                ModerationHold.object_type == "message",
                ModerationHold.object_id.in_(message_ids),  # type: ignore[attr-defined]
                ModerationHold.lifted_at.is_(None),  # type: ignore[union-attr]
            )
        ).all()
    )
