"""JSON API for a listing's photos and documents: list, upload (multipart), delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from marketplace.core.deps import ApiUser, RequiredApiUser, SessionDep, SettingsDep, check_api_csrf
from marketplace.core.models import utcnow
from marketplace.media import service
from marketplace.media.forms import limit_upload_size, uploads_from
from marketplace.media.schemas import MediaList, MediaOut
from marketplace.media.storage import media_storage

router = APIRouter(
    prefix="/api/v1",
    tags=["media"],
    # limit_upload_size first: the CSRF check of a cookie-authenticated upload reads the whole form.
    dependencies=[Depends(limit_upload_size), Depends(check_api_csrf)],
)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "files"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["photo", "document"]},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            }
        },
    }
}


@router.get("/listings/{listing_id}/media", response_model=MediaList)
def list_media(session: SessionDep, user: ApiUser, listing_id: int) -> MediaList:
    """A listing's photos (first) and documents, in their order; 404 for a listing the caller may not see."""
    media = service.visible_media(session, listing_id, viewer=user, today=utcnow().date())
    return MediaList(items=[MediaOut.build(item) for item in media])


@router.post(
    "/listings/{listing_id}/media", response_model=MediaList, status_code=201, openapi_extra=_UPLOAD_BODY
)
async def upload_media(
    request: Request, session: SessionDep, user: RequiredApiUser, settings: SettingsDep, listing_id: int
) -> MediaList:
    """Add photos (JPEG, PNG or WebP, ≤ 8 MB, up to 8 a listing) or PDFs (≤ 10 MB, up to 4); all or none.

    Photos are stored re-encoded (at most 1600 px, with a 400 px thumbnail) without their metadata.
    """
    form = await request.form()  # read by hand: a declared File() body would be read before the size check
    added = await run_in_threadpool(
        service.add_media,
        session,
        user,
        listing_id,
        kind=str(form.get("kind") or ""),
        uploads=uploads_from(form),
        storage=media_storage(settings),
    )
    return MediaList(items=[MediaOut.build(item) for item in added])


@router.delete("/media/{media_id}", status_code=204)
def delete_media(
    session: SessionDep, user: RequiredApiUser, settings: SettingsDep, media_id: int
) -> Response:
    """Remove a photo or document of one of the caller's company's listings."""
    service.delete_media(session, user, media_id, storage=media_storage(settings))
    return Response(status_code=204)
