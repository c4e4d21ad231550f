"""The MSME: a company with its profile."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, list_field


class Company(SQLModel, table=True):
    __tablename__ = "companies"

    id: int | None = Field(default=None, primary_key=True)
    external_key: str | None = Field(default=None, max_length=100, unique=True, index=True)
    name: str = Field(max_length=200)
    legal_name: str | None = Field(default=None, max_length=200)
    tax_id: str | None = Field(default=None, max_length=40)
    country: str = Field(max_length=2, index=True)
    region: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    size_class: str = Field(max_length=8)  # codes.SIZE_CLASSES
    sectors: list[str] = list_field()
    languages: list[str] = list_field()
    export_experience: str = Field(default="none", max_length=12)  # codes.EXPORT_EXPERIENCE
    markets_served: list[str] = list_field()
    certifications: list[str] = list_field()
    women_led: bool = Field(default=False)
    youth_led: bool = Field(default=False)
    website: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    contact_email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    whatsapp: str | None = Field(default=None, max_length=40)
    # Verification by a centre (the advisors feature sets and renews it).
    verified_by_centre_id: int | None = Field(default=None, foreign_key="centres.id", ondelete="SET NULL")
    verified_until: datetime | None = None
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
