"""Turn a compiled OCDS release into the fields of a procurement notice, tolerating real publishers' quirks.

Written for the standard (1.0 and 1.1), not for one publisher: any field may be missing or of the wrong
type; classification ids come as numbers or strings, with or without a scheme, UNSPSC codes with suffixes
or prefixes; the buyer is `buyer`, a party with the role "buyer", or the procuring entity.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

from search.taxonomy.unspsc_classes import unspsc_code, unspsc_title

MAX_ITEMS = 200  # very large tenders keep their first items; the count is kept
MAX_AMOUNT = Decimal("99999999999999.99")  # Numeric(16, 2)
TERMINAL_STATUSES = ("cancelled", "unsuccessful", "withdrawn", "complete")

# OCID prefixes of publishers whose data we have seen, for the country when neither the buyer's address, the
# publisher's name nor the command line (--country) says it. Add others from the OCDS prefix register.
OCID_PREFIX_COUNTRIES = {
    "ocds-03ad3f": "PY",  # DNCP Paraguay
    "ocds-5wno2w": "EC",  # SERCOP Ecuador
    "ocds-xs1qbl": "MX",  # Jalisco
}
# Country names as publishers write them (Spanish, Portuguese, French) beyond pycountry's English names.
_COUNTRY_NAMES = {
    "mexico": "MX", "méxico": "MX", "estados unidos mexicanos": "MX", "paraguay": "PY", "ecuador": "EC",
    "colombia": "CO", "peru": "PE", "perú": "PE", "chile": "CL", "argentina": "AR", "uruguay": "UY",
    "bolivia": "BO", "brasil": "BR", "brazil": "BR", "venezuela": "VE", "guatemala": "GT", "honduras": "HN",
    "el salvador": "SV", "nicaragua": "NI", "costa rica": "CR", "panama": "PA", "panamá": "PA",
    "republica dominicana": "DO", "república dominicana": "DO", "estados unidos": "US", "canada": "CA",
    "canadá": "CA", "haiti": "HT", "haïti": "HT", "jamaica": "JM", "cuba": "CU",
}  # fmt: skip
# A title that is only a process code ("REAJ-AAG-001-2021-27611", "LPN 11/15"): use the description.
_PROCESS_CODE = re.compile(r"^[A-Z0-9]+(?:[-_/.\s][A-Z0-9]+)*$")


@dataclass
class NoticeFields:
    """What a notice keeps of a compiled release."""

    ocid: str
    title: str
    description: str | None = None
    buyer_name: str | None = None
    buyer_id: str | None = None
    country: str | None = None
    language: str | None = None
    items: list[dict] = field(default_factory=list)
    classifications: list[str] = field(default_factory=list)
    value_amount: Decimal | None = None
    value_currency: str | None = None
    tender_start: datetime | None = None
    tender_end: datetime | None = None
    status: str | None = None
    url: str | None = None
    sme_suitable: bool | None = None
    release_date: datetime | None = None
    publisher: str | None = None

    def content_hash(self) -> str:
        """A digest of every field: an import that brings nothing new changes nothing."""
        # repr is deterministic here (fields and item keys are always built in the same order) and cheaper
        # than JSON for the large item lists of big tenders.
        return hashlib.sha256(repr(tuple(self.__dict__.values())).encode()).hexdigest()


class NotANotice(ValueError):
    """The compiled release has nothing a notice can show (no tender, no title or description)."""


def _text(value: Any, limit: int | None = None) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value:
        return None
    return value[:limit] if limit else value


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def parse_datetime(value: Any) -> datetime | None:
    """An OCDS date-time (ISO 8601, with or without zone; naive taken as UTC), or None."""
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).replace(",", "")) if isinstance(value, str) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


def _currency(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text and len(text) == 3 and text.isalpha() else None


def country_code(name: Any) -> str | None:
    """ISO 3166-1 alpha-2 from a country name or code as publishers write it, or None."""
    text = _text(name)
    if text is None:
        return None
    key = text.strip().lower()
    if key in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[key]
    plain = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    if plain in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[plain]
    if len(text) in (2, 3) and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper()) or pycountry.countries.get(alpha_3=text.upper())
        return found.alpha_2 if found else None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _scheme(classification: dict) -> tuple[str, str | None]:
    """A short scheme name ("unspsc", "cpv", "cpc", or the publisher's) and the code, normalised."""
    raw_scheme = _text(classification.get("scheme")) or ""
    raw_id = classification.get("id")
    code = _text(raw_id)
    hint = f"{raw_scheme} {_text(classification.get('description')) or ''} {_text(classification.get('uri')) or ''}"
    upper = hint.upper()
    if "UNSPSC" in upper or (
        not raw_scheme
        and code
        and unspsc_code(code) == re.sub(r"\D", "", code)[:8]
        and len(re.sub(r"\D", "", code)) == 8
    ):
        return "unspsc", unspsc_code(code)
    if raw_scheme.upper() in ("CPV", "CPC", "OCDS", "GSIN", "NAICS", "HS"):
        return raw_scheme.lower(), code.replace(" ", "") if code else None
    if not raw_scheme:
        return "local", code
    short = re.sub(r"[^a-z0-9]+", "-", raw_scheme.lower()).strip("-")[:24] or "local"
    return short, code


def _item(raw: Any) -> dict | None:
    item = _dict(raw)
    if not item:
        return None
    classification = _dict(item.get("classification"))
    scheme, code = _scheme(classification) if classification else (None, None)
    entry: dict[str, Any] = {
        "description": _text(item.get("description"), 500) or _text(classification.get("description"), 500),
        "scheme": scheme,
        "code": code,
        "quantity": float(q) if (q := _amount(item.get("quantity"))) is not None else None,
        "unit": _text(_dict(item.get("unit")).get("name"), 60),
    }
    if scheme == "unspsc" and code:
        title = unspsc_title(code)
        if title is not None:
            entry["title_es"] = title.titles.get("es")
            entry["title_en"] = title.titles.get("en") or _segment_title_en(code)
    for extra in _list(item.get("additionalClassifications")):
        extra_scheme, extra_code = _scheme(_dict(extra))
        if extra_scheme == "unspsc" and extra_code and entry["scheme"] != "unspsc":
            entry["unspsc"] = extra_code
    return entry


def _segment_title_en(code: str) -> str | None:
    segment = unspsc_title(code[:2] + "000000")
    return segment.titles.get("en") if segment else None


def _buyer(release: dict) -> tuple[str | None, str | None, dict]:
    """The buyer's name, identifier and party (for the address and scale), however the publisher gives it."""
    buyer = _dict(release.get("buyer"))
    parties = [_dict(p) for p in _list(release.get("parties"))]
    party: dict = {}
    if buyer.get("id") is not None:
        party = next((p for p in parties if p.get("id") == buyer.get("id")), {})
    if not party:
        party = next((p for p in parties if "buyer" in _list(p.get("roles"))), {})
    if not party:
        party = buyer  # OCDS 1.0: the buyer object carries name, identifier and address itself
    tender = _dict(release.get("tender"))
    name = _text(buyer.get("name"), 300) or _text(party.get("name"), 300)
    name = name or _text(_dict(tender.get("procuringEntity")).get("name"), 300)
    identifier = _text(buyer.get("id"), 300) or _text(_dict(buyer.get("identifier")).get("id"), 300)
    return name, identifier, party


def _url(release: dict, tender: dict, url_pattern: str | None) -> str | None:
    documents = [_dict(d) for d in _list(tender.get("documents"))]
    preferred = ("tenderNotice", "contractNotice", "biddingDocuments")
    for kind in preferred:
        for document in documents:
            url = _text(document.get("url"), 1000)
            if document.get("documentType") == kind and url and url.startswith(("http://", "https://")):
                return url
    direct = _text(tender.get("url"), 1000)  # not in the standard, published by some (DNCP)
    if direct and direct.startswith(("http://", "https://")):
        return direct
    for document in documents:
        url = _text(document.get("url"), 1000)
        if url and url.startswith(("http://", "https://")):
            return url
    if url_pattern:
        return url_pattern.format(ocid=release.get("ocid", ""), tender_id=tender.get("id", ""))[:1000]
    return None


def _sme(tender: dict) -> bool | None:
    """Whether the tender says it suits small and medium enterprises (OCDS 1.1 `tender.suitability.sme`)."""
    suitability = _dict(tender.get("suitability"))
    sme = suitability.get("sme")
    if isinstance(sme, bool):
        return sme
    for lot in _list(tender.get("lots")):
        lot_sme = _dict(_dict(lot).get("suitability")).get("sme")
        if isinstance(lot_sme, bool) and lot_sme:
            return True
    return None


def notice_fields(
    release: dict,
    *,
    ocid: str,
    publisher: str | None = None,
    country: str | None = None,
    url_pattern: str | None = None,
) -> NoticeFields:
    """The notice of a compiled release; NotANotice when it has no tender and nothing to call it."""
    tender = _dict(release.get("tender"))
    planning = _dict(release.get("planning"))
    raw_title = _text(tender.get("title"), 1000)
    description = _text(tender.get("description"))
    if raw_title and description and _PROCESS_CODE.match(raw_title) and any(ch.isdigit() for ch in raw_title):
        title: str | None = description[:1000]
    else:
        title = raw_title or (description[:1000] if description else None)
    raw_items = [i for i in (_item(r) for r in _list(tender.get("items"))[:MAX_ITEMS]) if i]
    if not tender:
        raise NotANotice("no tender in the release (planning, award or contract data only)")
    if title is None:
        first = next((i["description"] for i in raw_items if i.get("description")), None)
        title = first or _text(_dict(planning.get("budget")).get("description"), 1000)
    if title is None:
        raise NotANotice("the tender has no title, description or items")
    buyer_name, buyer_id, party = _buyer(release)
    found_country = country or country_code(_dict(party.get("address")).get("countryName"))
    found_country = found_country or country_code(_dict(party.get("address")).get("country"))
    if not found_country and publisher:
        found_country = next(
            (code for name, code in _COUNTRY_NAMES.items() if name in publisher.lower()), None
        )
    if not found_country:
        found_country = OCID_PREFIX_COUNTRIES.get(ocid[:11]) or None
    value = _dict(tender.get("value")) or _dict(_dict(planning.get("budget")).get("amount"))
    period = _dict(tender.get("tenderPeriod"))
    sme = _sme(tender)
    if sme is None:  # the partyDetails_scale extension: MSMEs among the bidders say the process suits them
        for other in (_dict(p) for p in _list(release.get("parties"))):
            roles = _list(other.get("roles"))
            scale = _text(_dict(other.get("details")).get("scale"))
            if scale in ("micro", "sme", "small", "medium") and ("tenderer" in roles or "supplier" in roles):
                sme = True
                break
    classifications: list[str] = []
    for item in raw_items:
        for scheme, code in ((item.get("scheme"), item.get("code")), ("unspsc", item.get("unspsc"))):
            if scheme and code and f"{scheme}:{code}" not in classifications:
                classifications.append(f"{scheme}:{code}")
    status = _text(tender.get("status"), 32)
    language = _text(release.get("language"), 2)
    return NoticeFields(
        ocid=ocid,
        title=title,
        description=description if description != title else None,
        buyer_name=buyer_name,
        buyer_id=buyer_id,
        country=found_country,
        language=language.lower() if language else None,
        items=raw_items,
        classifications=classifications[:100],
        value_amount=_amount(value.get("amount")),
        value_currency=_currency(value.get("currency")),
        tender_start=parse_datetime(period.get("startDate")),
        tender_end=parse_datetime(period.get("endDate")),
        status=status.lower() if status else None,
        url=_url(release, tender, url_pattern),
        sme_suitable=sme,
        release_date=parse_datetime(release.get("date")),
        publisher=publisher[:300] if publisher else None,
    )


def normalise_ocid(value: Any, prefix: str | None = None) -> str | None:
    """The ocid as a string; with a configured prefix, ocids published without it get it."""
    text = _text(value, 200)
    if text is None:
        return None
    if prefix and not text.startswith("ocds-"):
        return f"{prefix}-{text}"[:200]
    return text
