"""What a company profile may contain, checked the same way for forms, the API and imports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from marketplace.companies.tax_ids import tax_id_problem
from marketplace.core.validation import (
    CertificationList,
    CountryCode,
    CountryList,
    Email,
    LanguageList,
    Phone,
    SectorList,
    WebUrl,
)


class CompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    legal_name: str | None = Field(default=None, max_length=200)
    country: CountryCode
    tax_id: str | None = Field(default=None, max_length=40)  # after country: its format depends on it
    region: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    size_class: Literal["micro", "small", "medium"]
    sectors: SectorList = []
    languages: LanguageList = []
    export_experience: Literal["none", "occasional", "regular"] = "none"
    markets_served: CountryList = []
    certifications: CertificationList = []
    women_led: bool = False
    youth_led: bool = False
    website: WebUrl | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    contact_email: Email | None = None
    phone: Phone | None = None
    whatsapp: Phone | None = None

    @field_validator("tax_id")
    @classmethod
    def _tax_id_format(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if value and country and tax_id_problem(country, value):
            raise ValueError("This does not match the format of tax IDs in this country.")
        return value
