"""Tax-ID formats of the region, checked where we know them (a format check, not a registry lookup)."""

from __future__ import annotations

import re

# country -> (pattern on the ID with spaces removed, the name of the ID, an example as printed)
_FORMATS: dict[str, tuple[str, str, str]] = {
    "MX": (r"[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}", "RFC", "CAM150312AB1"),
    "CO": (r"\d{6,10}-?\d", "NIT", "900123456-7"),
    "BR": (r"\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}", "CNPJ", "12.345.678/0001-90"),
    "AR": (r"\d{2}-?\d{8}-?\d", "CUIT", "30-71234567-8"),
    "CL": (r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dkK]", "RUT", "76.123.456-7"),
    "PE": (r"(10|15|17|20)\d{9}", "RUC", "20512345678"),
    "EC": (r"\d{13}", "RUC", "1790012345001"),
    "UY": (r"\d{12}", "RUT", "211234560018"),
    "PY": (r"\d{5,8}-?\d", "RUC", "80012345-6"),
    "BO": (r"\d{7,12}", "NIT", "1023456789"),
    "US": (r"\d{2}-?\d{7}", "EIN", "12-3456789"),
    "CA": (r"\d{9}([A-Z]{2}\d{4})?", "BN", "123456789RC0001"),
    "CR": (r"\d-?\d{3}-?\d{6}", "cédula jurídica", "3-101-123456"),
    "GT": (r"\d{5,12}-?[\dK]", "NIT", "1234567-8"),
    "DO": (r"\d-?\d{2}-?\d{5}-?\d|\d{9}", "RNC", "1-01-12345-6"),
}


def tax_id_problem(country: str, tax_id: str) -> str | None:
    """Why a tax ID cannot be right for the country, or None (unknown formats are accepted as typed)."""
    known = _FORMATS.get(country)
    if known is None:
        return None
    pattern, name, example = known
    if re.fullmatch(pattern, tax_id.replace(" ", "").upper()):
        return None
    return f"{name}: {example}"


def tax_id_name(country: str) -> str | None:
    known = _FORMATS.get(country)
    return known[1] if known else None
