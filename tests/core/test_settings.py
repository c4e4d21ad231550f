"""Settings come from the environment (DESIGN §6) and a bad value stops start-up with one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from marketplace.core.settings import Settings, SettingsError

STRONG = "k2J9x-Qm4Lr8Zt1Vw7Np3Hs6Bc0Df5Gy_aEiOuY"


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path), **env})


def test_defaults_give_the_embedded_setup(tmp_path: Path) -> None:
    result = settings(tmp_path)
    assert result.env == "development"
    assert result.search_backend == "embedded"
    assert result.database_url.get_backend_name() == "sqlite"
    assert result.database_url.database == str(tmp_path / "puente.db")
    assert result.base_url == "http://127.0.0.1:8000"
    assert result.smtp is None and result.oidc_providers == ()


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = settings(tmp_path).secret_key
    assert len(first) >= 32
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert settings(tmp_path).secret_key == first


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PUENTE_ENV": "production"}, "PUENTE_SECRET_KEY"),
        ({"PUENTE_ENV": "production", "PUENTE_SECRET_KEY": "short"}, "PUENTE_SECRET_KEY"),
        ({"PUENTE_ENV": "production", "PUENTE_SECRET_KEY": "changeme" * 5}, "PUENTE_SECRET_KEY"),
        ({"PUENTE_ENV": "production", "PUENTE_SECRET_KEY": "a" * 40}, "PUENTE_SECRET_KEY"),
        ({"PUENTE_ENV": "staging"}, "PUENTE_ENV"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL"),
        ({"PUENTE_SEARCH_BACKEND": "elastic"}, "PUENTE_SEARCH_BACKEND"),
        ({"PUENTE_SEARCH_BACKEND": "meilisearch"}, "MEILI_URL"),
        ({"MEILI_URL": "localhost:7700"}, "MEILI_URL"),
        ({"SMTP_URL": "mail.example.org"}, "SMTP_URL"),
        ({"SMTP_URL": "smtp://host:99999"}, "SMTP_URL"),
        ({"PUENTE_OIDC_PROVIDERS": "[{"}, "PUENTE_OIDC_PROVIDERS"),
        ({"PUENTE_OIDC_PROVIDERS": '[{"name": "x"}]'}, "PUENTE_OIDC_PROVIDERS"),
        ({"PUENTE_BASE_URL": "ftp://x"}, "PUENTE_BASE_URL"),
    ],
)
def test_bad_value_is_refused_naming_the_variable(tmp_path: Path, env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as error:
        settings(tmp_path, **env)
    message = str(error.value)
    assert message.startswith(f"{variable}") or message.startswith(f"{variable}[")
    assert "\n" not in message


def test_production_accepts_a_strong_secret_and_https(tmp_path: Path) -> None:
    result = settings(
        tmp_path,
        PUENTE_ENV="production",
        PUENTE_SECRET_KEY=STRONG,
        PUENTE_BASE_URL="https://puente.example.org",
    )
    assert result.is_production and result.secret_key == STRONG
    assert not (tmp_path / "secret.key").exists()


def test_production_meilisearch_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^MEILI_API_KEY"):
        settings(
            tmp_path,
            PUENTE_ENV="production",
            PUENTE_SECRET_KEY=STRONG,
            PUENTE_BASE_URL="https://p.example.org",
            PUENTE_SEARCH_BACKEND="meilisearch",
            MEILI_URL="http://meili:7700",
        )


def test_postgres_urls_use_psycopg3(tmp_path: Path) -> None:
    result = settings(tmp_path, DATABASE_URL="postgres://puente:pw@db:5432/puente")
    assert result.database_url.drivername == "postgresql+psycopg"
    assert result.database_url.host == "db" and result.database_url.database == "puente"


def test_smtp_url_is_parsed(tmp_path: Path) -> None:
    smtp = settings(tmp_path, SMTP_URL="smtp://ana:s3cret@mail.example.org:587?starttls=1").smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.starttls, smtp.use_tls) == (
        "mail.example.org", 587, "ana", "s3cret", True, False,
    )  # fmt: skip


def test_oidc_providers_are_parsed(tmp_path: Path) -> None:
    raw = json.dumps(
        [{"name": "google", "issuer": "https://accounts.google.com/", "client_id": "a", "client_secret": "b"}]
    )
    (provider,) = settings(tmp_path, PUENTE_OIDC_PROVIDERS=raw).oidc_providers
    assert provider.issuer == "https://accounts.google.com" and provider.label == "google"


def test_cli_stops_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PUENTE_", "DATABASE_URL", "MEILI_", "SMTP_"))
    }
    env.update(PUENTE_ENV="production", PUENTE_SECRET_KEY="tooshort", PUENTE_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "marketplace", "migrate"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "PUENTE_SECRET_KEY" in lines[0]
    assert not (tmp_path / "puente.db").exists()
