"""Government procurement notices imported from OCDS data; never edited by hand."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, money_field


class ProcurementNotice(SQLModel, table=True):
    __tablename__ = "procurement_notices"

    id: int | None = Field(default=None, primary_key=True)
    ocid: str = Field(max_length=200, unique=True, index=True)
    publisher: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, max_length=2, index=True)
    buyer_name: str | None = Field(default=None, max_length=300)
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
    url: str | None = Field(default=None, max_length=1000)
    release_date: datetime | None = None  # of the newest release taken in; older ones never overwrite
    version: int = Field(default=1)
    imported_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
