"""Saved-search pages: save from the search page, the list (run, rename, delete)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from marketplace.core.deps import PageDep, RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.core.templating import render
from marketplace.savedsearches import service
from marketplace.search.pages import render_search
from marketplace.search.service import SearchParams

router = APIRouter(dependencies=[Depends(check_csrf)])

NOTICES = {
    "saved": N_("Search saved. We will tell you about new listings that fit it."),
    "renamed": N_("Saved search renamed."),
    "deleted": N_("Saved search deleted."),
}


def _text(form: Any, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def _list_page(
    request: Request, session: SessionDep, user: RequiredUser, paging: PageDep, **extra: Any
) -> Response:
    result = service.list_saved(session, user, page=paging.page, per_page=paging.per_page)
    context = {
        "result": result,
        "run_url": service.search_url,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "rename_errors": {},
        "rename_input": {},
        **extra,
    }
    status_code = 422 if context["rename_errors"] else 200
    return render(request, "savedsearches/list.html", context, status_code=status_code)


@router.get("/searches/saved")
def saved_searches_page(
    request: Request, session: SessionDep, user: RequiredUser, paging: PageDep
) -> Response:
    return _list_page(request, session, user, paging)


@router.post("/searches/saved")
async def save_search(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    form = await request.form()
    query, name = _text(form, "query"), _text(form, "name")
    try:
        service.save_search(session, user, params=query, name=name, language=request.state.language)
    except DomainError as exc:
        try:
            params = service.params_of(query)
        except ValidationError:
            params = SearchParams()
        shown_by_field = bool(exc.fields) and set(exc.fields) <= {"name", "query"}
        save_form = {"name": name, "errors": exc.fields, "message": None if shown_by_field else exc.message}
        return render_search(request, params, save_form=save_form, status_code=exc.status_code)
    return RedirectResponse("/searches/saved?notice=saved", status_code=303)


@router.post("/searches/saved/{saved_search_id}/rename")
async def rename_search(
    request: Request, session: SessionDep, user: RequiredUser, paging: PageDep, saved_search_id: int
) -> Response:
    name = _text(await request.form(), "name")
    try:
        service.rename(session, user, saved_search_id, name)
    except DomainError as exc:
        if not exc.fields:
            raise  # another user's search: 404
        return _list_page(
            request,
            session,
            user,
            paging,
            rename_errors={saved_search_id: exc.fields.get("name", exc.message)},
            rename_input={saved_search_id: name},
        )
    return RedirectResponse("/searches/saved?notice=renamed", status_code=303)


@router.post("/searches/saved/{saved_search_id}/delete")
def delete_search(session: SessionDep, user: RequiredUser, saved_search_id: int) -> Response:
    service.delete(session, user, saved_search_id)
    return RedirectResponse("/searches/saved?notice=deleted", status_code=303)
