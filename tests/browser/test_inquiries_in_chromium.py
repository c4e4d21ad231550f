"""An inquiry across languages in real browsers: a buyer writes in Spanish, the seller answers in Portuguese,
and the buyer then sees the reply and the seller's contact details."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from marketplace.core.db import make_engine
from marketplace.listings.models import Listing
from tests.browser.conftest import DEMO_PASSWORD, LiveServer, check_accessibility

pytestmark = pytest.mark.browser

BUYER = "edgar.sam@cafealtiplano.example"  # Café Altiplano (Guatemala)
SELLER = "mariana.gutierrez@aguacatessierradeltigre.example"  # Aguacates Sierra del Tigre (Mexico)
SPANISH = "Buenos días: buscamos aguacate Hass calibre 60 para Ciudad de Guatemala. ¿Pueden cotizar FOB?"
PORTUGUESE = "Olá, Edgar! Podemos enviar 2 toneladas por semana; segue a nossa cotação FOB Manzanillo."


def offer_id(live: LiveServer) -> int:
    engine = make_engine(live.database_url)
    with Session(engine) as session:
        found = session.execute(
            select(Listing.id).where(Listing.external_key == "li-mx-aguacates-sierra-del-tigre-1")
        ).scalar_one()
    engine.dispose()
    return found


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(DEMO_PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)  # signed in and sent on


def test_buyer_asks_in_spanish_seller_answers_in_portuguese(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    listing = offer_id(live)
    buyer_context = browser.new_context(locale="es-MX", bypass_csp=True)
    buyer = buyer_context.new_page()
    buyer.goto(f"{live.url}/listings/{listing}")
    assert buyer.locator("html").get_attribute("lang") == "es"
    assert "ventas@aguacatessierradeltigre.example" not in buyer.content()
    buyer.locator(f"a[href*='/listings/{listing}/inquire']").click()  # anonymous: sign in first
    buyer.wait_for_url(lambda url: "/signin" in url)
    sign_in(buyer, BUYER)
    assert buyer.url.endswith(f"/listings/{listing}/inquire")
    buyer.locator("#f-quantity").fill("2000")
    buyer.locator("#f-unit").select_option("kg")
    buyer.locator("#f-price").fill("2.10")
    buyer.locator("#f-currency").fill("USD")
    buyer.locator("#f-incoterm").select_option("FOB")
    buyer.locator("#f-delivery_country").select_option("GT")
    buyer.locator("#f-needed_by").fill("2027-03-01")
    buyer.locator("#f-message").fill(SPANISH)
    check_accessibility(buyer)
    buyer.locator("#send-inquiry").click()
    buyer.wait_for_url(lambda url: "/inquiries/" in url)
    thread_url = buyer.url.split("?")[0]
    buyer.get_by_text(SPANISH).wait_for()  # waits until it shows
    assert buyer.locator(".contact-email").count() == 0  # hidden until the seller answers
    check_accessibility(buyer)

    seller_context = browser.new_context(locale="pt-BR", bypass_csp=True)
    seller = seller_context.new_page()
    seller.goto(f"{live.url}/signin")
    sign_in(seller, SELLER)
    seller.locator("nav.account-nav a[href='/inquiries']").click()
    assert seller.locator("html").get_attribute("lang") == "pt"
    seller.locator(".unread-count").first.wait_for()  # waits until it shows
    check_accessibility(seller)
    seller.locator(".inbox-row.unread a").first.click()
    seller.get_by_text(SPANISH).wait_for()  # waits until it shows
    seller.locator("#f-reply").fill(PORTUGUESE)
    seller.locator("#send-reply").click()
    seller.get_by_text(PORTUGUESE).wait_for()  # waits until it shows

    buyer.goto(thread_url)
    buyer.get_by_text(PORTUGUESE).wait_for()  # waits until it shows
    assert buyer.locator(".contact-email").inner_text() == "ventas@aguacatessierradeltigre.example"
    assert buyer.locator(".contact-phone").inner_text() == "+52 341 412 3380"
    check_accessibility(buyer)
    seller_context.close()
    buyer_context.close()
