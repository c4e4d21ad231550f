"""A live server with the demo data and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("PUENTE_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{CHROMIUM} is required here (PUENTE_REQUIRE_BROWSER=1): run scripts/ensure-chromium.sh"
            )
        pytest.skip(f"{CHROMIUM} is not installed (scripts/ensure-chromium.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


DEMO_PASSWORD = "demo-Quetzal-Colibri-42"
AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class LiveServer:
    url: str
    database_url: str
    data_dir: str


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[LiveServer]:
    from marketplace.app import create_app
    from marketplace.core.db import make_engine, session_scope
    from marketplace.core.models import utcnow
    from marketplace.core.resources import resource_dir
    from marketplace.core.settings import Settings
    from marketplace.imports.demo import seed_demo

    data = tmp_path_factory.mktemp("live")
    shutil.copy(sqlite_template, data / "puente.db")
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(data)})
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        seed_demo(session, resource_dir("seeds"), today=utcnow().date(), password=DEMO_PASSWORD)
    engine.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield LiveServer(
        f"http://127.0.0.1:{port}", settings.database_url.render_as_string(hide_password=False), str(data)
    )
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def live_server(live: LiveServer) -> str:
    return live.url


def check_accessibility(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core in the page: no serious or critical violation may remain."""
    if not AXE.exists():
        if os.environ.get("PUENTE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} is missing: run scripts/ensure-axe.sh")
        pytest.skip("axe-core is not installed (scripts/ensure-axe.sh installs it)")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {page.url}: {serious}"


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
