"""Jinja2 templates: one environment, autoescaped, with the helpers every page uses."""

from __future__ import annotations

from decimal import Decimal

from fastapi.templating import Jinja2Templates

from marketplace.core.codes import country_name
from marketplace.core.resources import resource_dir


def _gettext(message: str, **values: object) -> str:
    # Catalogs for es/en/pt/fr arrive with the accounts-and-pages work; until then strings pass through.
    return message % values if values else message


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return ""
    text = f"{amount:,.2f}".rstrip("0").rstrip(".") if amount % 1 else f"{amount:,.0f}"
    return f"{text} {currency or ''}".strip()


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(resource_dir("templates")))
    env = templates.env
    env.autoescape = True
    env.globals["_"] = _gettext
    env.filters["country_name"] = country_name
    env.filters["money"] = _money
    return templates
