"""tantivy schemas of the embedded indexes and the conversion of search documents into them.

Each document is kept whole as JSON in `_source` (what hits return); the other fields exist only to
be searched, filtered, counted or sorted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import tantivy

from search.documents import ListingDocument, NoticeDocument, epoch_days
from search.embedded.analysis import FOLD, STEMMERS, stem_analyzer_name, stem_field

# Bump when a schema changes: an index built with another version must be rebuilt (`puente reindex`).
SCHEMA_VERSION = 1
# Stands for "no value" in fields that are filtered or sorted as numbers (no end date, no deadline):
# far in the future, so "valid on day D" is simply `valid_until >= D`.
NO_END = 2**40
# Stands for "empty list" in ship_to / accept_from, so "ships to MX or anywhere" is one term set.
ANYWHERE = "*"


@dataclass(frozen=True)
class IndexSpec:
    """What the engine needs to know about one index."""

    name: str
    keywords: tuple[str, ...]  # raw (untokenized) string fields, fast: filters and facets
    integers: tuple[str, ...]
    booleans: tuple[str, ...]
    facet_fields: dict[str, str]  # facet name -> field counted


LISTINGS = IndexSpec(
    name="listings",
    keywords=(
        "kind", "language", "country", "hs_code", "hs_chapter", "hs_heading", "unspsc_code",
        "certifications", "ship_to", "accept_from",
    ),
    integers=("id", "company_id", "published_at", "valid_until", "version"),
    booleans=("women_led", "verified"),
    facet_fields={
        "kind": "kind", "country": "country", "hs_chapter": "hs_chapter",
        "certifications": "certifications", "women_led": "women_led", "verified": "verified",
        "language": "language",
    },
)  # fmt: skip

NOTICES = IndexSpec(
    name="notices",
    keywords=("country", "status", "classifications", "language"),
    integers=("id", "published_at", "tender_end", "version"),
    booleans=(),
    facet_fields={"country": "country", "status": "status"},
)

SPECS = {"listings": LISTINGS, "notices": NOTICES}


def build_schema(spec: IndexSpec) -> tantivy.Schema:
    """The tantivy schema of an index."""
    builder = tantivy.SchemaBuilder()
    builder.add_bytes_field("_source", stored=True)
    builder.add_text_field("title", tokenizer_name=FOLD)
    builder.add_text_field("text", tokenizer_name=FOLD)  # every searchable attribute, folded
    for language in STEMMERS:
        builder.add_text_field(stem_field(language), tokenizer_name=stem_analyzer_name(language))
    for name in spec.keywords:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    for name in spec.integers:
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in spec.booleans:
        builder.add_boolean_field(name, indexed=True, fast=True)
    return builder.build()


def _stemmed(doc: tantivy.Document, language: str | None, text: str) -> None:
    # A document is stemmed in its own language; one of unknown language in each of ours.
    for lang in [language] if language in STEMMERS else list(STEMMERS):
        doc.add_text(stem_field(lang), text)


def _keywords(doc: tantivy.Document, name: str, values: list[str] | str | None) -> None:
    if values is None:
        return
    for value in [values] if isinstance(values, str) else values:
        doc.add_text(name, value)


def listing_to_tantivy(listing: ListingDocument) -> tantivy.Document:
    """The tantivy document of a listing."""
    doc = tantivy.Document()
    doc.add_bytes("_source", json.dumps(listing.to_dict(), ensure_ascii=False).encode())
    doc.add_text("title", listing.title)
    for part in (listing.title, listing.company_name, listing.description):
        doc.add_text("text", part)
    _stemmed(doc, listing.language, f"{listing.title}\n{listing.description}")
    for name in ("kind", "language", "country", "hs_code", "hs_chapter", "hs_heading", "unspsc_code"):
        _keywords(doc, name, getattr(listing, name))
    _keywords(doc, "certifications", listing.certifications)
    _keywords(doc, "ship_to", listing.ship_to or [ANYWHERE])
    _keywords(doc, "accept_from", listing.accept_from or [ANYWHERE])
    doc.add_integer("id", listing.id)
    doc.add_integer("company_id", listing.company_id)
    doc.add_integer("published_at", listing.published_at)
    doc.add_integer("version", listing.version)
    doc.add_integer("valid_until", epoch_days(listing.valid_until) if listing.valid_until else NO_END)
    doc.add_boolean("women_led", listing.women_led)
    doc.add_boolean("verified", listing.verified)
    return doc


def notice_to_tantivy(notice: NoticeDocument) -> tantivy.Document:
    """The tantivy document of a procurement notice."""
    doc = tantivy.Document()
    doc.add_bytes("_source", json.dumps(notice.to_dict(), ensure_ascii=False).encode())
    doc.add_text("title", notice.title)
    for part in (notice.title, notice.buyer_name, notice.description):
        doc.add_text("text", part)
    _stemmed(doc, notice.language, f"{notice.title}\n{notice.description}")
    _keywords(doc, "country", notice.country)
    _keywords(doc, "status", notice.status)
    _keywords(doc, "classifications", notice.classifications)
    _keywords(doc, "language", notice.language)
    doc.add_integer("id", notice.id)
    doc.add_integer("published_at", notice.published_at)
    doc.add_integer("version", notice.version)
    doc.add_integer("tender_end", notice.tender_end if notice.tender_end is not None else NO_END)
    return doc


def to_tantivy(document: ListingDocument | NoticeDocument) -> tantivy.Document:
    """Convert either kind of search document."""
    if isinstance(document, ListingDocument):
        return listing_to_tantivy(document)
    return notice_to_tantivy(document)
