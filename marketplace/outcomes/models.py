"""Outcomes a client company reports (deals, sales, contracts, jobs), for its centre's reporting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, money_field

OUTCOME_KINDS = ("deal", "sale", "contract", "investment", "jobs")


class Outcome(SQLModel, table=True):
    __tablename__ = "outcomes"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    centre_id: int | None = Field(default=None, foreign_key="centres.id", index=True, ondelete="SET NULL")
    reported_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    inquiry_id: int | None = Field(default=None, foreign_key="inquiries.id", ondelete="SET NULL")
    kind: str = Field(max_length=12)  # OUTCOME_KINDS
    counterpart: str | None = Field(default=None, max_length=200)
    amount: Decimal | None = money_field()
    currency: str | None = Field(default=None, max_length=3)
    jobs_created: int = Field(default=0)
    jobs_kept: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    occurred_on: date
    note: str | None = Field(default=None, max_length=2000)
    # An advisor of the centre confirmed (or corrected) what the company reported.
    confirmed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    confirmed_at: datetime | None = None
    created_at: datetime = created_at_field()
