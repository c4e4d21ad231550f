"""What an inquiry, a quote, a reply and a closing may contain: the same rules for forms and the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from marketplace.core.codes import INCOTERMS
from marketplace.core.validation import CurrencyCode, Unit

MAX_MESSAGE = 4000


class InquiryIn(BaseModel):
    """An inquiry on an offer (quantity, target price, delivery country, Incoterm, needed-by date) or a quote
    on a buy request (price, quantity, lead time, Incoterm, validity); the message is required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message: str = Field(min_length=10, max_length=MAX_MESSAGE)
    from_company_id: int | None = None
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=16, decimal_places=3)
    unit: Unit | None = None
    price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    currency: CurrencyCode | None = None
    delivery_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    incoterm: str | None = None
    needed_by: date | None = None
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)
    quote_valid_until: date | None = None

    @field_validator("incoterm")
    @classmethod
    def _known_incoterm(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.upper() not in INCOTERMS:
            raise ValueError(f"not an Incoterm 2020 rule (one of {' '.join(INCOTERMS)})")
        return value.upper()

    @model_validator(mode="after")
    def _consistent(self) -> InquiryIn:
        if self.price is not None and self.currency is None:
            raise ValueError("currency: required with a price")
        return self


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message: str = Field(min_length=1, max_length=MAX_MESSAGE)


class CloseIn(BaseModel):
    """Closing a thread records its outcome; a deal may carry its amount for the centres' reports."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: Literal["deal", "no_deal", "no_answer"]
    amount: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    currency: CurrencyCode | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CloseIn:
        if self.amount is not None and self.currency is None:
            raise ValueError("currency: required with an amount")
        return self


class NotificationSettingsIn(BaseModel):
    """The user's e-mail choices for every kind of notification; a missing one keeps its current value."""

    model_config = ConfigDict(extra="forbid")

    email_new_inquiries: bool | None = None
    email_replies: bool | None = None
    email_matches: bool | None = None
    email_saved_searches: bool | None = None
    alert_digest: Literal["immediate", "daily"] | None = None  # how often matches and saved-search hits
