"""What an outcome form or API call may set (the same rules for both)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from marketplace.core.models import utcnow


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["deal", "sale", "contract", "investment", "jobs"]
    counterpart: str | None = Field(default=None, max_length=200)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    jobs_created: int = Field(default=0, ge=0, le=100_000)
    jobs_kept: int = Field(default=0, ge=0, le=100_000)
    occurred_on: date
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    @field_validator("occurred_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > utcnow().date():
            raise ValueError("the date cannot be in the future")
        return value

    @model_validator(mode="after")
    def _currency_with_amount(self) -> OutcomeIn:
        if self.amount is not None and not self.currency:
            raise ValueError("currency: required with an amount")
        return self
