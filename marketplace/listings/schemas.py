"""What a listing may contain, checked the same way for forms, the API and imports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from marketplace.core.codes import INCOTERMS
from marketplace.core.validation import CertificationList, CountryList, CurrencyCode, Unit
from search.taxonomy.hs import hs_taxonomy, valid_code_format
from search.taxonomy.unspsc import unspsc_taxonomy


class ListingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["offer", "request"]
    title: str = Field(min_length=5, max_length=200)
    description: str = Field(min_length=1, max_length=8000)
    language: Literal["es", "en", "pt", "fr"]
    hs_code: str | None = None
    unspsc_code: str | None = None
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=16, decimal_places=3)
    unit: Unit | None = None
    min_order: Decimal | None = Field(default=None, gt=0, max_digits=16, decimal_places=3)
    price_min: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    price_max: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    currency: CurrencyCode | None = None
    incoterm: str | None = None
    ship_to: CountryList = []
    accept_from: CountryList = []
    certifications: CertificationList = []
    valid_until: date | None = None

    @field_validator("hs_code")
    @classmethod
    def _known_hs_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.replace(".", "").replace(" ", "")
        if not valid_code_format(code):
            raise ValueError("an HS code has 2, 4 or 6 digits")
        if code not in hs_taxonomy():
            raise ValueError(f"{code} is not an HS 2022 code")
        return code

    @field_validator("unspsc_code")
    @classmethod
    def _known_unspsc_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in unspsc_taxonomy():
            raise ValueError(f"{value} is not a UNSPSC segment or family code")
        return value

    @field_validator("incoterm")
    @classmethod
    def _known_incoterm(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.upper() not in INCOTERMS:
            raise ValueError(f"not an Incoterm 2020 rule (one of {' '.join(INCOTERMS)})")
        return value.upper()

    @model_validator(mode="after")
    def _consistent(self) -> ListingIn:
        if (self.quantity is not None or self.min_order is not None) and self.unit is None:
            raise ValueError("unit: required with a quantity or minimum order")
        if (self.price_min is not None or self.price_max is not None) and self.currency is None:
            raise ValueError("currency: required with a price")
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            raise ValueError("price_max: must not be below price_min")
        return self
