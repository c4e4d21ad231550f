"""Queries over centres, their advisors and their clients."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.centres.models import Centre, CentreClient


def reviewing_centre(session: Session, company_id: int) -> Centre | None:
    """The centre that reviews the company's listings before they go public (an active client of one that asks)."""
    return (
        session.execute(
            select(Centre)
            .join(CentreClient, CentreClient.centre_id == Centre.id)
            .where(
                CentreClient.company_id == company_id,
                CentreClient.status == "active",
                Centre.requires_review.is_(True),  # type: ignore[attr-defined]
            )
            .order_by(Centre.id)
        )
        .scalars()
        .first()
    )


def client_link(session: Session, centre_id: int, company_id: int) -> CentreClient | None:
    return session.execute(
        select(CentreClient).where(CentreClient.centre_id == centre_id, CentreClient.company_id == company_id)
    ).scalar_one_or_none()
