"""What a company profile may contain, checked the same way for forms, the API and imports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    tax_id: str | None = Field(default=None, max_length=40)
    country: CountryCode
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
