"""The installed package carries its templates, migrations and data; `search/` stays free of the web layer."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, REPO],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (path,) = out.glob("puente-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_everything_the_app_reads_at_run_time(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for required in (
        "marketplace/templates/base.html",
        "marketplace/templates/home.html",
        "marketplace/templates/static/style.css",
        "marketplace/migrations/env.py",
        "marketplace/migrations/script.py.mako",
        "marketplace/migrations/versions/0001_initial_schema.py",
        "marketplace/seeds/companies.jsonl",
        "marketplace/seeds/listings.jsonl",
        "marketplace/seeds/centres.jsonl",
        "marketplace/seeds/users.jsonl",
        "marketplace/translations/es/LC_MESSAGES/messages.po",
        "marketplace/translations/pt/LC_MESSAGES/messages.po",
        "marketplace/translations/fr/LC_MESSAGES/messages.po",
        "search/taxonomy/data/hs_codes.csv",
        "search/taxonomy/data/unspsc_segment_family_class.csv",
        "search/taxonomy/data/SOURCES.md",
    ):
        assert required in names, f"{required} is missing from the wheel"
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "puente = marketplace.cli:main" in wheel.read(entry_points).decode()
    assert not any(name.startswith(("tests/", "seeds/parts/", "marketplace/seeds/parts/")) for name in names)


def test_search_package_imports_nothing_from_the_web_app() -> None:
    forbidden = ("marketplace", "fastapi", "starlette", "jinja2")
    for path in (REPO / "search").rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                assert module.split(".")[0] not in forbidden, f"{path.relative_to(REPO)} imports {module}"
