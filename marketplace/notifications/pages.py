"""Notification pages: the list (mark read, mark all read), the unsubscribe confirmation, the header badge."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from marketplace.core.deps import PageDep, RequiredUser, SessionDep, SettingsDep, check_csrf
from marketplace.core.i18n import N_
from marketplace.core.templating import render
from marketplace.notifications import service
from marketplace.notifications.unsubscribe import (
    KIND_LABELS,
    InvalidUnsubscribeLink,
    read_token,
    requested_user,
    unsubscribe,
)

router = APIRouter(dependencies=[Depends(check_csrf)])
# No CSRF check here: the signed token is the proof, and mail clients' one-click POST (RFC 8058) has no
# form token. GET only shows the confirmation, so a scanner following the link unsubscribes no one.
unsubscribe_router = APIRouter()

NOTICES = {
    "read": N_("Marked as read."),
    "all_read": N_("All notifications are marked as read."),
}


def _back(value: object, default: str) -> str:
    return (
        value if isinstance(value, str) and value.startswith("/") and not value.startswith("//") else default
    )


@router.get("/notifications")
def notifications_page(
    request: Request, session: SessionDep, user: RequiredUser, paging: PageDep
) -> Response:
    listing = service.list_notices(
        session, user, page=paging.page, per_page=paging.per_page, language=request.state.language
    )
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return render(request, "notifications/list.html", {"result": listing, "notice": notice})


@router.post("/notifications/{notification_id}/read")
async def mark_read(
    request: Request, session: SessionDep, user: RequiredUser, notification_id: int
) -> Response:
    service.mark_read(session, user, notification_id)
    back = _back((await request.form()).get("next"), "/notifications")
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}notice=read", status_code=303)


@router.post("/notifications/read-all")
def mark_all_read(session: SessionDep, user: RequiredUser) -> Response:
    service.mark_all_read(session, user)
    return RedirectResponse("/notifications?notice=all_read", status_code=303)


def _unsubscribe_page(request: Request, context: dict, status_code: int = 200) -> Response:
    return render(request, "notifications/unsubscribe.html", context, status_code=status_code)


@unsubscribe_router.get("/unsubscribe")
def confirm_unsubscribe(
    request: Request, session: SessionDep, settings: SettingsDep, token: str = Query("", max_length=200)
) -> Response:
    """Show what the link would stop, with a button; changes nothing (link scanners only GET)."""
    try:
        wanted = read_token(settings.secret_key, token)
        user = requested_user(session, wanted)
    except InvalidUnsubscribeLink as exc:
        return _unsubscribe_page(request, {"error": exc.message}, status_code=exc.status_code)
    context = {"token": token, "what": KIND_LABELS[wanted.kind], "email": user.email, "done": False}
    return _unsubscribe_page(request, context)


@unsubscribe_router.post("/unsubscribe")
def do_unsubscribe(
    request: Request, session: SessionDep, settings: SettingsDep, token: str = Query("", max_length=200)
) -> Response:
    """Unsubscribe from the token's kind: the confirmation button, or a mail client's one-click POST."""
    try:
        wanted = read_token(settings.secret_key, token)
        user = unsubscribe(session, wanted)
    except InvalidUnsubscribeLink as exc:
        return _unsubscribe_page(request, {"error": exc.message}, status_code=exc.status_code)
    return _unsubscribe_page(request, {"what": KIND_LABELS[wanted.kind], "email": user.email, "done": True})


# --- Header badge -----------------------------------------------------------------------------------------------


@dataclass
class HeaderCounts:
    notifications: int = 0
    inquiry_threads: int = 0


def _header_counts(request: Request) -> HeaderCounts:
    """Unread notices and unread inquiry threads of the signed-in user (base.html calls it only for them)."""
    user = getattr(request.state, "user", None)
    if user is None:
        return HeaderCounts()
    # A read-only session beside the page's own (on SQLite it must not ask for the write lock the page's unit
    # of work may hold): one COUNT on the (user_id, read_at) index.
    with Session(request.app.state.engine.execution_options(sqlite_begin="NONE")) as session:
        total, threads = service.unread_counts(session, user.id)
    return HeaderCounts(total, threads)


def install_notification_templates(app: FastAPI) -> None:
    app.state.templates.env.globals["header_counts"] = _header_counts
