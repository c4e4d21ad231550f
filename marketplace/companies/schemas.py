"""What a company profile may contain, checked the same way for forms, the API and imports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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

    @model_validator(mode="after")
    def _tax_id_format(self) -> CompanyIn:
        if self.tax_id and tax_id_problem(self.country, self.tax_id):
            raise ValueError("tax_id: This does not match the format of tax IDs in this country.")
        return self
