"""The listing page shows the photos and documents to readers and the upload form to the team."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.media.samples import jpeg_with_gps
from tests.media.tools import JPEG, make_team, upload
from tests.webtools import sign_in


def test_uploaded_photo_appears_on_the_public_listing_page(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, team.member.email)
    own = client.get(f"/listings/{team.listing.id}")
    assert 'enctype="multipart/form-data"' in own.text  # the team sees the upload form
    response = upload(client, team.listing.id, "photo", [("finca.jpg", jpeg_with_gps((800, 600)), JPEG)])
    assert response.status_code == 303 and "notice=photos_added" in response.headers["location"]
    assert "Photos added." in client.get(response.headers["location"]).text
    public = TestClient(client.app).get(f"/listings/{team.listing.id}")
    assert public.status_code == 200
    assert 'alt="Café tostado en grano, photo 1"' in public.text
    assert 'enctype="multipart/form-data"' not in public.text  # visitors get no upload form
