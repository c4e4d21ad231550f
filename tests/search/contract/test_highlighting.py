"""Highlighted snippets: matched words in <mark>, everything else HTML-escaped, long text cropped."""

from __future__ import annotations

from search.engine import SearchEngine, SearchQuery


def first_hit(engine: SearchEngine, text: str):
    return engine.search("listings", SearchQuery(text=text)).hits[0]


def test_matched_words_are_marked_and_the_rest_escaped(catalogue: SearchEngine) -> None:
    hit = first_hit(catalogue, "miel")
    assert hit.highlights["title"] == "<mark>Miel</mark> &lt;pura&gt; &amp; &quot;cruda&quot;"


def test_description_markup_is_shown_as_text(catalogue: SearchEngine) -> None:
    hit = first_hit(catalogue, "huila")
    assert "&lt;b&gt;Calidad&lt;/b&gt;" in hit.highlights["description"]
    assert "<mark>Huila</mark>" in hit.highlights["description"]
    assert "<b>" not in hit.highlights["description"]


def test_accent_free_and_misspelled_words_mark_the_original_text(catalogue: SearchEngine) -> None:
    hit = first_hit(catalogue, "cafe organco")
    assert hit.highlights["title"] == "<mark>Café</mark> <mark>orgánico</mark> de altura"


def test_prefix_marks_the_whole_word(catalogue: SearchEngine) -> None:
    # Meilisearch marks only the typed prefix of a word; either way the word is visibly marked.
    title = first_hit(catalogue, "alpa").highlights["title"]
    assert "<mark>alpa" in title


def test_long_descriptions_are_cropped_around_the_match(catalogue: SearchEngine) -> None:
    hit = first_hit(catalogue, "quinua justo")
    description = hit.highlights["description"]
    assert description.startswith("…")
    assert "<mark>justo</mark>" in description
    assert len(description) < len(hit.document["description"])


def test_highlighting_can_be_turned_off(catalogue: SearchEngine) -> None:
    hit = catalogue.search("listings", SearchQuery(text="miel", highlight=False)).hits[0]
    assert hit.highlights == {}
    assert hit.document["title"] == 'Miel <pura> & "cruda"'
