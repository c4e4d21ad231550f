"""What the API returns for a listing's photos and documents."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from marketplace.media.models import ListingMedia


def media_url(media: ListingMedia, variant: str) -> str:
    """Where a file of a media row is served (variant: full, thumb or file)."""
    return f"/media/{media.id}/{variant}"


class MediaOut(BaseModel):
    id: int
    kind: str  # photo | document
    filename: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    position: int
    url: str  # the stored photo, or the PDF
    thumbnail_url: str | None  # photos only
    created_at: datetime

    @classmethod
    def build(cls, media: ListingMedia) -> MediaOut:
        photo = media.kind == "photo"
        return cls(
            id=media.id,  # type: ignore[arg-type]
            kind=media.kind,
            filename=media.filename,
            content_type=media.content_type,
            size_bytes=media.size_bytes,
            width=media.width,
            height=media.height,
            position=media.position,
            url=media_url(media, "full" if photo else "file"),
            thumbnail_url=media_url(media, "thumb") if photo else None,
            created_at=media.created_at,
        )


class MediaList(BaseModel):
    items: list[MediaOut]
