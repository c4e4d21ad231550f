"""Files follow their rows: written before the commit, gone after a rollback or a committed deletion;
files nobody refers to any more (a deleted listing's) are swept."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.listings.models import Listing
from marketplace.media import service
from marketplace.media.errors import UnsupportedFile
from marketplace.media.service import Upload
from marketplace.media.storage import MediaStorage, remove_orphaned_files
from tests.media import samples
from tests.media.tools import make_team


def on_disk(storage: MediaStorage) -> set[str]:
    return {f"{path.parent.name}/{path.name}" for path in storage.files()}


def photo(name: str = "a.png") -> Upload:
    return Upload(filename=name, stream=io.BytesIO(samples.png((120, 90))))


@pytest.fixture
def storage(tmp_path: Path) -> MediaStorage:
    return MediaStorage(tmp_path / "media")


def test_files_of_a_rolled_back_upload_are_removed(engine: Engine, storage: MediaStorage) -> None:
    with Session(engine, expire_on_commit=False) as arrange:
        team = make_team(arrange)
    with Session(engine) as session:
        [added] = service.add_media(
            session, team.member, team.listing.id, kind="photo", uploads=[photo()], storage=storage
        )
        assert on_disk(storage) == {added.storage_key, added.thumbnail_key}
        session.rollback()
    assert on_disk(storage) == set()


def test_a_deletion_removes_files_only_once_committed(engine: Engine, storage: MediaStorage) -> None:
    with Session(engine, expire_on_commit=False) as arrange:
        team = make_team(arrange)
    with Session(engine) as session:
        [added] = service.add_media(
            session, team.member, team.listing.id, kind="photo", uploads=[photo()], storage=storage
        )
        session.commit()
        media_id, keys = added.id, {added.storage_key, added.thumbnail_key}

        service.delete_media(session, team.member, media_id, storage=storage)
        session.rollback()  # the deletion did not happen: the files stay with their row
        assert on_disk(storage) == keys

        service.delete_media(session, team.member, media_id, storage=storage)
        assert on_disk(storage) == keys  # not before the commit
        session.commit()
    assert on_disk(storage) == set()


def test_a_bad_file_among_good_ones_stores_nothing(session: Session, storage: MediaStorage) -> None:
    team = make_team(session)
    uploads = [photo(), Upload(filename="b.jpg", stream=io.BytesIO(samples.TEXT))]
    with pytest.raises(UnsupportedFile):
        service.add_media(
            session, team.member, team.listing.id, kind="photo", uploads=uploads, storage=storage
        )
    assert on_disk(storage) == set()
    assert service.media_for_listing(session, team.listing.id) == []


def test_the_sweep_removes_a_deleted_listings_files_and_keeps_the_rest(
    session: Session, storage: MediaStorage
) -> None:
    team = make_team(session)
    other = make_team(session, email="other@example.org")
    [gone] = service.add_media(
        session, team.member, team.listing.id, kind="photo", uploads=[photo()], storage=storage
    )
    [kept] = service.add_media(
        session, other.member, other.listing.id, kind="photo", uploads=[photo()], storage=storage
    )
    session.commit()
    gone_key, kept_keys = gone.storage_key, {kept.storage_key, kept.thumbnail_key}
    session.delete(session.get(Listing, team.listing.id))  # the database CASCADE deletes its media rows
    session.commit()
    session.expire_all()

    assert remove_orphaned_files(session, storage) == 0  # just written: within the grace period
    for path in storage.files():  # an hour and a bit later
        past = time.time() - 3700
        os.utime(path, (past, past))
    assert remove_orphaned_files(session, storage) == 2
    assert on_disk(storage) == kept_keys and gone_key not in kept_keys


def test_writes_leave_no_temp_files_and_keys_cannot_leave_the_media_directory(storage: MediaStorage) -> None:
    key = storage.new_key("pdf")
    storage.write(key, samples.pdf())
    assert storage.path(key).read_bytes() == samples.pdf()
    assert [path.name for path in storage.files()] == [key.split("/")[1]]
    for bad in ("../secret.key", "ab/../../puente.db", "/etc/passwd", "ab/CAFE.pdf", "ab/x.html"):
        with pytest.raises(ValueError):
            storage.path(bad)
