"""Field validators shared by the schemas of every domain (API, forms and imports use the same rules)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ValidationError

from marketplace.core import codes

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,38}$")
_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _country(value: str) -> str:
    return codes.country_code(value)


def _currency(value: str) -> str:
    return codes.currency_code(value)


def _language(value: str) -> str:
    return codes.language_code(value)


def normalise_email_address(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise ValueError("use international format, e.g. +52 33 1234 5678")
    return value


def _url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError("must start with http:// or https://")
    return value


def _key(value: str) -> str:
    if not _KEY.match(value):
        raise ValueError("1–100 characters: letters, digits, '.', '_', '-' or ':'")
    return value


def _vocabulary(vocabulary: tuple[str, ...], what: str):  # type: ignore[no-untyped-def]
    def check(value: str) -> str:
        return codes.vocabulary_value(value, vocabulary, what)

    return check


CountryCode = Annotated[str, AfterValidator(_country)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
LanguageCode = Annotated[str, AfterValidator(_language)]
Email = Annotated[str, AfterValidator(normalise_email_address)]
Phone = Annotated[str, AfterValidator(_phone)]
WebUrl = Annotated[str, AfterValidator(_url)]
ExternalKey = Annotated[str, AfterValidator(_key)]
Sector = Annotated[str, AfterValidator(_vocabulary(codes.SECTORS, "sector"))]
Certification = Annotated[str, AfterValidator(_vocabulary(codes.CERTIFICATIONS, "certification"))]
Unit = Annotated[str, AfterValidator(_vocabulary(codes.UNITS, "unit"))]
CountryList = Annotated[list[CountryCode], AfterValidator(_unique)]
LanguageList = Annotated[list[LanguageCode], AfterValidator(_unique)]
SectorList = Annotated[list[Sector], AfterValidator(_unique)]
CertificationList = Annotated[list[Certification], AfterValidator(_unique)]


def field_errors(error: ValidationError) -> dict[str, str]:
    """Turn a pydantic error into {field name: message}, the shape of our API and form errors."""
    fields: dict[str, str] = {}
    for item in error.errors():
        location = [str(part) for part in item["loc"] if not isinstance(part, int)]
        message = item["msg"].removeprefix("Value error, ")
        if location:
            name = location[0]
        else:  # a rule across fields names its field in the message: "unit: required with a quantity"
            name, _, rest = message.partition(": ")
            name, message = (name, rest) if rest and name.isidentifier() else ("__root__", message)
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        fields.setdefault(name, message)
    return fields
