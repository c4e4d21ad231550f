"""Moderation in a real browser: a buyer reports a listing, the admin hides it from the queue with a reason,
visitors no longer find it and its owner sees why; the admin then undoes it (the live server is shared)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from marketplace.core.db import make_engine
from marketplace.listings.models import Listing
from tests.browser.conftest import DEMO_PASSWORD, LiveServer, check_accessibility

pytestmark = pytest.mark.browser
REPORTER = "juana.tzoc@tejidosxelaju.example"
OWNER = "jorge.ramirez@mueblesdellago.example"
ADMIN = "admin@puente.example"
REASON = "Fotos copiadas de otro proveedor <b>verificado</b>"


def _listing_id(live: LiveServer) -> int:
    engine = make_engine(live.database_url)
    with Session(engine) as session:
        found = session.execute(
            select(Listing.id).where(Listing.external_key == "li-mx-muebles-del-lago-1")
        ).scalar_one()
    engine.dispose()
    return found


def _signed_in(browser, live: LiveServer, email: str, next_path: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live.url}/signin?next={next_path}")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(DEMO_PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    return context, page


def test_admin_hides_a_reported_listing(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    listing = _listing_id(live)
    reporter_context, reporter = _signed_in(browser, live, REPORTER, f"/listings/{listing}")
    reporter.get_by_role("link", name="Report to the moderators").click()
    reporter.wait_for_url(lambda url: "/reports/new" in url)
    reporter.get_by_label("Fraud or a fake business").check()
    reporter.get_by_label("What is wrong? (optional)").fill("Las fotos son de otra empresa.")
    check_accessibility(reporter)
    reporter.get_by_role("button", name="Send the report").click()
    reporter.get_by_role("heading", name="Thank you").wait_for()
    reporter_context.close()

    admin_context, admin = _signed_in(browser, live, ADMIN, "/")
    admin.get_by_role("link", name="Moderation").click()
    admin.wait_for_url(lambda url: url.endswith("/admin/moderation"))
    check_accessibility(admin)
    admin.locator(f"a[href='/admin/moderation/listing/{listing}']").first.click()
    admin.wait_for_url(lambda url: url.endswith(f"/admin/moderation/listing/{listing}"))
    assert "Las fotos son de otra empresa." in admin.locator("table.reports").inner_text()
    admin.get_by_label("Hide", exact=True).check()
    admin.get_by_label("Reason (the owner sees it)").fill(REASON)
    admin.get_by_role("button", name="Apply").click()
    admin.wait_for_url(lambda url: "notice=done" in url)
    assert REASON in admin.locator("table.audit-trail").inner_text()  # shown as text, not markup

    visitor_context = browser.new_context(locale="en-US")
    visitor = visitor_context.new_page()
    response = visitor.goto(f"{live.url}/listings/{listing}")
    assert response is not None and response.status == 404
    visitor_context.close()

    owner_context, owner = _signed_in(browser, live, OWNER, f"/listings/{listing}")
    owner.locator(".moderation-notices").wait_for()
    assert REASON in owner.locator(".moderation-reason").first.inner_text()
    owner_context.close()

    admin.get_by_label("Undo: unhide").check()
    admin.get_by_label("Reason (the owner sees it)").fill("Revisado con la empresa.")
    admin.get_by_role("button", name="Apply").click()
    # The page was already at ?notice=done: wait for the new trail row instead of the URL.
    admin.locator("table.audit-trail", has_text="Revisado con la empresa.").wait_for()
    admin_context.close()
