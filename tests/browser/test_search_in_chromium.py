"""Search in a real browser: a misspelled, accent-less Spanish query finds the offer, highlighted; facets filter."""

from __future__ import annotations

import pytest

from marketplace.core.db import make_engine
from marketplace.core.settings import Settings
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from tests.browser.conftest import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def indexed(live: LiveServer) -> LiveServer:
    """The demo listings indexed (the live server's app does not run the jobs loop in tests)."""
    from marketplace.search.sync import reindex_listings

    engine = make_engine(live.database_url)
    settings = Settings.from_env({"DATABASE_URL": live.database_url, "PUENTE_DATA_DIR": live.data_dir})
    from marketplace.search.engine import build_search_engine

    search = build_search_engine(settings)
    reindex_listings(engine, search)
    Worker(engine, default_registry(settings, search_engine=search)).drain()
    search.close()
    engine.dispose()
    return live


def test_misspelled_spanish_query_finds_the_offer_and_a_country_facet_narrows_it(
    browser, indexed: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="es-MX", bypass_csp=True)
    page = context.new_page()
    page.goto(indexed.url + "/")
    page.get_by_role("searchbox").first.fill("aguacte hass")  # typo, no accents
    page.get_by_role("searchbox").first.press("Enter")
    first = page.locator("ol.results li").first
    assert "Aguacate Hass" in first.inner_text()
    assert first.locator("mark").count() >= 1
    marked = [text.lower() for text in first.locator("mark").all_inner_texts()]
    assert any(text.startswith("aguacate") for text in marked)
    check_accessibility(page)

    total_before = page.locator("ol.results li").count()
    facets = page.get_by_role("complementary")
    facets.get_by_role("link", name="México").click()
    page.wait_for_url(lambda url: "country=MX" in url)
    results = page.locator("ol.results li")
    assert 0 < results.count() <= total_before
    for text in results.all_inner_texts():
        assert "México" in text
    context.close()
