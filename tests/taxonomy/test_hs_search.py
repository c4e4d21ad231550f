"""The HS and UNSPSC pickers rank the right codes for products and services typed in es/en/pt/fr."""

from __future__ import annotations

import time

import pytest

from search.taxonomy.hs import hs_taxonomy, is_other_title
from search.taxonomy.hs_search import hs_index, suggest_hs
from search.taxonomy.text_analysis import stems
from search.taxonomy.unspsc_search import suggest_unspsc


def codes(query: str, language: str, limit: int = 10) -> list[str]:
    return [s.code for s in suggest_hs(query, language, limit=limit)]


def test_spanish_roasted_coffee_finds_the_coffee_heading_and_roasted_subheading() -> None:
    found = codes("café tostado", "es")
    assert "0901" in found[:3]
    assert "090121" in found[:5]


def test_english_roasted_coffee_finds_roasted_not_unroasted_coffee() -> None:
    found = codes("roasted coffee", "en")
    assert "0901" in found[:3]
    assert "090121" in found[:5]
    assert found.index("090121") < found.index("090111") if "090111" in found else True


def test_portuguese_avocado_finds_avocados_for_a_user_of_any_language() -> None:
    for language in ("pt", "es", "en", "fr"):
        assert codes("abacate", language)[0] == "080440"


@pytest.mark.parametrize(
    ("query", "language", "heading"),
    [
        ("crevettes congelées", "fr", "0306"),
        ("quinoa", "es", "1008"),
        ("miel", "fr", "0409"),
        ("cacao en grano", "es", "1801"),
        ("camisetas de algodón", "es", "6109"),
        ("aguacates", "es", "0804"),
        ("mangues séchées", "fr", "0804"),
        ("frozen shrimps", "en", "0306"),
        ("vinhos", "pt", "2204"),
        ("azeite de oliva", "pt", "1509"),
        ("orange juice", "en", "2009"),
    ],
)
def test_products_in_any_language_find_their_heading_among_the_first_five(
    query: str, language: str, heading: str
) -> None:
    assert heading in [code[:4] for code in codes(query, language, limit=5)]


def test_accents_and_case_do_not_matter() -> None:
    assert codes("CAFE TOSTADO", "es")[:3] == codes("café tostado", "es")[:3]
    assert codes("crevettes congelees", "fr")[:3] == codes("Crevettes Congelées", "fr")[:3]


def test_a_typo_is_forgiven() -> None:
    assert "0804" in [code[:4] for code in codes("aguacatte", "es", limit=5)]
    assert "0901" in [code[:4] for code in codes("caffee roasted", "en", limit=5)]


def test_a_word_being_typed_matches_as_a_prefix() -> None:
    assert "0804" in [code[:4] for code in codes("aguac", "es", limit=5)]


def test_plurals_genders_and_participles_share_a_stem() -> None:
    assert stems("aguacates") == stems("aguacate")
    assert stems("congeladas") == stems("congelado")
    assert stems("camarões") == stems("camarão")
    assert stems("animaux") == stems("animal")
    assert stems("berries") == stems("berry")
    assert stems("embalagens") == stems("embalagem")
    assert stems("t-shirts") == ["tshirt"]


def test_negated_words_of_a_title_are_not_indexed() -> None:
    assert stems("Coffee; not roasted or decaffeinated, husks") == ["coff", "husk"]
    assert stems("Coffee, whether or not roasted") == ["coff", "roast"]


def test_other_subheadings_never_rank_first_for_a_specific_product() -> None:
    table = hs_taxonomy()
    for query, language in [
        ("café tostado", "es"),
        ("crevettes congelées", "fr"),
        ("vinho tinto", "pt"),
        ("cotton t-shirts", "en"),
        ("miel de abeja", "es"),
        ("frozen shrimps", "en"),
    ]:
        first = suggest_hs(query, language)[0]
        assert not any(is_other_title(title) for title in table.get(first.code).titles.values()), query


