"""docker-compose.yml is the production-like setup: it must name what the app needs, pinned and checked."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
REQUIRED_SECRETS = ("PUENTE_SECRET_KEY", "POSTGRES_PASSWORD", "MEILI_MASTER_KEY", "MEILI_API_KEY")


def test_compose_has_the_four_services_with_health_checks() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"app", "worker", "postgres", "meilisearch"}
    for name, service in services.items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
        assert service.get("restart") == "unless-stopped", name


def test_images_are_pinned_to_exact_versions() -> None:
    for name in ("postgres", "meilisearch"):
        image = COMPOSE["services"][name]["image"]
        assert re.search(r":v?\d+\.\d+(\.\d+)?(-[a-z]+)?$", image), f"{name} image {image} is not pinned"


def test_app_and_worker_run_the_contract_commands_in_production_mode() -> None:
    app, worker = COMPOSE["services"]["app"], COMPOSE["services"]["worker"]
    assert "puente migrate" in " ".join(app["command"]) and "puente serve" in " ".join(app["command"])
    assert worker["command"] == ["puente", "worker"]
    for service in (app, worker):
        env = service["environment"]
        assert env["PUENTE_ENV"] == "production"
        assert env["PUENTE_SEARCH_BACKEND"] == "meilisearch"
        assert env["MEILI_URL"] == "http://meilisearch:7700"
        assert (
            env["DATABASE_URL"].startswith("postgresql+psycopg://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        healthy = {
            dep for dep, cond in service["depends_on"].items() if cond["condition"] == "service_healthy"
        }
        assert healthy >= {
            "postgres", "meilisearch",
        }  # fmt: skip


def test_secrets_come_from_the_environment_and_are_required() -> None:
    text = (REPO / "docker-compose.yml").read_text()
    for name in REQUIRED_SECRETS:
        assert f"${{{name}:?" in text, f"{name} must be taken from the environment and required"
    # The app gets the scoped key, never Meilisearch's master key.
    assert "MEILI_MASTER_KEY" not in str(COMPOSE["services"]["app"]["environment"])
    assert "MEILI_MASTER_KEY" in str(COMPOSE["services"]["meilisearch"]["environment"])


def test_data_lives_in_named_volumes() -> None:
    assert set(COMPOSE["volumes"]) == {"postgres-data", "meili-data", "app-data"}
    assert any(v.startswith("postgres-data:") for v in COMPOSE["services"]["postgres"]["volumes"])
    assert any(v.startswith("meili-data:") for v in COMPOSE["services"]["meilisearch"]["volumes"])
