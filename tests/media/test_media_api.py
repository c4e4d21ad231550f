"""The media JSON API: list, upload and delete, with the app's error shape and its permissions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.accounts.tokens import create_token
from marketplace.media import forms
from tests.media import samples
from tests.media.tools import PDF, PNG, WEBP, files_on_disk, make_team, stored, upload
from tests.webtools import csrf_from, make_user, sign_in


def api_upload(client: TestClient, listing_id: int, kind: str, files: list, headers: dict):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/listings/{listing_id}/media",
        data={"kind": kind},
        files=[("files", file) for file in files],
        headers=headers,
    )


def test_anyone_lists_a_published_listings_media_but_a_draft_is_404(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    draft = make_team(session, status="draft", email="other@example.org").listing
    sign_in(client, "member@cafe.example")
    upload(client, team.listing.id, "document", [("ficha.pdf", samples.pdf(), PDF)])
    upload(client, team.listing.id, "photo", [("a.png", samples.png(), PNG)])

    anonymous = TestClient(client.app)
    listed = anonymous.get(f"/api/v1/listings/{team.listing.id}/media")
    assert listed.status_code == 200
    photo, document = listed.json()["items"]  # photos first
    assert photo["kind"] == "photo" and photo["url"] == f"/media/{photo['id']}/full"
    assert photo["thumbnail_url"] == f"/media/{photo['id']}/thumb" and photo["width"] == 800
    assert document["filename"] == "ficha.pdf" and document["url"] == f"/media/{document['id']}/file"
    assert document["thumbnail_url"] is None and document["content_type"] == "application/pdf"

    hidden = anonymous.get(f"/api/v1/listings/{draft.id}/media")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"


def test_a_cookie_session_uploads_with_the_csrf_header_only(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    files = [("a.png", samples.png(), PNG)]
    refused = api_upload(client, team.listing.id, "photo", files, headers={})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    created = api_upload(
        client, team.listing.id, "photo", files, headers={"X-CSRF-Token": csrf_from(client, "/")}
    )
    assert created.status_code == 201, created.text
    [item] = created.json()["items"]
    assert item["filename"] == "a.png" and item["content_type"] == "image/webp" and item["position"] == 0


def test_a_personal_token_uploads_and_deletes(client: TestClient, session: Session) -> None:
    team = make_team(session)
    _, raw = create_token(session, team.member, name="ERP")
    session.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    created = api_upload(
        client, team.listing.id, "document", [("lista.pdf", samples.pdf(), PDF)], headers=headers
    )
    assert created.status_code == 201, created.text
    media_id = created.json()["items"][0]["id"]
    assert len(files_on_disk(client)) == 1

    deleted = client.delete(f"/api/v1/media/{media_id}", headers=headers)
    assert deleted.status_code == 204
    assert stored(session, team.listing.id) == [] and files_on_disk(client) == set()
    assert client.delete(f"/api/v1/media/{media_id}", headers=headers).status_code == 404


def test_refused_uploads_answer_with_the_error_and_the_field(client: TestClient, session: Session) -> None:
    team = make_team(session)
    _, raw = create_token(session, team.member, name="ERP")
    session.commit()
    headers = {"Authorization": f"Bearer {raw}"}

    impostor = api_upload(client, team.listing.id, "photo", [("x.jpg", samples.TEXT, "image/jpeg")], headers)
    assert impostor.status_code == 415
    assert impostor.json()["error"] == {
        "code": "unsupported_file",
        "message": "This file is not a JPEG, PNG or WebP image.",
        "fields": {"file": "This file is not a JPEG, PNG or WebP image."},
    }
    nine = [(f"{n}.webp", samples.webp((16, 16)), WEBP) for n in range(9)]
    too_many = api_upload(client, team.listing.id, "photo", nine, headers)
    assert too_many.status_code == 409 and too_many.json()["error"]["code"] == "too_many_files"
    no_file = api_upload(client, team.listing.id, "photo", [], headers)
    assert no_file.status_code == 422 and no_file.json()["error"]["fields"] == {
        "file": "Choose a file to upload."
    }
    bad_kind = api_upload(client, team.listing.id, "video", [("a.png", samples.png(), PNG)], headers)
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["fields"]
    assert stored(session, team.listing.id) == [] and files_on_disk(client) == set()


def test_an_oversized_request_is_refused_before_it_is_read(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(session)
    _, raw = create_token(session, team.member, name="ERP")
    session.commit()
    monkeypatch.setattr(forms, "MAX_REQUEST_BYTES", 10_000)
    response = api_upload(
        client, team.listing.id, "photo", [("a.jpg", samples.jpeg_with_gps(), "image/jpeg")],
        {"Authorization": f"Bearer {raw}"},
    )  # fmt: skip
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"


def test_other_companies_cannot_upload_or_delete(client: TestClient, session: Session) -> None:
    team = make_team(session)
    stranger = make_user(session, email="stranger@example.org")
    _, member_token = create_token(session, team.member, name="ERP")
    _, stranger_token = create_token(session, stranger, name="ERP")
    session.commit()
    created = api_upload(
        client,
        team.listing.id,
        "photo",
        [("a.png", samples.png(), PNG)],
        {"Authorization": f"Bearer {member_token}"},
    )
    media_id = created.json()["items"][0]["id"]
    as_stranger = {"Authorization": f"Bearer {stranger_token}"}
    files = [("b.png", samples.png(), PNG)]
    assert api_upload(client, team.listing.id, "photo", files, as_stranger).status_code == 404
    assert client.delete(f"/api/v1/media/{media_id}", headers=as_stranger).status_code == 404
    visitor = TestClient(client.app)
    anonymous = visitor.delete(
        f"/api/v1/media/{media_id}", headers={"X-CSRF-Token": csrf_from(visitor, "/signin")}
    )
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    assert len(stored(session, team.listing.id)) == 1
