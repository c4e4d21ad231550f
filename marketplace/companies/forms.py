"""The company profile form: from submitted text to a CompanyIn (same rules as the API), and back."""

from __future__ import annotations

from typing import Any

from marketplace.companies.models import Company
from marketplace.companies.schemas import CompanyIn

LIST_FIELDS = ("sectors", "languages", "markets_served", "certifications")
BOOL_FIELDS = ("women_led", "youth_led")
TEXT_FIELDS = (
    "name", "legal_name", "tax_id", "country", "region", "city", "size_class", "export_experience", "website",
    "description", "contact_email", "phone", "whatsapp",
)  # fmt: skip
PROFILE_LANGUAGES = ("es", "en", "pt", "fr", "ht", "nl")


def parse_company_form(form: Any) -> tuple[dict[str, Any], CompanyIn]:
    """The typed values (to re-render) and the validated profile. Raises pydantic.ValidationError."""
    values: dict[str, Any] = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = [item for item in form.getlist(name) if item]
    for name in BOOL_FIELDS:
        values[name] = form.get(name) == "on"
    data = {name: value for name, value in values.items() if value not in ("", None)}
    try:
        return values, CompanyIn.model_validate(data)
    except Exception as exc:
        exc.values = values  # type: ignore[attr-defined]  # the page re-renders what was typed
        raise


def company_form_values(company: Company) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(company, name) or "" for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = list(getattr(company, name) or [])
    for name in BOOL_FIELDS:
        values[name] = bool(getattr(company, name))
    return values
