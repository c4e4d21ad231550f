"""The listing form: from submitted text to a ListingIn (same rules as the API), and back for editing."""

from __future__ import annotations

from typing import Any

from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn

LIST_FIELDS = ("certifications", "ship_to", "accept_from")
FIELDS = (
    "kind", "title", "description", "language", "hs_code", "unspsc_code", "quantity", "unit", "min_order",
    "price_min", "price_max", "currency", "incoterm", "valid_until", *LIST_FIELDS,
)  # fmt: skip
# The member states of the OAS, offered as delivery / origin countries (ISO 3166-1 alpha-2).
OAS_COUNTRIES = (
    "AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CA", "CL", "CO", "CR", "CU",
    "DM", "DO", "EC", "SV", "GD", "GT", "GY", "HT", "HN", "JM", "MX", "NI",
    "PA", "PY", "PE", "KN", "LC", "VC", "SR", "TT", "US", "UY", "VE",
)  # fmt: skip


def parse_listing_form(values: dict[str, Any]) -> ListingIn:
    """Validate a submitted form; empty fields are absent. Raises pydantic.ValidationError."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if name in LIST_FIELDS:
            data[name] = [item for item in (value or []) if item]
        elif isinstance(value, str) and value.strip():
            data[name] = value.strip()
    return ListingIn.model_validate(data)


def listing_form_values(listing: Listing) -> dict[str, Any]:
    """A listing's fields as the form shows them."""
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(listing, name)
        if name in LIST_FIELDS:
            values[name] = list(value or [])
        elif value is None:
            values[name] = ""
        elif hasattr(value, "isoformat"):
            values[name] = value.isoformat()
        else:
            values[name] = str(value).rstrip("0").rstrip(".") if "." in str(value) else str(value)
    return values
