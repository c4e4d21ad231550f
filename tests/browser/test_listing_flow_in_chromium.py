"""A new MSME in a real browser: sign up, create the company, find the HS code in Portuguese, post, publish."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LiveServer, check_accessibility
from tests.browser.test_accounts_in_chromium import mailed_path

pytestmark = pytest.mark.browser


def test_new_user_posts_and_publishes_an_offer(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    email = "joao.almeida@cafemantiqueira.example"
    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.goto(live.url + "/signup")
    page.get_by_label("Your name").fill("João Almeida")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("Mantiqueira-Grãos-2026")
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()  # the sign-up has been committed
    page.goto(live.url + mailed_path(live, email, "/account/verify"))
    page.locator("main").get_by_role("button").click()  # "Confirm my address", in the page's language
    page.wait_for_url(re.compile(r"/account\?notice=verified$"))

    page.get_by_role("link", name="Create your company's profile").click()
    page.get_by_label("Trading name").fill("Café Mantiqueira")
    page.get_by_label("Country", exact=True).select_option("BR")
    page.get_by_label("Tax ID (RFC, NIT, CNPJ, CUIT, RUT, RUC, EIN…)").fill("12.345.678/0001-90")
    page.get_by_label("Small business (11 to 50 people)").check()
    check_accessibility(page)
    page.get_by_role("button", name="Create the profile").click()
    page.wait_for_url(lambda url: "/dashboard" in url)

    page.get_by_role("link", name="Post an offer").click()
    page.get_by_label("Title", exact=True).fill("Café torrado em grãos, torra média")
    page.get_by_label("Description", exact=True).fill("Arábica do sul de Minas, sacos de 1 kg, valvulados.")
    page.get_by_label("Language of the title and description").select_option("pt")
    page.get_by_label("Find the HS code: type the product in any language").press_sequentially(
        "café torrado", delay=30
    )
    suggestion = page.locator(
        "#hs-suggestions input[value^='0901']"
    ).first  # coffee, whichever level comes first
    suggestion.wait_for(timeout=5000)  # as-you-type suggestions from the API
    assert "coffee" in page.locator("#hs-suggestions").inner_text().lower()
    chosen = suggestion.get_attribute("value")
    suggestion.check()
    page.get_by_label("Quantity", exact=True).fill("2000")
    page.get_by_label("Unit", exact=True).select_option("kg")
    page.get_by_label("Currency (ISO code, e.g. USD, MXN, BRL)").fill("USD")
    page.get_by_label("Price from (per unit)").fill("11")
    page.get_by_label("Price up to (per unit)").fill("14.5")
    check_accessibility(page)
    page.get_by_role("button", name="Save as a draft").click()
    page.get_by_text("Preview: this draft is visible only to your team.").wait_for()  # waits until it shows
    page.get_by_role("button", name="Publish").click()
    page.get_by_text(
        "Published: your listing is now visible to everyone."
    ).wait_for()  # the new page, not the preview

    page.get_by_role("link", name="Café Mantiqueira").first.click()
    page.wait_for_url(re.compile(r"/companies/\d+$"))
    card = page.locator("article.listing-card", has_text="Café torrado em grãos, torra média")
    card.wait_for()
    assert f"HS {chosen}" in card.inner_text()
    check_accessibility(page)
    context.close()
