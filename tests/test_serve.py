"""The Quickstart path end to end: migrate, seed and serve as real processes, then read the home page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUENTE_", "DATABASE_URL", "MEILI_"))}
    env["PUENTE_DATA_DIR"] = str(data)
    puente = [sys.executable, "-m", "marketplace"]
    subprocess.run([*puente, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    seeded = subprocess.run(
        [*puente, "seed"], env=env, check=True, capture_output=True, text=True, timeout=300
    )
    port = _free_port()
    server = subprocess.Popen(
        [*puente, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("puente serve did not answer within 10 s")
        yield base, seeded.stdout, Path(data)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_served_home_page_lists_demo_listings(served) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = served
    page = httpx.get(base + "/", timeout=30)
    assert page.status_code == 200
    assert page.text.count('class="listing-card"') == 24
    api = httpx.get(base + "/api/v1/listings", params={"per_page": 100}, timeout=10).json()
    assert api["total"] >= 240 and len(api["items"]) == 100
    assert httpx.get(base + "/readyz", timeout=10).json()["status"] == "ok"


def test_seed_prints_demo_logins_with_a_password_that_meets_the_rules(served) -> None:  # type: ignore[no-untyped-def]
    from marketplace.accounts.passwords import check_password_rules

    _, output, data = served
    assert "admin@puente.example" in output and "advisor," in output
    password = (data / "demo-password.txt").read_text().strip()
    assert f"password: {password}" in output
    check_password_rules(password)
