"""`search/` stays independent of the web app (DESIGN.md §4)."""

from __future__ import annotations

import ast
from pathlib import Path

SEARCH = Path(__file__).resolve().parents[2] / "search"
FORBIDDEN = ("marketplace", "fastapi", "starlette", "sqlmodel", "sqlalchemy", "jinja2")


def test_search_imports_nothing_from_the_web_app() -> None:
    offending = []
    for path in SEARCH.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offending += [f"{path.relative_to(SEARCH)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offending == []
