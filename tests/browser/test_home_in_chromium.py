"""The home page in a real browser, on a desktop and on a 360-px-wide phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_home_shows_demo_listings_in_chromium(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    assert page.title() == "Latest listings · Puente"
    cards = page.locator("article.listing-card")
    assert cards.count() == 24
    assert page.locator("h1").inner_text() == "Buy and sell across the Americas"
    languages = set(cards.evaluate_all("cards => cards.map(card => card.lang)"))
    assert len(languages) >= 2  # the demo mixes listings written in several languages


def test_home_fits_a_360px_phone_screen(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(live_server + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0, f"the page scrolls sideways by {overflow}px on a phone"
    first_card = page.locator("article.listing-card").first.bounding_box()
    assert first_card is not None and first_card["width"] <= 360 and first_card["x"] >= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-360px.png"), full_page=False)
    context.close()
