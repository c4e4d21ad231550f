"""The whole OIDC sign-in in Chromium: the app on 127.0.0.1, the provider on "localhost" (another site), so the
browser-binding cookie must survive the cross-site redirect back (SameSite=Lax on a top-level GET)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from marketplace.accounts import oidc
from tests.browser.conftest import check_accessibility
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def cross_site_provider() -> Iterator[Provider]:
    provider = Provider(host="localhost").start()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def oidc_app(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, cross_site_provider: Provider
) -> Iterator[str]:
    from marketplace.app import create_app
    from marketplace.core.settings import Settings

    data = tmp_path_factory.mktemp("oidc-live")
    shutil.copy(sqlite_template, data / "puente.db")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    providers = [
        {
            "name": "mock",
            "issuer": cross_site_provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": "Mock ID",
        }
    ]
    settings = Settings.from_env(
        {
            "PUENTE_DATA_DIR": str(data),
            "PUENTE_BASE_URL": f"http://127.0.0.1:{port}",
            "PUENTE_OIDC_PROVIDERS": json.dumps(providers),
        }
    )
    oidc.clear_cache()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_sign_in_with_a_provider_in_chromium(browser, oidc_app: str, cross_site_provider: Provider) -> None:  # type: ignore[no-untyped-def]
    cross_site_provider.reset()
    cross_site_provider.user = {
        "sub": "chromium-1",
        "email": "rosa@example.org",
        "email_verified": True,
        "name": "Rosa",
    }
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(oidc_app + "/signin?next=/account")
    check_accessibility(page)
    page.get_by_role("button", name="Sign in with Mock ID").click()
    page.wait_for_url(oidc_app + "/account")  # CSP form-action lets the form's redirect reach the provider
    main = page.locator("main").inner_text()
    assert "rosa@example.org" in main and "Mock ID" in main
    assert cross_site_provider.authorize_requests[-1]["code_challenge_method"] == "S256"
    check_accessibility(page)

    # Signing out and in again goes straight through (the provider remembers nobody: it is the same sub).
    page.locator("nav[aria-label='Account'] form button").click()
    page.goto(oidc_app + "/signin")
    page.get_by_role("button", name="Sign in with Mock ID").click()
    page.wait_for_url(oidc_app + "/")
    assert "Rosa" in page.locator("nav[aria-label='Account']").inner_text()
    context.close()
