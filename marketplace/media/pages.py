"""HTML routes for a listing's photos and documents: the files themselves, and upload, delete and reorder.

Each action redirects back to the listing page with `?notice=` (MEDIA_NOTICES) or, when an upload is
refused, `?media_error=<reason>` (a key of media.errors.MESSAGES), which templates/listings/_media_manage.html
shows beside the upload form.
"""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from marketplace.core.deps import CurrentUser, RequiredUser, SessionDep, SettingsDep, check_csrf
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.media import service
from marketplace.media.errors import MediaRejected
from marketplace.media.forms import limit_upload_size, uploads_from
from marketplace.media.models import ListingMedia
from marketplace.media.storage import media_storage

log = logging.getLogger(__name__)

# limit_upload_size first: check_csrf reads the whole form.
router = APIRouter(dependencies=[Depends(limit_upload_size), Depends(check_csrf)])

MEDIA_NOTICES = {
    "photos_added": N_("Photos added."),
    "documents_added": N_("Documents added."),
    "media_deleted": N_("File deleted."),
    "media_moved": N_("Order saved."),
}
# Short: a listing that stops being visible (closed, back to draft) stops showing its files soon after.
CACHE_SECONDS = 600


@router.get("/media/{media_id}/{variant}")
def media_file(
    session: SessionDep, user: CurrentUser, settings: SettingsDep, media_id: int, variant: str
) -> Response:
    """A photo (variant full or thumb) or a PDF (variant file), if the viewer may see its listing."""
    media, key = service.media_file(session, media_id, variant, viewer=user, today=utcnow().date())
    path = media_storage(settings).path(key)
    if not path.is_file():
        log.error("media %s: file %s is missing", media.id, key)
        raise NotFound(N_("Page not found"))
    return FileResponse(path, media_type=media.content_type, headers=file_headers(media))


def file_headers(media: ListingMedia) -> dict[str, str]:
    """Headers that keep a served file inert: our own content type, no sniffing, PDFs downloaded sandboxed."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": f"private, max-age={CACHE_SECONDS}",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if media.kind == "document":
        headers["Content-Disposition"] = content_disposition(media.filename)
        # Even if a browser renders it, a PDF runs in a sandbox with no access to our origin.
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    else:
        headers["Content-Disposition"] = "inline"
    return headers


def content_disposition(filename: str) -> str:
    """`attachment` with the name in UTF-8 (RFC 6266) and an ASCII fallback for old clients."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join("_" if char in '"\\' or not char.isprintable() else char for char in fallback).strip()
    fallback = fallback or "document.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _back(listing_id: int, **query: str) -> RedirectResponse:
    return RedirectResponse(f"/listings/{listing_id}?{urlencode(query)}#media-manage", status_code=303)


@router.post("/listings/{listing_id}/media")
async def upload_media(
    request: Request, session: SessionDep, user: RequiredUser, settings: SettingsDep, listing_id: int
) -> Response:
    """Add photos (`kind=photo`) or PDF documents (`kind=document`) from the `files` input."""
    form = await request.form()
    kind = str(form.get("kind") or "")
    try:
        # Decoding and re-encoding photos is CPU work: off the event loop.
        await run_in_threadpool(
            service.add_media,
            session,
            user,
            listing_id,
            kind=kind,
            uploads=uploads_from(form),
            storage=media_storage(settings),
        )
    except MediaRejected as exc:
        return _back(listing_id, media_error=exc.reason)
    return _back(listing_id, notice="photos_added" if kind == "photo" else "documents_added")


@router.post("/media/{media_id}/delete")
def delete_media(session: SessionDep, user: RequiredUser, settings: SettingsDep, media_id: int) -> Response:
    media = service.delete_media(session, user, media_id, storage=media_storage(settings))
    return _back(media.listing_id, notice="media_deleted")


@router.post("/media/{media_id}/move")
async def move_media(request: Request, session: SessionDep, user: RequiredUser, media_id: int) -> Response:
    """Move a photo or document one place up or down (`direction`)."""
    direction = (await request.form()).get("direction")
    if direction not in ("up", "down"):
        raise InvalidInput(N_("Choose up or down."), fields={"direction": N_("Choose up or down.")})
    media = service.move_media(session, user, media_id, direction=direction)  # type: ignore[arg-type]
    return _back(media.listing_id, notice="media_moved")
