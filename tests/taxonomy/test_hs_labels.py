"""HS descriptions shown to users make sense on their own, in each language."""

from __future__ import annotations

from search.taxonomy.hs import hs_taxonomy, is_other_title
from search.taxonomy.unspsc import unspsc_taxonomy


def test_the_packaged_table_has_every_code_in_four_languages() -> None:
    table = hs_taxonomy()
    assert len(table) == 6936
    assert all(set(code.titles) == {"en", "es", "fr", "pt"} for code in table.codes())


def test_other_subheadings_are_shown_with_their_heading() -> None:
    table = hs_taxonomy()
    assert is_other_title(table.title("090190", "es"))
    assert table.label("090190", "es").startswith("Café, incluso tostado o descafeinado — ")
    assert table.label("090190", "fr") == "Café, même torréfié ou décaféiné — autres"


def test_tree_fragments_get_their_heading_outside_english() -> None:
    table = hs_taxonomy()
    assert (
        table.label("220421", "es")
        == "Vino de uvas frescas, incluso encabezado — En recipientes de contenido inferior o igual a 2 l"
    )
    assert table.label("510820", "es").endswith("— Peinado")
    assert table.label("080440", "en") == table.title("080440", "en")  # English labels stand alone


def test_no_label_in_any_language_is_just_other() -> None:
    table = hs_taxonomy()
    for code in table.codes():
        for language in ("en", "es", "fr", "pt"):
            assert not is_other_title(table.label(code.code, language)), (code.code, language)


def test_unspsc_titles_fall_back_to_spanish_where_english_does_not_exist() -> None:
    table = unspsc_taxonomy()
    assert table.title("81000000", "en") == "Engineering and Research and Technology Based Services"
    assert table.title("81110000", "en") == "Servicios informáticos"  # family titles exist in Spanish only
    assert "81111500" not in table  # classes are not offered for listings
