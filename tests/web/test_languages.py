"""Every page in es/en/pt/fr: negotiated from Accept-Language, overridable with ?lang=, remembered."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.i18n import CATALOG_DIR, negotiate_language, parse_accept_language, translations
from tests.webtools import make_user, sign_in


def test_accept_language_is_parsed_by_preference() -> None:
    assert parse_accept_language("de-DE,pt-BR;q=0.8,es;q=0.9,en;q=0.1") == ["es", "pt", "en"]
    assert parse_accept_language("fr-CA") == ["fr"]
    assert parse_accept_language("zh, *;q=0.1") == []
    assert negotiate_language(requested=None, cookie=None, user_locale=None, accept_language="ja") == "en"
    assert negotiate_language(requested="pt", cookie="es", user_locale="fr", accept_language="en") == "pt"


def test_home_page_follows_the_browser_language(client: TestClient) -> None:
    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert '<html lang="es">' in spanish.text and "Compra y vende en todas las Américas" in spanish.text
    french = client.get("/signin", headers={"Accept-Language": "fr-CA"})
    assert '<html lang="fr">' in french.text and "Se connecter" in french.text
    portuguese = client.get("/signup", headers={"Accept-Language": "pt-BR"})
    assert "Criar uma conta" in portuguese.text


def test_chosen_language_is_remembered_in_a_cookie_and_on_the_account(
    client: TestClient, session: Session
) -> None:
    chosen = client.get("/?lang=pt", headers={"Accept-Language": "en"})
    assert '<html lang="pt">' in chosen.text
    assert '<html lang="pt">' in client.get("/", headers={"Accept-Language": "en"}).text  # cookie
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    client.get("/account?lang=fr")
    session.commit()
    user = session.execute(select(User).where(User.email == "ana@example.org")).scalar_one()
    assert user.locale == "fr"
    elsewhere = TestClient(client.app)  # another browser, same account
    sign_in(elsewhere, "ana@example.org")
    assert '<html lang="fr">' in elsewhere.get("/account", headers={"Accept-Language": "es"}).text


def test_every_message_in_the_code_is_translated_in_every_catalog(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Extract the messages from the code and templates now: each must have a translation in es, pt and fr."""
    import subprocess
    import sys

    from babel.messages.pofile import read_po

    repo = CATALOG_DIR.parent.parent
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "N_", "-k", "NP_:1c,2", "-k", "_", "-k", "_n",
         "-o", str(pot), "--no-location", "."],
        cwd=repo, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with pot.open("rb") as handle:
        wanted = {(message.context, message.id) for message in read_po(handle) if message.id}
    assert len(wanted) > 100
    for language in ("es", "pt", "fr"):
        with (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        translated = {
            (message.context, message.id)
            for message in catalog
            if message.id and message.string and not message.fuzzy
        }
        missing = sorted(str(m) for m in wanted - translated)
        assert missing == [], (
            f"{language}: {len(missing)} untranslated, e.g. {missing[:3]} (see README, Translations)"
        )
    assert translations("es").gettext("Sign in") == "Iniciar sesión"


def test_a_tender_state_is_translated_in_its_own_context() -> None:
    """One tender is "Cerrada"/"Clôturé" where the dashboard's group of listings is "Cerradas"/"Fermées"."""
    from marketplace.core.i18n import gettext_for
    from marketplace.procurement.service import STATE_LABELS

    assert gettext_for("es", STATE_LABELS["closed"]) == "Cerrada"
    assert gettext_for("es", "Closed") == "Cerradas"
    assert gettext_for("fr", STATE_LABELS["closed"]) == "Clôturé"
    assert gettext_for("fr", "Closed") == "Fermées"
    assert gettext_for("pt", STATE_LABELS["open"]) == "Aberta"
    assert gettext_for("en", STATE_LABELS["open"]) == "Open"


def test_the_header_badge_label_agrees_in_french() -> None:
    """Notifications are feminine ("non lues") and French sets a space before the colon."""
    from marketplace.core.i18n import gettext_for, translations

    label = gettext_for("fr", "Notifications")
    text = translations("fr").ngettext(
        "%(label)s: %(n)s unread notification", "%(label)s: %(n)s unread notifications", 3
    )
    assert text % {"label": label, "n": 3} == "Notifications : 3 non lues"
