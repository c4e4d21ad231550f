"""Saving a search in a real browser, after search as you type changed the words without a reload."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, LiveServer, check_accessibility

pytestmark = pytest.mark.browser

BUYER = "edgar.sam@cafealtiplano.example"  # a demo member (Café Altiplano, Guatemala)


def test_the_search_typed_last_is_the_one_saved_and_listed(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en")
    page = context.new_page()
    page.goto(live.url + "/signin?next=/search%3Fq%3Daguacate")
    page.locator("#f-email").fill(BUYER)
    page.locator("#f-password").fill(DEMO_PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/search" in url and "/signin" not in url)
    save_form = page.locator("form[data-save-search]")
    save_form.wait_for()
    check_accessibility(page)

    page.locator("#q").fill("miel de abeja")  # as you type: the results and the address change, no reload
    page.wait_for_url(lambda url: "q=miel" in url)
    save_form.get_by_role("button", name="Save this search").click()
    page.wait_for_url(lambda url: url.endswith("/searches/saved?notice=saved"))
    link = page.locator('a[href="/search?q=miel+de+abeja"]')
    assert link.inner_text() == "“miel de abeja”"
    check_accessibility(page)
    link.click()
    page.wait_for_url(lambda url: url.endswith("/search?q=miel+de+abeja"))
    assert page.locator("#q").input_value() == "miel de abeja"
    context.close()
