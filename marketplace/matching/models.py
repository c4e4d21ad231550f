"""A buy request and an offer that fit each other, stored once per pair."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field


class Match(SQLModel, table=True):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("request_listing_id", "offer_listing_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_listing_id: int = Field(foreign_key="listings.id", index=True, ondelete="CASCADE")
    offer_listing_id: int = Field(foreign_key="listings.id", index=True, ondelete="CASCADE")
    score: float
    # Machine-readable reasons ({"code": ..., "params": {...}}), rendered in the reader's language.
    reasons: list[dict] = Field(default_factory=list, sa_type=JSON, nullable=False)
    notified_at: datetime | None = None  # when both sides had been told (in-app and in a digest)
    # Each side is told once: its users' digest e-mail lists the match, then this is set.
    buyer_notified_at: datetime | None = None
    seller_notified_at: datetime | None = None
    dismissed_by_buyer: bool = Field(default=False)
    dismissed_by_seller: bool = Field(default=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
