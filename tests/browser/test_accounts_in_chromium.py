"""Accounts in a real browser: languages, sign-up with e-mail verification, invitation, sign-out; axe-core."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import Session

from marketplace.core.db import make_engine
from marketplace.mail.models import MailMessage
from tests.browser.conftest import DEMO_PASSWORD, LiveServer, check_accessibility

pytestmark = pytest.mark.browser
OWNER = "mariana.gutierrez@aguacatessierradeltigre.example"  # a demo owner (seeds/users.jsonl)


def mailed_path(live: LiveServer, to: str, path: str) -> str:
    engine = make_engine(live.database_url)
    with Session(engine) as session:
        bodies = session.execute(
            select(MailMessage.body_text).where(MailMessage.to_address == to).order_by(MailMessage.id.desc())
        ).scalars()
        for body in bodies:
            found = re.search(re.escape(path) + r"\?token=[\w-]+", body)
            if found:
                engine.dispose()
                return found.group(0)
    engine.dispose()
    raise AssertionError(f"no mail to {to} with {path}")


@pytest.mark.parametrize(
    ("locale", "heading", "sign_in"),
    [
        ("es-MX", "Compra y vende en todas las Américas", "Iniciar sesión"),
        ("en-US", "Buy and sell across the Americas", "Sign in"),
    ],
)
def test_home_page_in_the_browsers_language(
    browser, live: LiveServer, locale: str, heading: str, sign_in: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    page.goto(live.url + "/")
    assert page.locator("h1").inner_text() == heading
    page.get_by_role("link", name=sign_in, exact=True).wait_for()  # waits until it shows
    assert page.locator("html").get_attribute("lang") == locale[:2]
    check_accessibility(page)
    context.close()


def test_language_switcher_changes_and_remembers_the_language(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Português").click()
    assert page.locator("h1").inner_text() == "Compre e venda em todas as Américas"
    page.goto(live.url + "/signin")
    assert page.locator("h1").inner_text() == "Entrar"
    context.close()


def test_register_verify_sign_in_join_a_team_and_sign_out(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    email = "valentina.rios@aguacatessierradeltigre.example"
    newcomer = browser.new_context(locale="es-MX", bypass_csp=True)
    page = newcomer.new_page()

    # Sign up: a bad password first, kept values and an announced error, then a good one.
    page.goto(live.url + "/signup")
    page.get_by_label("Tu nombre").fill("Valentina Ríos")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill("corta")
    page.get_by_role("button", name="Crear una cuenta").click()
    error = page.locator("#e-password")
    error.wait_for()  # waits until it shows
    assert page.get_by_label("Contraseña").get_attribute("aria-describedby").startswith("e-password")
    assert page.get_by_label("Correo electrónico").input_value() == email
    check_accessibility(page)
    page.get_by_label("Contraseña").fill("Aguacate-Tapatío-2026")
    page.get_by_role("button", name="Crear una cuenta").click()
    page.locator("main p", has_text=email).wait_for()  # "check your inbox": the sign-up is committed

    # Verify through the mailed link: signed in on the account page.
    page.goto(live.url + mailed_path(live, email, "/account/verify"))
    page.locator("main").get_by_role("button").click()  # "Confirm my address", in the page's language
    page.wait_for_url(re.compile(r"/account\?notice=verified$"))
    page.get_by_role("status").wait_for()  # waits until it shows
    check_accessibility(page)

    # The owner of the company invites her.
    owner_context = browser.new_context(locale="es-MX", bypass_csp=True)
    owner = owner_context.new_page()
    owner.goto(live.url + "/signin")
    owner.get_by_label("Correo electrónico").fill(OWNER)
    owner.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    owner.get_by_role("button", name="Iniciar sesión").click()
    owner.get_by_role("navigation", name="Cuenta").get_by_role(
        "link"
    ).first.click()  # their name: the account
    owner.get_by_role("link", name="Equipo").first.click()
    check_accessibility(owner)
    owner.get_by_label("Correo electrónico de tu colega").fill(email)
    owner.get_by_role("button", name="Enviar la invitación").click()
    owner.get_by_role("status").wait_for()  # waits until it shows
    assert email in owner.locator("main").inner_text()

    # She accepts and sees herself in the team; then signs out.
    page.goto(live.url + mailed_path(live, email, "/invitations/accept"))
    page.get_by_role("button", name="Unirme al equipo").click()
    assert "Valentina Ríos" in page.locator("table").inner_text()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(lambda url: url.endswith("/signin?notice=signed_out"))
    page.goto(live.url + "/account")  # goto waits for the redirect to land
    assert "/signin" in page.url
    owner_context.close()
    newcomer.close()
