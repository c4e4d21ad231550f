"""Helpers for the media tests: a company with a member and a listing, uploads, what is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.listings.models import Listing
from marketplace.media.models import ListingMedia
from marketplace.media.service import media_for_listing
from tests.factories import make_company, make_listing
from tests.webtools import csrf_from, make_user

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"


@dataclass
class Team:
    member: User
    listing: Listing


def make_team(session: Session, *, status: str = "published", email: str = "member@cafe.example") -> Team:
    """A company with one member and one listing, committed for the app to see."""
    company = make_company(session, name="Café Altura", country="CO")
    member = make_user(session, email=email)
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    listing = make_listing(session, company=company, title="Café tostado en grano", status=status)
    session.commit()
    return Team(member=member, listing=listing)


def upload(
    client: TestClient,
    listing_id: int,
    kind: str,
    files: list[tuple[str, bytes, str]],
    *,
    csrf: str | None = None,
):  # type: ignore[no-untyped-def]
    """Post the upload form of the listing page (signed-in client: any page carries the form token)."""
    token = csrf if csrf is not None else csrf_from(client, "/")
    return client.post(
        f"/listings/{listing_id}/media",
        data={"csrf_token": token, "kind": kind},
        files=[("files", file) for file in files],
        follow_redirects=False,
    )


def stored(session: Session, listing_id: int) -> list[ListingMedia]:
    """The listing's media rows as the database has them now."""
    session.commit()  # end the test's read transaction: on SQLite it would keep seeing an old snapshot
    session.expire_all()
    return media_for_listing(session, listing_id)


def media_root(client: TestClient) -> Path:
    return client.app.state.settings.data_dir / "media"  # type: ignore[attr-defined]


def files_on_disk(client: TestClient) -> set[str]:
    """Keys ("ab/….webp") of every file in the media directory."""
    root = media_root(client)
    return (
        {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
        if root.exists()
        else set()
    )
