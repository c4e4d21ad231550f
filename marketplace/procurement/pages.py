"""Procurement pages: search with facets, a notice, and "Opportunities for you" (page and dashboard block)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_member
from marketplace.core.querystring import page_url, parse_query
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.procurement.matching import opportunities_for_company
from marketplace.procurement.service import (
    STATE_LABELS,
    NoticeSearchParams,
    classification_label,
    get_notice,
    notice_state,
    search_notices,
)

router = APIRouter(dependencies=[Depends(check_csrf)])
LIST_PARAMS = ("country", "buyer", "status", "classification")


def parse_params(request: Request) -> NoticeSearchParams:
    """Search parameters from the query string (repeated keys for lists)."""
    return parse_query(request, NoticeSearchParams, LIST_PARAMS)


def _url(params: NoticeSearchParams, **changes: Any) -> str:
    return page_url("/procurement", params, **changes)


def _helpers(params: NoticeSearchParams) -> dict[str, Any]:
    def toggle(key: str, value: str) -> str:
        current = list(getattr(params, key))
        current = [v for v in current if v != value] if value in current else [*current, value]
        return _url(params, **{key: current})

    return {
        "url_for_procurement": lambda **changes: _url(params, **changes),
        "toggle": toggle,
        "state_labels": STATE_LABELS,
        "classification_label": classification_label,
    }


@router.get("/procurement")
def procurement_page(request: Request, session: SessionDep) -> Response:
    now = utcnow()
    try:
        params = parse_params(request)
    except ValidationError as exc:
        params = NoticeSearchParams()
        context = {
            "params": params,
            "results": None,
            "errors": field_errors(exc),
            "now": now,
            **_helpers(params),
        }
        return render(request, "procurement/search.html", context, status_code=422)
    results = search_notices(
        session, request.app.state.search, params, now=now, language=request.state.language
    )
    context = {
        "params": params,
        "results": results,
        "states": {n.id: notice_state(n, now) for n in results.notices},
        "errors": {},
        "now": now,
        **_helpers(params),
    }
    return render(request, "procurement/search.html", context)


def _opportunity_context(session: SessionDep, user: RequiredUser, company: int | None) -> dict[str, Any]:
    from marketplace.companies import service as companies

    mine = companies.companies_of(session, user)
    if not mine:
        return {"company": None, "opportunities": None, "state_labels": STATE_LABELS}
    chosen: Company | None = next((c for c, _ in mine if c.id == company), None) if company else mine[0][0]
    if chosen is None:
        raise NotFound(N_("This company does not exist."))
    require_member(session, user, chosen.id)  # type: ignore[arg-type]
    found = opportunities_for_company(session, chosen, now=utcnow())
    return {"company": chosen, "opportunities": found, "state_labels": STATE_LABELS}


@router.get("/procurement/opportunities")
def opportunities_page(
    request: Request, session: SessionDep, user: RequiredUser, company: int | None = None
) -> Response:
    return render(request, "procurement/opportunities.html", _opportunity_context(session, user, company))


@router.get("/procurement/{notice_id}")
def notice_page(request: Request, session: SessionDep, notice_id: int) -> Response:
    notice = get_notice(session, notice_id)
    now = utcnow()
    context = {"notice": notice, "state": notice_state(notice, now), "state_labels": STATE_LABELS, "now": now}
    return render(request, "procurement/notice.html", context)


def install_procurement_templates(app: FastAPI) -> None:
    """Let templates/procurement/_opportunities.html, included in the dashboard, find its opportunities."""

    def company_opportunities(request: Request, company: Company) -> dict[str, Any]:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            found = opportunities_for_company(session, company, now=utcnow())
            return {"opportunities": found, "state_labels": STATE_LABELS}

    app.state.templates.env.globals["company_opportunities"] = company_opportunities
