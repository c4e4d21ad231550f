"""Listings: what a company sells (offer) or needs (buy request)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, list_field, money_field, quantity_field

LISTING_KINDS = ("offer", "request")
LISTING_STATUSES = ("draft", "pending_review", "published", "expired", "closed")


class Listing(SQLModel, table=True):
    __tablename__ = "listings"
    __table_args__ = (Index("ix_listings_status_published_at", "status", "published_at"),)

    id: int | None = Field(default=None, primary_key=True)
    external_key: str | None = Field(default=None, max_length=100, unique=True, index=True)
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)  # LISTING_KINDS
    title: str = Field(max_length=200)
    description: str = Field(max_length=8000)
    language: str = Field(max_length=2)  # codes.LISTING_LANGUAGES
    hs_code: str | None = Field(default=None, max_length=6, index=True)
    unspsc_code: str | None = Field(default=None, max_length=8)
    quantity: Decimal | None = quantity_field()
    unit: str | None = Field(default=None, max_length=16)  # codes.UNITS
    min_order: Decimal | None = quantity_field()
    price_min: Decimal | None = money_field()
    price_max: Decimal | None = money_field()
    currency: str | None = Field(default=None, max_length=3)
    incoterm: str | None = Field(default=None, max_length=3)
    ship_to: list[str] = list_field()  # offers: delivery countries, empty = anywhere
    accept_from: list[str] = list_field()  # requests: origin countries accepted, empty = anywhere
    certifications: list[str] = list_field()  # offers: held; requests: required
    valid_until: date | None = None
    status: str = Field(default="draft", max_length=16, index=True)  # LISTING_STATUSES
    rejection_reason: str | None = Field(default=None, max_length=1000)
    created_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_by_advisor: bool = Field(default=False)  # an advisor posted it on the company's behalf
    # Bumped on every change: outbox rows carry it so the index never goes back to an older version.
    version: int = Field(default=1)
    views: int = Field(default=0)  # page views by people outside the company
    # Taken off public pages, search and matching by moderation (the listing or its company held);
    # marketplace.moderation.service keeps it in step with its holds.
    hidden: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    published_at: datetime | None = None
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
