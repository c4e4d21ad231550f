"""Codes and controlled vocabularies: ISO countries, currencies and languages (pycountry), and ours."""

from __future__ import annotations

from functools import lru_cache

import pycountry

LISTING_LANGUAGES = ("es", "en", "pt", "fr")

SECTORS = (
    "agrifood", "beverages", "fisheries", "textiles_apparel", "leather_footwear", "wood_furniture",
    "handicrafts", "chemicals_cosmetics", "pharma_health", "metalworking", "machinery", "electronics",
    "plastics_packaging", "construction", "energy", "software_it", "bpo", "tourism", "logistics",
    "consulting", "creative_industries", "education",
)  # fmt: skip

CERTIFICATIONS = (
    "organic", "fair_trade", "rainforest_alliance", "globalgap", "haccp", "iso_9001", "iso_14001",
    "iso_22000", "iso_27001", "fssc_22000", "brcgs", "gmp", "kosher", "halal", "fsc", "b_corp",
    "ce_marking", "fda_registered", "cmmi",
)  # fmt: skip

UNITS = (
    "kg", "t", "g", "l", "m3", "m", "m2", "unit", "pair", "dozen", "box", "pallet", "container_20ft",
    "container_40ft", "hour", "day", "month", "project", "licence",
)  # fmt: skip


def _n(message: str) -> str:  # marks a message for extraction (core.i18n.N_; imported here it would cycle)
    return message


# How each unit reads in a sentence ("20 t", "500 pairs"); translated in templates.
UNIT_LABELS = {
    "kg": _n("kg"), "t": _n("t"), "g": _n("g"), "l": _n("l"), "m3": _n("m³"), "m": _n("m"), "m2": _n("m²"),
    "unit": _n("units"), "pair": _n("pairs"), "dozen": _n("dozen"), "box": _n("boxes"),
    "pallet": _n("pallets"),
    "container_20ft": _n("20-ft containers"), "container_40ft": _n("40-ft containers"), "hour": _n("hours"),
    "day": _n("days"), "month": _n("months"), "project": _n("projects"), "licence": _n("licences"),
}  # fmt: skip
# The same unit after a price ("9 USD / kg", "25 USD / hour").
PER_UNIT_LABELS = {
    "kg": _n("kg"), "t": _n("t"), "g": _n("g"), "l": _n("l"), "m3": _n("m³"), "m": _n("m"), "m2": _n("m²"),
    "unit": _n("unit"), "pair": _n("pair"), "dozen": _n("dozen"), "box": _n("box"), "pallet": _n("pallet"),
    "container_20ft": _n("20-ft container"), "container_40ft": _n("40-ft container"), "hour": _n("hour"),
    "day": _n("day"), "month": _n("month"), "project": _n("project"), "licence": _n("licence"),
}  # fmt: skip

INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")

SIZE_CLASSES = ("micro", "small", "medium")
EXPORT_EXPERIENCE = ("none", "occasional", "regular")


class CodeError(ValueError):
    """A value is not in the code list it must come from."""


@lru_cache(maxsize=512)
def country_code(value: str) -> str:
    """Normalise an ISO 3166-1 alpha-2 country code, or raise CodeError."""
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise CodeError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


@lru_cache(maxsize=256)
def currency_code(value: str) -> str:
    """Normalise an ISO 4217 currency code, or raise CodeError."""
    code = value.strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise CodeError(f"{value!r} is not an ISO 4217 currency code")
    return code


@lru_cache(maxsize=256)
def language_code(value: str) -> str:
    """Normalise an ISO 639-1 language code, or raise CodeError."""
    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise CodeError(f"{value!r} is not an ISO 639-1 language code")
    return code


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country is not None else code


def vocabulary_value(value: str, vocabulary: tuple[str, ...], what: str) -> str:
    """Check a value against one of our controlled vocabularies."""
    normalised = value.strip().lower()
    if normalised not in vocabulary:
        raise CodeError(f"{value!r} is not a known {what} (one of: {', '.join(vocabulary)})")
    return normalised
