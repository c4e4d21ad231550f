"""Procurement in a real browser: real OCDS notices searched with a typo, filtered by country, opened; axe-clean."""

from __future__ import annotations

import pytest

from marketplace.core.db import make_engine
from marketplace.core.settings import Settings
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from tests.browser.conftest import LiveServer, check_accessibility
from tests.conftest import OCDS_SAMPLES

pytestmark = [
    pytest.mark.browser,
]


@pytest.fixture(scope="module")
def with_notices(live: LiveServer) -> LiveServer:
    """The Ecuador and Jalisco sample notices imported and indexed."""
    from marketplace.procurement.importer import import_ocds
    from marketplace.search.engine import build_search_engine

    engine = make_engine(live.database_url)
    import_ocds(engine, [OCDS_SAMPLES / "ecuador_sercop", OCDS_SAMPLES / "mexico_jalisco"])
    settings = Settings.from_env({"DATABASE_URL": live.database_url, "PUENTE_DATA_DIR": live.data_dir})
    search = build_search_engine(settings)
    Worker(engine, default_registry(settings, search_engine=search)).drain()
    search.close()
    engine.dispose()
    return live


def test_tenders_are_found_filtered_and_opened(browser, with_notices: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(with_notices.url + "/")
    page.get_by_role("link", name="Government tenders").first.click()
    page.wait_for_url("**/procurement")
    check_accessibility(page)
    page.locator("#pq").fill("juridco laboral")  # typo, no accents
    page.locator("#pq").press("Enter")
    page.wait_for_url("**/procurement?*")
    results = page.locator("ol.results > li")
    assert results.count() == 1 and "ANÁLISIS JURÍDICO" in results.first.inner_text()
    page.goto(with_notices.url + "/procurement")
    page.get_by_role("link", name="Mexico").first.click()
    page.wait_for_url("**country=MX*")
    assert page.locator("ol.results > li").count() == 10
    page.locator("ol.results > li h2 a").first.click()
    page.wait_for_url("**/procurement/*")
    assert page.locator(".notice-state").inner_text().strip().lower() == "closed"
    check_accessibility(page)
    context.close()
