"""An advisor in a real browser: verifies a client, posts an offer for it, a colleague approves it, search finds it
with the verified facet."""

from __future__ import annotations

import pytest

from marketplace.core.db import make_engine
from marketplace.core.settings import Settings
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from tests.browser.conftest import DEMO_PASSWORD, LiveServer, check_accessibility

pytestmark = pytest.mark.browser
MARIA = "maria.gonzalez@cde-jalisco.example"
JORGE = "jorge.ramirez@cde-jalisco.example"
CLIENT = "Aguacates Sierra del Tigre"
TITLE = "Guacamole congelado tipo exportación"


def _sign_in(browser, live: LiveServer, email: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.goto(live.url + "/signin")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def _run_jobs(live: LiveServer) -> None:
    """The live server's app does not run the jobs loop in tests: drain it here (search sync included)."""
    from marketplace.search.engine import build_search_engine

    settings = Settings.from_env({"DATABASE_URL": live.database_url, "PUENTE_DATA_DIR": live.data_dir})
    engine = make_engine(live.database_url)
    search = build_search_engine(settings)
    Worker(engine, default_registry(settings, search_engine=search)).drain()
    search.close()
    engine.dispose()


def test_advisor_posts_for_a_client_a_colleague_approves_and_search_shows_it_verified(
    browser, live: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    maria_context, maria = _sign_in(browser, live, MARIA)
    maria.goto(live.url + "/centres")
    assert "Centro de Desarrollo Empresarial Jalisco" in maria.locator("h1").inner_text()
    check_accessibility(maria)
    maria.get_by_role("link", name=CLIENT).click()

    maria.get_by_label("Premises visited").check()
    maria.get_by_label("Tax ID checked").check()
    maria.get_by_label("Evidence (what you saw, where, when)").fill(
        "RFC checked with SAT; packing house visited."
    )
    maria.get_by_role("button", name="Mark as verified by").click()
    assert maria.get_by_role("status").inner_text().startswith("The company is marked verified")

    maria.get_by_role("link", name="Post an offer for this client").click()
    maria.get_by_role("note").filter(has_text="on behalf of this client").wait_for()  # waits until it shows
    maria.get_by_label("Title", exact=True).fill(TITLE)
    maria.get_by_label("Description", exact=True).fill(
        "Guacamole de aguacate Hass, bolsas de 1 kg, congelado IQF."
    )
    maria.get_by_label("Language of the title and description").select_option("es")
    check_accessibility(maria)
    maria.get_by_role("button", name="Save as a draft").click()
    row = maria.locator("tr", has_text=TITLE)
    assert "posted by an advisor" in row.inner_text()
    row.get_by_role("button", name="Submit for publication").click()
    assert "waits for review by another advisor" in maria.get_by_role("status").inner_text()
    check_accessibility(maria)
    maria_context.close()

    jorge_context, jorge = _sign_in(browser, live, JORGE)
    jorge.goto(live.url + "/centres")
    jorge.get_by_role("link", name="Review queue").click()
    item = jorge.locator("article.review-item", has_text=TITLE)
    assert "submitted by María González" in item.inner_text()
    check_accessibility(jorge)
    item.get_by_role("button", name="Approve and publish").click()
    assert "Approved" in jorge.get_by_role("status").inner_text()
    assert jorge.locator("article.review-item", has_text=TITLE).count() == 0

    _run_jobs(live)
    jorge.goto(live.url + "/search?q=guacamole+congelado&verified=true")
    result = jorge.get_by_role("link", name=TITLE)
    result.wait_for(timeout=5000)
    jorge.goto(live.url + "/search?q=guacamole+congelado")
    assert jorge.get_by_role("link", name=TITLE).count() >= 1
    result_link = jorge.get_by_role("link", name=TITLE).first
    result_link.click()
    jorge.get_by_role("link", name=CLIENT).first.click()
    assert (
        "Verified by Centro de Desarrollo Empresarial Jalisco" in jorge.locator(".badge").first.inner_text()
    )
    jorge_context.close()
