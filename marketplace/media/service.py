"""Rules for a listing's photos and documents: how many, who may change them, who may see them.

Members of the listing's company manage its media; a file is served to whoever may see the listing.
Services never commit: files are written before the request's transaction commits and are removed if it
rolls back; a deleted row's files are removed only once the deletion is committed (see storage.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Literal

from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.i18n import N_
from marketplace.listings.models import Listing
from marketplace.listings.service import editable_listing, listing_for_viewer
from marketplace.media import processing
from marketplace.media.errors import ListingClosed, MediaRejected, TooManyFiles
from marketplace.media.models import MEDIA_KINDS, ListingMedia
from marketplace.media.storage import MediaStorage, media_keys, remove_after_commit, remove_after_rollback

MAX_FILES = {"photo": 8, "document": 4}
VARIANTS = {"photo": ("full", "thumb"), "document": ("file",)}


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the service sees it: the name the uploader gave it and its content."""

    filename: str | None
    stream: BinaryIO


def media_for_listing(session: Session, listing_id: int) -> list[ListingMedia]:
    """A listing's media, photos first, each kind in the order its company chose."""
    return list(
        session.execute(
            select(ListingMedia)
            .where(ListingMedia.listing_id == listing_id)
            .order_by(ListingMedia.kind.desc(), ListingMedia.position, ListingMedia.id)  # type: ignore[attr-defined]
        ).scalars()
    )


def visible_media(
    session: Session, listing_id: int, *, viewer: User | None, today: date
) -> list[ListingMedia]:
    """The media of a listing the viewer may see (NotFound otherwise, e.g. someone else's draft)."""
    listing_for_viewer(session, listing_id, viewer=viewer, today=today)
    return media_for_listing(session, listing_id)


def media_file(
    session: Session, media_id: int, variant: str, *, viewer: User | None, today: date
) -> tuple[ListingMedia, str]:
    """The media row and the storage key of one of its files, if the viewer may see its listing."""
    media = session.get(ListingMedia, media_id)
    if media is None or variant not in VARIANTS.get(media.kind, ()):
        raise NotFound(N_("Page not found"))
    listing_for_viewer(session, media.listing_id, viewer=viewer, today=today)
    key = media.thumbnail_key if variant == "thumb" else media.storage_key
    if key is None:
        raise NotFound(N_("Page not found"))
    return media, key


def add_media(
    session: Session,
    user: User | None,
    listing_id: int,
    *,
    kind: str,
    uploads: Sequence[Upload],
    storage: MediaStorage,
) -> list[ListingMedia]:
    """Attach photos or PDF documents to a listing (members only); all are added or, on any error, none."""
    listing = editable_listing(session, user, listing_id)
    if kind not in MEDIA_KINDS:
        message = N_("Choose photo or document.")
        raise InvalidInput(message, fields={"kind": message})
    if listing.status == "closed":
        raise ListingClosed("listing_closed")
    if not uploads:
        raise MediaRejected("no_file")
    _next_position(session, listing.id, kind, adding=len(uploads))  # refuse early, before the costly part
    # Check every file before storing any, so that a bad one leaves nothing behind.
    check = processing.process_photo if kind == "photo" else processing.check_document
    prepared = [check(upload.stream, upload.filename) for upload in uploads]
    # Lock the listing, then count again: two uploads at once must not both pass the check (a row lock on
    # PostgreSQL, taken after the slow decoding; SQLite's transactions already hold the write lock).
    session.execute(select(Listing.id).where(Listing.id == listing.id).with_for_update())
    first = _next_position(session, listing.id, kind, adding=len(uploads))
    added = [
        _store(session, storage, listing.id, item, position=first + offset)  # type: ignore[arg-type]
        for offset, item in enumerate(prepared)
    ]
    session.flush()
    return added


def _next_position(session: Session, listing_id: int, kind: str, *, adding: int) -> int:
    """The position after the listing's last file of this kind; TooManyFiles if `adding` more would not fit."""
    existing, last_position = session.execute(
        select(func.count(), func.max(ListingMedia.position)).where(
            ListingMedia.listing_id == listing_id, ListingMedia.kind == kind
        )
    ).one()
    if existing + adding > MAX_FILES[kind]:
        raise TooManyFiles("too_many_photos" if kind == "photo" else "too_many_documents")
    return 0 if last_position is None else last_position + 1


def _store(
    session: Session,
    storage: MediaStorage,
    listing_id: int,
    item: processing.ProcessedPhoto | processing.CheckedDocument,
    *,
    position: int,
) -> ListingMedia:
    if isinstance(item, processing.ProcessedPhoto):
        key = storage.new_key(processing.STORED_EXTENSION)
        stem, _, extension = key.rpartition(".")
        thumbnail_key = f"{stem}.thumb.{extension}"
        remove_after_rollback(session, storage, [key, thumbnail_key])
        storage.write(key, item.full)
        storage.write(thumbnail_key, item.thumbnail)
        media = ListingMedia(
            listing_id=listing_id,
            kind="photo",
            filename=item.filename,
            content_type=processing.STORED_CONTENT_TYPE,
            size_bytes=len(item.full),
            storage_key=key,
            thumbnail_key=thumbnail_key,
            width=item.width,
            height=item.height,
            position=position,
        )
    else:
        key = storage.new_key("pdf")
        remove_after_rollback(session, storage, [key])
        storage.write(key, item.data)
        media = ListingMedia(
            listing_id=listing_id,
            kind="document",
            filename=item.filename,
            content_type=processing.PDF_CONTENT_TYPE,
            size_bytes=len(item.data),
            storage_key=key,
            position=position,
        )
    session.add(media)
    return media


def _managed_media(session: Session, user: User | None, media_id: int) -> ListingMedia:
    """A media row the user may change (a member of its listing's company), else NotFound."""
    media = session.get(ListingMedia, media_id)
    if media is None:
        raise NotFound(N_("Page not found"))
    editable_listing(session, user, media.listing_id)
    return media


def delete_media(
    session: Session, user: User | None, media_id: int, *, storage: MediaStorage
) -> ListingMedia:
    """Remove a photo or document; its files go once the deletion is committed."""
    media = _managed_media(session, user, media_id)
    session.delete(media)
    session.flush()
    remove_after_commit(session, storage, media_keys(media))
    return media


def move_media(
    session: Session, user: User | None, media_id: int, *, direction: Literal["up", "down"]
) -> ListingMedia:
    """Swap a photo (or document) with its neighbour in the listing's order; at either end nothing moves."""
    media = _managed_media(session, user, media_id)
    siblings = list(
        session.execute(
            select(ListingMedia)
            .where(ListingMedia.listing_id == media.listing_id, ListingMedia.kind == media.kind)
            .order_by(ListingMedia.position, ListingMedia.id)  # type: ignore[arg-type]
            .with_for_update()
        ).scalars()
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.id == media.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):  # renumbering also closes gaps left by deletions
        if sibling.position != position:
            sibling.position = position
            session.add(sibling)
    session.flush()
    return media
