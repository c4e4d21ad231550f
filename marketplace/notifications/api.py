"""JSON API for the caller's notifications: list (newest first, paginated), mark one or all read."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from marketplace.core.deps import PageDep, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.notifications import service

router = APIRouter(
    prefix="/api/v1", tags=["notifications"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class NotificationOut(BaseModel):
    id: int
    kind: str  # new_inquiry | reply | match | saved_search
    title: str  # in the caller's language
    detail: str
    url: str  # the page it is about (thread, listing), relative to the site
    read: bool
    read_at: datetime | None
    created_at: datetime
    inquiry_id: int | None
    match_id: int | None
    listing_id: int | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    total: int
    page: int
    per_page: int
    unread: int  # all the caller's unread notifications, whatever the page


class MarkedOut(BaseModel):
    marked: int


def _out(view: service.NoticeView) -> NotificationOut:
    notice = view.notice
    return NotificationOut(
        id=notice.id,  # type: ignore[arg-type]
        kind=notice.kind,
        title=view.title,
        detail=view.detail,
        url=view.path,
        read=notice.read_at is not None,
        read_at=notice.read_at,
        created_at=notice.created_at,
        inquiry_id=notice.inquiry_id,
        match_id=notice.match_id,
        listing_id=notice.listing_id,
    )


@router.get("/notifications", response_model=NotificationPage)
def list_notifications(
    request: Request, session: SessionDep, user: RequiredApiUser, paging: PageDep, unread: bool = False
) -> NotificationPage:
    """The caller's notifications, newest first (`unread=true`: only the unread ones)."""
    result = service.list_notices(
        session,
        user,
        page=paging.page,
        per_page=paging.per_page,
        language=request.state.language,
        unread_only=unread,
    )
    return NotificationPage(
        items=[_out(view) for view in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        unread=result.unread,
    )


@router.post("/notifications/read-all", response_model=MarkedOut)
def mark_all_read(session: SessionDep, user: RequiredApiUser) -> MarkedOut:
    """Mark all the caller's notifications read."""
    return MarkedOut(marked=service.mark_all_read(session, user))


@router.post("/notifications/{notification_id}/read", response_model=NotificationOut)
def mark_read(
    request: Request, session: SessionDep, user: RequiredApiUser, notification_id: int
) -> NotificationOut:
    """Mark one notification read; another user's answers 404."""
    notice = service.mark_read(session, user, notification_id)
    (view,) = service.describe(session, [notice], request.state.language)
    return _out(view)
