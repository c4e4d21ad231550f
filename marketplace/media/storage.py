"""Media files on disk: random names under $PUENTE_DATA_DIR/media, written atomically, removed with their row.

Files and rows live in two stores that cannot share a transaction, so the rule is: a file is written before
its row is committed and removed only after its row's deletion is committed (see `remove_after_commit`). A
crash in between leaves an unreferenced file, never a row without its file; `remove_orphaned_files` sweeps
those (and the files of listings deleted by a database CASCADE).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.media.models import ListingMedia

log = logging.getLogger(__name__)

# "ab/<32 hex>.webp", "ab/<32 hex>.thumb.webp", "ab/<32 hex>.pdf": nothing of the uploader's in a path.
_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}(\.thumb)?\.(webp|jpg|pdf)$")
_TEMP_PREFIX = ".tmp-"
# An upload writes its files a moment before its row commits: younger files are never swept as orphans.
ORPHAN_GRACE = timedelta(hours=1)


class MediaStorage:
    """The media directory: stores bytes under random keys and resolves keys to paths."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def new_key(self, extension: str) -> str:
        """A fresh random key with the given extension ("webp", "jpg" or "pdf")."""
        token = secrets.token_hex(16)
        return f"{token[:2]}/{token}.{extension}"

    def path(self, key: str) -> Path:
        """The file of a key; refuses anything that is not one of our keys (no way out of the root)."""
        if not _KEY.match(key):
            raise ValueError(f"not a media storage key: {key!r}")
        return self.root / key

    def write(self, key: str, data: bytes) -> None:
        """Write a file atomically: readers see the whole file or none (temp file in place, then rename)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=_TEMP_PREFIX, delete=False)  # noqa: SIM115
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, target)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    def remove(self, keys: Iterable[str | None]) -> None:
        """Delete files; a missing one is fine (already gone), any other failure is logged, not raised."""
        for key in keys:
            if not key:
                continue
            try:
                self.path(key).unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove media file %s", key)

    def files(self) -> Iterator[Path]:
        """Every file below the root, including temp files left by an interrupted write."""
        if not self.root.is_dir():
            return
        for shard in self.root.iterdir():
            if shard.is_dir():
                yield from (path for path in shard.iterdir() if path.is_file())


def media_storage(settings: Settings) -> MediaStorage:
    """The storage of this installation: `media/` in the data directory."""
    return MediaStorage(settings.data_dir / "media")


def media_keys(media: ListingMedia) -> list[str]:
    """The files of a media row."""
    return [key for key in (media.storage_key, media.thumbnail_key) if key]


# The session's pending file work, kept in session.info so that it follows the session's transaction.
_PENDING = "media_files"


def _pending(session: Session, storage: MediaStorage) -> dict[str, list[str]]:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {"on_commit": [], "on_rollback": []}

        def committed(_: Session) -> None:
            storage.remove(pending["on_commit"])
            pending["on_commit"].clear()
            pending["on_rollback"].clear()

        def rolled_back(_: Session) -> None:
            storage.remove(pending["on_rollback"])
            pending["on_commit"].clear()
            pending["on_rollback"].clear()

        event.listen(session, "after_commit", committed)
        event.listen(session, "after_rollback", rolled_back)
    return pending


def remove_after_commit(session: Session, storage: MediaStorage, keys: Iterable[str]) -> None:
    """Delete these files once the session commits (a rollback keeps them: their row is back)."""
    _pending(session, storage)["on_commit"].extend(keys)


def remove_after_rollback(session: Session, storage: MediaStorage, keys: Iterable[str]) -> None:
    """Delete these just-written files if the session rolls back (their row never existed)."""
    _pending(session, storage)["on_rollback"].extend(keys)


def remove_orphaned_files(session: Session, storage: MediaStorage, *, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete files no media row refers to and older than `grace` (deleted listings, crashed uploads).

    Returns how many files were removed. Run periodically (the `media.sweep` job) and after bulk deletions.
    """
    referenced: set[str] = set()
    for storage_key, thumbnail_key in session.execute(
        select(ListingMedia.storage_key, ListingMedia.thumbnail_key)
    ).all():
        referenced.add(storage_key)
        if thumbnail_key:
            referenced.add(thumbnail_key)
    cutoff = (utcnow() - grace).timestamp()
    removed = 0
    for path in storage.files():
        key = f"{path.parent.name}/{path.name}"
        if key in referenced:
            continue
        try:
            if path.stat().st_mtime > cutoff:
                continue
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError:
            log.exception("could not remove orphaned media file %s", path)
    return removed