def test_a_winning_subheading_brings_its_heading_along() -> None:
    found = codes("abacate", "pt", limit=5)
    assert found[0] == "080440"
    assert "0804" in found[:2]


def test_a_typed_code_comes_first_with_dots_or_without() -> None:
    assert codes("0901", "es")[0] == "0901"
    assert codes("09.01.21", "fr")[0] == "090121"
    assert codes("0901.21.00", "en")[0] == "090121"  # a national tariff line falls back to its subheading
    assert all(code.startswith("0901") for code in codes("0901", "es", limit=5))


def test_empty_or_stopword_queries_suggest_nothing() -> None:
    assert suggest_hs("", "es") == []
    assert suggest_hs("   ", "es") == []
    assert suggest_hs("de la", "es") == []
    assert suggest_hs("café", "es", limit=0) == []


def test_labels_follow_the_requested_language() -> None:
    table = hs_taxonomy()
    for language in ("es", "en", "pt", "fr"):
        for suggestion in suggest_hs("abacate", language, limit=3):
            assert suggestion.label == table.label(suggestion.code, language)
    assert suggest_hs("abacate", "es")[0].label.endswith("Aguacates (paltas)")
    assert suggest_hs("abacate", "es")[0].matched_language in ("pt", "es")


def test_words_are_matched_through_their_translations_in_the_parallel_titles() -> None:
    # "tostado" never occurs in the Spanish title of 090121 ("Sin descafeinar"), but "roasted" does in the
    # English one, and the four-language titles teach the index that they are the same word.
    found = codes("café tostado", "es")
    assert "090121" in found
    assert "090111" not in found or found.index("090121") < found.index("090111")


def test_an_unknown_language_gets_english_labels() -> None:
    assert suggest_hs("abacate", "de")[0].label == hs_taxonomy().label("080440", "en")


def test_limit_and_levels() -> None:
    found = suggest_hs("coffee", "en", limit=4)
    assert len(found) == 4
    assert all(s.level in (4, 6) and len(s.code) == s.level for s in found)
    assert [s.score for s in found[2:]] == sorted((s.score for s in found[2:]), reverse=True)


def test_queries_are_fast_once_the_index_is_built() -> None:
    hs_index()
    started = time.perf_counter()
    for query in ("café tostado", "roasted coffee", "crevettes congelées", "camisetas de algodón"):
        suggest_hs(query, "es")
    assert (time.perf_counter() - started) / 4 < 0.05  # generous: the bench measures the real figure


@pytest.mark.parametrize(
    ("query", "language", "code"),
    [
        ("software development", "en", "81110000"),
        ("desarrollo de software", "es", "81110000"),
        ("desenvolvimento de software", "pt", "81110000"),
        ("call center", "es", "80160000"),
        ("traducción", "es", "82110000"),
        ("traduction", "fr", "82110000"),
        ("logistics", "en", "78000000"),
        ("consultoría", "es", "80100000"),
    ],
)
def test_services_find_their_unspsc_code_first(query: str, language: str, code: str) -> None:
    assert suggest_unspsc(query, language)[0].code == code


@pytest.mark.parametrize(("query", "language"), [("tourism", "en"), ("turismo", "pt"), ("tourisme", "fr")])
def test_tourism_finds_the_travel_segment_and_family(query: str, language: str) -> None:
    found = [s.code for s in suggest_unspsc(query, language, limit=3)]
    assert {"90000000", "90120000"} <= set(found)


def test_unspsc_labels_are_official_titles_english_where_they_exist_else_spanish() -> None:
    segment = suggest_unspsc("logistics", "en")[0]
    assert segment.level == "segment"
    assert segment.label == "Transportation and Storage and Mail Services"
    family = suggest_unspsc("software development", "pt")[0]
    assert family.level == "family"
    assert family.label == "Servicios informáticos"


def test_unspsc_empty_query_suggests_nothing() -> None:
    assert suggest_unspsc("", "es") == []
