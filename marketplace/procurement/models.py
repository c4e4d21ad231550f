"""Government procurement notices imported from OCDS data; never edited by hand."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, money_field


class ProcurementNotice(SQLModel, table=True):
    __tablename__ = "procurement_notices"

    id: int | None = Field(default=None, primary_key=True)
    ocid: str = Field(max_length=200, unique=True, index=True)
    publisher: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, max_length=2, index=True)
    buyer_name: str | None = Field(default=None, max_length=300)
    buyer_id: str | None = Field(default=None, max_length=300)
    title: str = Field(max_length=1000)
    description: str | None = None
    language: str | None = Field(default=None, max_length=2)
    # [{"description", "scheme", "code", "quantity", "unit"}] as published.
    items: list[dict] = Field(default_factory=list, sa_type=JSON, nullable=False)
    value_amount: Decimal | None = money_field()
    value_currency: str | None = Field(default=None, max_length=3)
    tender_start: datetime | None = None
    tender_end: datetime | None = Field(default=None, index=True)
    status: str | None = Field(default=None, max_length=32)
    # "unspsc:43211500", "cpv:30213100", "cpc:452900028"… (scheme:code, deduplicated) for search and matching.
    classifications: list[str] = Field(
        default_factory=list, sa_type=JSON, nullable=False, sa_column_kwargs={"server_default": text("'[]'")}
    )
    sme_suitable: bool | None = None  # tender.suitability.sme, or a buyer-side scale "sme"; None = not said
    content_hash: str | None = Field(default=None, max_length=64)  # of the compiled release: skip unchanged
    url: str | None = Field(default=None, max_length=1000)
    release_date: datetime | None = None  # of the newest release taken in; older ones never overwrite
    version: int = Field(default=1)
    imported_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ProcurementReminder(SQLModel, table=True):
    """A deadline reminder sent to a company for a notice: each is sent once."""

    __tablename__ = "procurement_reminders"
    __table_args__ = (UniqueConstraint("company_id", "notice_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    notice_id: int = Field(foreign_key="procurement_notices.id", index=True, ondelete="CASCADE")
    sent_at: datetime = created_at_field()
