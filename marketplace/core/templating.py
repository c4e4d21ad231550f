"""Jinja2 templates: one environment, autoescaped, translated per request, with the helpers pages use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pycountry
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from marketplace.core.codes import PER_UNIT_LABELS, UNIT_LABELS
from marketplace.core.i18n import LANGUAGE_NAMES, LANGUAGES, translate, translations
from marketplace.core.models import utcnow


@pass_context
def _gettext(context: Any, message: str, **values: object) -> str:
    request = context.get("request")
    language = getattr(request.state, "language", "en") if request is not None else "en"
    text = translate(translations(language), message)
    return text % values if values else text


@pass_context
def _ngettext(context: Any, singular: str, plural: str, n: int, **values: object) -> str:
    request = context.get("request")
    language = getattr(request.state, "language", "en") if request is not None else "en"
    text = translations(language).ngettext(singular, plural, n)
    return text % {"n": n, **values}


@pass_context
def _unit(context: Any, code: str | None, per: bool = False) -> str:
    if not code:
        return ""
    labels = PER_UNIT_LABELS if per else UNIT_LABELS
    return _gettext(context, labels.get(code, code))


@pass_context
def _quantity(context: Any, amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.3f}".rstrip("0").rstrip(".")


def _country_name(code: str | None, language: str = "en") -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if language == "en":
        return getattr(country, "common_name", None) or country.name
    try:
        import gettext as std_gettext

        local = std_gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        return local.gettext(country.name)
    except OSError:
        return country.name


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return ""
    text = f"{amount:,.2f}".rstrip("0").rstrip(".") if amount % 1 else f"{amount:,.0f}"
    return f"{text} {currency or ''}".strip()


def _page_context(request: Request) -> dict[str, Any]:
    """What every page can use (documented in templates/base.html)."""
    state = request.state
    query = dict(request.query_params)
    query.pop("lang", None)

    def language_url(language: str) -> str:
        return f"{request.url.path}?{urlencode({**query, 'lang': language})}"

    return {
        "current_user": getattr(state, "user", None),
        "is_advisor": getattr(state, "is_advisor", False),
        "language": getattr(state, "language", "en"),
        "csrf_token": getattr(state, "csrf_token", ""),
        "languages": [(code, LANGUAGE_NAMES[code], language_url(code)) for code in LANGUAGES],
        "current_path": request.url.path,
    }


def _is_web_url(value: str | None) -> bool:
    """Only http(s) addresses become links: a stored `javascript:` or `data:` URL must never be clickable."""
    return bool(value) and value.strip().lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def make_templates(directory: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=directory, context_processors=[_page_context])
    env = templates.env
    env.autoescape = True
    env.globals["_"] = _gettext
    env.globals["ngettext"] = _ngettext
    env.filters["country_name"] = _country_name
    env.globals["now_utc"] = utcnow
    env.filters["money"] = _money
    env.filters["unit"] = _unit
    env.filters["quantity"] = _quantity
    env.filters["is_web_url"] = _is_web_url
    return templates


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the request's language and user."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
