"""The CSP allows no inline script or style: no template may need them (they would silently not run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "inline style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "inline style element": re.compile(r"<style[\s>]", re.I),
}


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_template_needs_nothing_inline(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(TEMPLATES)}: {', '.join(found)} (the CSP blocks it)"
