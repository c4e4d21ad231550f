"""A real OIDC provider on loopback, and an app configured to use it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from marketplace.accounts import oidc
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture(scope="session")
def _provider_server() -> Iterator[Provider]:
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(_provider_server: Provider) -> Provider:
    _provider_server.reset()
    oidc.clear_cache()
    return _provider_server


@pytest.fixture(scope="session")
def _second_provider_server() -> Iterator[Provider]:
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def second_provider(_second_provider_server: Provider) -> Provider:
    """Another issuer on another port, whose users have the same `sub` values as the first one's."""
    _second_provider_server.reset()
    oidc.clear_cache()
    return _second_provider_server


@pytest.fixture
def app_settings(database_url: str, tmp_path: Path, provider: Provider):  # type: ignore[no-untyped-def]
    from marketplace.core.settings import Settings

    providers = [
        {
            "name": "mock",
            "issuer": provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": "Mock ID",
        }
    ]
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PUENTE_DATA_DIR": str(tmp_path / "data"),
            "PUENTE_OIDC_PROVIDERS": json.dumps(providers),
        }
    )
