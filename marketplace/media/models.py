"""Photos and documents attached to a listing, stored as files under the data directory."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

MEDIA_KINDS = ("photo", "document")


class ListingMedia(SQLModel, table=True):
    __tablename__ = "listing_media"

    id: int | None = Field(default=None, primary_key=True)
    listing_id: int = Field(foreign_key="listings.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)  # MEDIA_KINDS
    filename: str = Field(max_length=200)  # the uploader's name for it, sanitised; shown to readers
    content_type: str = Field(max_length=100)  # checked from the content, never taken from the upload
    size_bytes: int
    storage_key: str = Field(max_length=200)  # path below $PUENTE_DATA_DIR/media
    thumbnail_key: str | None = Field(default=None, max_length=200)
    width: int | None = None
    height: int | None = None
    position: int = Field(default=0)
    created_at: datetime = created_at_field()
