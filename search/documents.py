"""Search documents: the plain values the app builds from its models and hands to a search engine.

The app converts a published listing (or an imported procurement notice) into one of these; the engines
never see a database row. `to_dict`/`from_dict` give the JSON-ready shape that search hits return.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

LANGUAGES = ("es", "en", "pt", "fr")

# Private-use characters the engines use as highlight markers before HTML-escaping; they are removed from
# document text so that a document can never forge a highlight (see search/highlight.py).
MARK_START = "\ue000"
MARK_END = "\ue001"
_STRIP_MARKS = str.maketrans("", "", MARK_START + MARK_END)

_EPOCH = date(1970, 1, 1)


def clean_text(value: str) -> str:
    """Text as indexed: without our highlight marker characters."""
    return value.translate(_STRIP_MARKS)


def epoch_days(value: date) -> int:
    """Days since 1970-01-01: how dates are stored and filtered in both engines."""
    return (value - _EPOCH).days


def date_from_epoch_days(days: int) -> date:
    """Inverse of `epoch_days`."""
    return date.fromordinal(_EPOCH.toordinal() + days)


def hs_parts(hs_code: str | None) -> tuple[str | None, str | None]:
    """The HS chapter (2 digits) and heading (4 digits) of an HS code, when it is long enough."""
    if not hs_code:
        return None, None
    chapter = hs_code[:2] if len(hs_code) >= 2 else None
    heading = hs_code[:4] if len(hs_code) >= 4 else None
    return chapter, heading


@dataclass(frozen=True, kw_only=True)
class ListingDocument:
    """A published offer or buy request as the search engines index it.

    Only published listings belong in the index: the app deletes a listing's document when it leaves
    `published`. `hs_chapter` and `hs_heading` default to the prefixes of `hs_code`.
    """

    id: int
    kind: str  # "offer" | "request"
    title: str
    description: str
    language: str  # es | en | pt | fr; selects the stemmer (embedded) and the locale (Meilisearch)
    company_id: int
    company_name: str
    country: str  # ISO 3166-1 alpha-2 of the company
    published_at: int  # epoch seconds
    version: int  # the listing's version: the index never needs to go back to an older one
    hs_code: str | None = None
    hs_chapter: str | None = None
    hs_heading: str | None = None
    unspsc_code: str | None = None
    certifications: list[str] = field(default_factory=list)
    women_led: bool = False
    verified: bool = False
    ship_to: list[str] = field(default_factory=list)  # empty = ships anywhere
    accept_from: list[str] = field(default_factory=list)  # empty = accepts supply from anywhere
    valid_until: date | None = None  # None = no end date
    vector: list[float] | None = None  # multilingual sentence embedding, stored for matching

    def __post_init__(self) -> None:
        chapter, heading = hs_parts(self.hs_code)
        if self.hs_chapter is None and chapter is not None:
            object.__setattr__(self, "hs_chapter", chapter)
        if self.hs_heading is None and heading is not None:
            object.__setattr__(self, "hs_heading", heading)
        object.__setattr__(self, "title", clean_text(self.title))
        object.__setattr__(self, "description", clean_text(self.description))
        object.__setattr__(self, "company_name", clean_text(self.company_name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values; `valid_until` as an ISO date string."""
        data = asdict(self)
        data["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListingDocument:
        """Rebuild a document from `to_dict` output (extra keys are ignored)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if isinstance(values.get("valid_until"), str):
            values["valid_until"] = date.fromisoformat(values["valid_until"])
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class NoticeDocument:
    """A procurement notice (imported from OCDS) as the search engines index it."""

    id: int
    ocid: str
    title: str
    description: str
    buyer_name: str
    country: str
    status: str  # OCDS tender status: planned | active | complete | cancelled …
    tender_end: int | None = None  # epoch seconds of the deadline; None = unknown
    published_at: int = 0  # epoch seconds
    language: str | None = None  # None: stemmed in every supported language
    classifications: list[str] = field(default_factory=list)  # e.g. "unspsc:43211500", "cpv:30213100"
    version: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", clean_text(self.title))
        object.__setattr__(self, "description", clean_text(self.description))
        object.__setattr__(self, "buyer_name", clean_text(self.buyer_name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoticeDocument:
        """Rebuild a document from `to_dict` output (extra keys are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


SearchDocument = ListingDocument | NoticeDocument
