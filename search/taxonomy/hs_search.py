"""Ranked HS code suggestions for a product typed in es/en/pt/fr: the engine of the HS code picker.

Every code is indexed with its titles in all four languages, so "abacate" finds avocados for a Spanish
user too, and a subheading inherits its heading's words (and, further discounted, its chapter's): the
es/fr/pt subheading titles are tree fragments ("Sin descafeinar", "Los demás") with no words of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search.taxonomy.hs import LANGUAGES, HsTaxonomy, hs_taxonomy, is_other_title
from search.taxonomy.text_index import Document, Field, TextIndex

# A subheading titled "Other" in some language is the heading's leftovers: right only when nothing
# more specific is; it still inherits every word of its heading, so it is held back rather than dropped.
_OTHER_FACTOR = 0.6
_TYPED_CODE = re.compile(r"^\d[\d.\s-]*$")
# "of heading no. 0714", "de la partida 0714", "da posição 07.14", "des nos 8701 à 8705"
_HEADING_NUMBER = re.compile(r"\b(\d{2})\.?(\d{2})\b(?:\s+(?:a|à|to)\s+(\d{2})\.?(\d{2})\b)?")


@dataclass(frozen=True)
class HsSuggestion:
    code: str
    level: int  # 2 chapter, 4 heading, 6 subheading
    label: str  # self-contained description in the requested language
    score: float
    matched_language: str | None  # language of the titles that matched the query (None for a typed code)


@dataclass(frozen=True)
class _HsIndex:
    table: HsTaxonomy
    text: TextIndex
    pickable: frozenset[int]  # headings and subheadings; chapters are too broad for a listing
    factors: dict[int, float]


@lru_cache(maxsize=1)
def hs_index() -> _HsIndex:
    """The search index over the packaged HS table, built once (about a second)."""
    table = hs_taxonomy()
    codes = sorted(table.codes(), key=lambda entry: entry.code)
    documents = [
        Document(
            key=entry.code,
            fields=tuple(Field(lang, entry.titles[lang]) for lang in LANGUAGES if lang in entry.titles),
            parent=entry.parent,
            references=_references(entry.titles.values(), table),
        )
        for entry in codes
    ]
    text = TextIndex(documents, inherit=0.5)
    pickable = frozenset(i for i, entry in enumerate(codes) if entry.level > 2)
    factors = {
        i: _OTHER_FACTOR for i, entry in enumerate(codes) if any(map(is_other_title, entry.titles.values()))
    }
    return _HsIndex(table=table, text=text, pickable=pickable, factors=factors)


def _references(titles: Iterable[str], table: HsTaxonomy) -> tuple[str, ...]:
    """Headings a title points to by number: "flour of roots of heading 0714" is manioc flour, in words."""
    found: set[str] = set()
    for title in titles:
        for match in _HEADING_NUMBER.finditer(title):
            first = int(match[1] + match[2])
            last = int(match[3] + match[4]) if match[3] else first
            for number in range(first, min(last, first + 20) + 1):
                code = f"{number:04d}"
                entry = table.get(code)
                if entry is not None and entry.level == 4:
                    found.add(code)
    return tuple(sorted(found))


def suggest_hs(query: str, language: str, *, limit: int = 10) -> list[HsSuggestion]:
    """HS codes for a product (named in es/en/pt/fr) or a typed code, best first, labelled in `language`."""
    query = query.strip()
    if not query or limit <= 0:
        return []
    language = language if language in LANGUAGES else "en"
    index = hs_index()
    if _TYPED_CODE.match(query):
        return _by_code(index.table, re.sub(r"\D", "", query)[:6], language, limit)
    matches = index.text.search(
        query, limit=3 * limit + 10, accept=index.pickable, factors=index.factors, language=language
    )
    suggestions = [
        HsSuggestion(
            code=m.key,
            level=len(m.key),
            label=index.table.label(m.key, language),
            score=m.score,
            matched_language=m.field,
        )
        for m in matches
    ]
    return _with_heading_of_first(_spread_over_headings(suggestions), index.table, language)[:limit]


def _spread_over_headings(suggestions: list[HsSuggestion], *, per_heading: int = 3) -> list[HsSuggestion]:
    """At most `per_heading` codes of one heading before every other heading had its turn.

    A heading's subheadings share its words and often tie; without this the first screen can be one
    heading five times over, hiding the second-best product the user may have meant.
    """
    first: list[HsSuggestion] = []
    later: list[HsSuggestion] = []
    seen: dict[str, int] = {}
    for suggestion in suggestions:
        heading = suggestion.code[:4]
        seen[heading] = seen.get(heading, 0) + 1
        (first if seen[heading] <= per_heading else later).append(suggestion)
    return first + later


def _with_heading_of_first(
    suggestions: list[HsSuggestion], table: HsTaxonomy, language: str
) -> list[HsSuggestion]:
    """Put the heading of a winning subheading second, so the broader choice is always in view."""
    if not suggestions or suggestions[0].level != 6:
        return suggestions
    heading = suggestions[0].code[:4]
    if len(suggestions) > 1 and suggestions[1].code == heading:
        return suggestions
    existing = next((s for s in suggestions if s.code == heading), None)
    score = existing.score if existing else (suggestions[1].score if len(suggestions) > 1 else 0.0)
    entry = HsSuggestion(
        code=heading,
        level=4,
        label=table.label(heading, language),
        score=score,
        matched_language=existing.matched_language if existing else suggestions[0].matched_language,
    )
    rest = [s for s in suggestions[1:] if s.code != heading]
    return [suggestions[0], entry, *rest]


def _by_code(table: HsTaxonomy, digits: str, language: str, limit: int) -> list[HsSuggestion]:
    """A typed code first, then the codes under it (or, for a subheading, its heading and siblings)."""
    if not digits:
        return []
    exact = table.get(digits)
    stem = digits if exact is None or exact.level < 6 else digits[:4]
    related = sorted(c.code for c in table.codes() if c.code.startswith(stem) and c.code != digits)
    codes = ([digits] if exact else []) + related
    return [
        HsSuggestion(
            code=code,
            level=len(code),
            label=table.label(code, language),
            score=1.0 if code == digits else 0.5,
            matched_language=None,
        )
        for code in codes[:limit]
    ]
