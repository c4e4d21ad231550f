"""Turn a SearchQuery into tantivy queries that behave like Meilisearch (DESIGN.md §3).

Every query word becomes one required clause (all words must match). Inside a clause the ways a word
can match get constant scores in two tiers: exact, stemmed and prefix matches score 100+, typo matches
below 30, so a document matched without typos always ranks above one that needed a typo (as
Meilisearch's "typo" ranking rule), and a title match ranks above a description match ("attribute").
A small BM25 term breaks ties between documents in the same tier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import tantivy

from search.documents import epoch_days
from search.embedded.analysis import STEMMERS, prefix_distance, stem, stem_field, typo_budget
from search.embedded.analysis import edit_distance as distance
from search.embedded.schema import ANYWHERE
from search.filters import ListingFilter, NoticeFilter, published_second

Occur = tantivy.Occur
# Constant scores of the match tiers; see the module docstring.
TITLE_EXACT, TITLE_PREFIX, TEXT_EXACT, STEMMED, TEXT_PREFIX = 130.0, 120.0, 110.0, 108.0, 104.0
TITLE_TYPO, TEXT_TYPO = 20.0, 10.0
TIE_BREAK_BOOST = 0.02


@dataclass(frozen=True)
class QueryWord:
    """A folded query word and how it may match."""

    word: str
    prefix: bool  # the last word: also matches as the start of a longer word
    typos: int


def plan_words(words: list[str], *, complete: bool = False) -> list[QueryWord]:
    """Typo budget and prefix flag of each word (the last one is a prefix unless `complete`)."""
    last = len(words) - 1
    return [QueryWord(w, i == last and not complete, typo_budget(w)) for i, w in enumerate(words)]


def _const(query: tantivy.Query, score: float) -> tantivy.Query:
    return tantivy.Query.const_score_query(query, score)


def _word_clause(schema: tantivy.Schema, qw: QueryWord) -> tantivy.Query:
    term = tantivy.Query.term_query
    fuzzy = tantivy.Query.fuzzy_term_query
    options = [
        _const(term(schema, "title", qw.word), TITLE_EXACT),
        _const(term(schema, "text", qw.word), TEXT_EXACT),
    ]
    stems = {lang: stem(qw.word, lang) for lang in STEMMERS}
    options += [_const(term(schema, stem_field(lang), s), STEMMED) for lang, s in stems.items()]
    if qw.prefix:
        options.append(_const(fuzzy(schema, "title", qw.word, 0, True, True), TITLE_PREFIX))
        options.append(_const(fuzzy(schema, "text", qw.word, 0, True, True), TEXT_PREFIX))
    if qw.typos:
        options.append(_const(fuzzy(schema, "title", qw.word, qw.typos, True, qw.prefix), TITLE_TYPO))
        options.append(_const(fuzzy(schema, "text", qw.word, qw.typos, True, qw.prefix), TEXT_TYPO))
    return tantivy.Query.disjunction_max_query(options)


def text_query(schema: tantivy.Schema, words: list[QueryWord]) -> tantivy.Query:
    """All words required, each by its best way of matching; BM25 on exact words breaks ties."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [
        (Occur.Must, _word_clause(schema, w)) for w in words
    ]
    for qw in words:
        bm25 = tantivy.Query.term_query(schema, "text", qw.word)
        clauses.append((Occur.Should, tantivy.Query.boost_query(bm25, TIE_BREAK_BOOST)))
    return tantivy.Query.boolean_query(clauses)


class _Conditions:
    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self.clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []

    def any_of(self, field: str, values: tuple | list, occur: tantivy.Occur = Occur.Must) -> None:
        self.clauses.append((occur, tantivy.Query.term_set_query(self.schema, field, list(values))))

    def equals(self, field: str, value: object, occur: tantivy.Occur = Occur.Must) -> None:
        self.clauses.append((occur, tantivy.Query.term_query(self.schema, field, value)))

    def at_least(self, field: str, value: int) -> None:
        query = tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Integer, lower_bound=value)
        self.clauses.append((Occur.Must, query))


def listing_conditions(
    schema: tantivy.Schema, spec: ListingFilter
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """The tantivy clauses of a listing filter (values are terms, never parsed)."""
    c = _Conditions(schema)
    if spec.kind is not None:
        c.equals("kind", spec.kind)
    if spec.countries:
        c.any_of("country", spec.countries)
    if spec.exclude_countries:
        c.any_of("country", spec.exclude_countries, Occur.MustNot)
    if spec.languages:
        c.any_of("language", spec.languages)
    if spec.hs_chapters:
        c.any_of("hs_chapter", spec.hs_chapters)
    if spec.hs_headings:
        c.any_of("hs_heading", spec.hs_headings)
    for certification in spec.certifications:
        c.equals("certifications", certification)
    if spec.women_led is not None:
        c.equals("women_led", spec.women_led)
    if spec.verified is not None:
        c.equals("verified", spec.verified)
    if spec.valid_on is not None:
        c.at_least("valid_until", epoch_days(spec.valid_on))
    if spec.company_id is not None:
        c.equals("company_id", spec.company_id)
    if spec.exclude_company_id is not None:
        c.equals("company_id", spec.exclude_company_id, Occur.MustNot)
    if spec.ships_to is not None:
        c.any_of("ship_to", [spec.ships_to, ANYWHERE])
    if spec.accepts_from is not None:
        c.any_of("accept_from", [spec.accepts_from, ANYWHERE])
    if spec.published_since is not None:
        c.at_least("published_at", published_second(spec.published_since))
    return c.clauses


def notice_conditions(
    schema: tantivy.Schema, spec: NoticeFilter
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """The tantivy clauses of a notice filter."""
    c = _Conditions(schema)
    if spec.countries:
        c.any_of("country", spec.countries)
    if spec.statuses:
        c.any_of("status", spec.statuses)
    if spec.classifications:
        c.any_of("classifications", spec.classifications)
    if spec.open_at is not None:
        c.at_least("tender_end", int(spec.open_at.timestamp()))
    return c.clauses


def combine(
    text: tantivy.Query | None, conditions: list[tuple[tantivy.Occur, tantivy.Query]]
) -> tantivy.Query:
    """The text query restricted by filter clauses (which do not change scores)."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if text is not None:
        clauses.append((Occur.Must, text))
    for occur, query in conditions:
        clauses.append((occur, _const(query, 0.0) if occur == Occur.Must else query))
    if not any(occur == Occur.Must for occur, _ in clauses):
        # A boolean query of only MustNot clauses matches nothing: start from everything.
        clauses.append((Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def token_matcher(words: list[QueryWord], language: str | None) -> Callable[[str], bool]:
    """Whether a folded token of a hit's text matched the query (for highlighting)."""
    languages = [language] if language in STEMMERS else list(STEMMERS)

    def matches(token: str) -> bool:
        for qw in words:
            if token == qw.word or (qw.prefix and token.startswith(qw.word)):
                return True
            if any(stem(token, lang) == stem(qw.word, lang) for lang in languages):
                return True
            if (
                qw.typos
                and (
                    prefix_distance(qw.word, token, qw.typos)
                    if qw.prefix
                    else distance(qw.word, token, qw.typos)
                )
                <= qw.typos
            ):
                return True
        return False

    return matches
