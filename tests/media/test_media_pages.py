"""Managing a listing's photos and documents on its page, and serving the files with safe headers."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from marketplace.media.pages import content_disposition
from tests.media import samples
from tests.media.tools import JPEG, PDF, PNG, WEBP, files_on_disk, make_team, stored, upload
from tests.webtools import csrf_from, make_user, post_form, sign_in


def test_a_member_adds_a_camera_photo_stored_without_exif_under_a_random_name(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    response = upload(
        client, team.listing.id, "photo", [("Finca La Esperanza.jpg", samples.jpeg_with_gps(), JPEG)]
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/listings/{team.listing.id}?notice=photos_added#media-manage"

    [photo] = stored(session, team.listing.id)
    assert photo.kind == "photo" and photo.filename == "Finca La Esperanza.jpg"
    assert (photo.width, photo.height) == (1600, 1200) and photo.content_type == "image/webp"
    assert files_on_disk(client) == {photo.storage_key, photo.thumbnail_key}
    assert all("Finca" not in key for key in files_on_disk(client))

    served = client.get(f"/media/{photo.id}/full")
    assert served.status_code == 200 and served.content.startswith(b"RIFF")
    image = Image.open(io.BytesIO(served.content))
    assert image.size == (1600, 1200) and not image.getexif() and b"Canon" not in served.content
    thumbnail = Image.open(io.BytesIO(client.get(f"/media/{photo.id}/thumb").content))
    assert thumbnail.size == (400, 300)


def test_png_and_webp_photos_are_added_together_in_the_order_chosen(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    files = [("logo.png", samples.png(), PNG), ("saco.webp", samples.webp(), WEBP)]
    assert upload(client, team.listing.id, "photo", files).status_code == 303
    photos = stored(session, team.listing.id)
    assert [(p.filename, p.position) for p in photos] == [("logo.png", 0), ("saco.webp", 1)]


def test_a_text_file_named_jpg_is_refused_with_a_message_and_nothing_is_stored(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    # A good photo and an impostor in one upload: all or nothing.
    files = [("bueno.png", samples.png(), PNG), ("foto.jpg", samples.TEXT, JPEG)]
    response = upload(client, team.listing.id, "photo", files)
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"/listings/{team.listing.id}?media_error=not_an_image#media-manage"
    )
    assert stored(session, team.listing.id) == [] and files_on_disk(client) == set()


def test_an_image_with_too_many_pixels_is_refused(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    response = upload(
        client, team.listing.id, "photo", [("bomba.png", samples.png_claiming(20_000, 20_000), PNG)]
    )
    assert "media_error=too_many_pixels" in response.headers["location"]
    assert stored(session, team.listing.id) == []


def test_a_ninth_photo_is_refused(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    eight = [(f"foto-{n}.webp", samples.webp((64, 48)), WEBP) for n in range(8)]
    assert "notice=photos_added" in upload(client, team.listing.id, "photo", eight).headers["location"]
    ninth = upload(client, team.listing.id, "photo", [("otra.webp", samples.webp((64, 48)), WEBP)])
    assert "media_error=too_many_photos" in ninth.headers["location"]
    assert len(stored(session, team.listing.id)) == 8 and len(files_on_disk(client)) == 16


def test_pdf_documents_are_kept_as_sent_and_impostors_refused(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    response = upload(client, team.listing.id, "document", [("Catálogo 2025.pdf", samples.pdf(), PDF)])
    assert "notice=documents_added" in response.headers["location"]
    bad = upload(client, team.listing.id, "document", [("ficha.pdf", samples.TEXT, PDF)])
    assert "media_error=not_a_pdf" in bad.headers["location"]
    [document] = stored(session, team.listing.id)
    assert document.kind == "document" and document.filename == "Catálogo 2025.pdf"
    assert document.size_bytes == len(samples.pdf()) and document.thumbnail_key is None
    assert client.get(f"/media/{document.id}/file").content == samples.pdf()

    more = [(f"cert-{n}.pdf", samples.pdf(), PDF) for n in range(4)]
    assert (
        "media_error=too_many_documents"
        in upload(client, team.listing.id, "document", more).headers["location"]
    )


def test_an_empty_file_input_asks_for_a_file(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    response = upload(client, team.listing.id, "photo", [("", b"", "application/octet-stream")])
    assert "media_error=no_file" in response.headers["location"]


def test_outsiders_cannot_upload_delete_or_move(client: TestClient, session: Session) -> None:
    team = make_team(session)
    make_user(session, email="stranger@example.org")
    session.commit()
    member = TestClient(client.app)
    sign_in(member, "member@cafe.example")
    upload(member, team.listing.id, "photo", [("a.png", samples.png(), PNG)])
    [photo] = stored(session, team.listing.id)

    sign_in(client, "stranger@example.org")
    assert upload(client, team.listing.id, "photo", [("b.png", samples.png(), PNG)]).status_code == 404
    assert post_form(client, f"/media/{photo.id}/delete", {}, form_page="/").status_code == 404
    assert (
        post_form(client, f"/media/{photo.id}/move", {"direction": "down"}, form_page="/").status_code == 404
    )
    assert len(stored(session, team.listing.id)) == 1 and len(files_on_disk(client)) == 2


def test_uploads_need_a_signed_in_user_and_the_form_token(client: TestClient, session: Session) -> None:
    team = make_team(session)
    anonymous = upload(
        client, team.listing.id, "photo", [("a.png", samples.png(), PNG)], csrf=csrf_from(client, "/signin")
    )
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin?next=")
    sign_in(client, "member@cafe.example")
    forged = upload(client, team.listing.id, "photo", [("a.png", samples.png(), PNG)], csrf="forged")
    assert forged.status_code == 403
    assert stored(session, team.listing.id) == [] and files_on_disk(client) == set()


def test_a_drafts_files_are_served_only_to_its_company(client: TestClient, session: Session) -> None:
    team = make_team(session, status="draft")
    make_user(session, email="stranger@example.org")
    session.commit()
    member = TestClient(client.app)
    sign_in(member, "member@cafe.example")
    upload(member, team.listing.id, "photo", [("a.png", samples.png(), PNG)])
    [photo] = stored(session, team.listing.id)

    assert member.get(f"/media/{photo.id}/thumb").status_code == 200
    assert client.get(f"/media/{photo.id}/thumb").status_code == 404
    sign_in(client, "stranger@example.org")
    assert client.get(f"/media/{photo.id}/full").status_code == 404

    publish = post_form(member, f"/listings/{team.listing.id}/publish", {}, form_page="/")
    assert publish.status_code == 303
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/media/{photo.id}/full").status_code == 200


def test_photos_are_served_inline_with_our_content_type_and_no_sniffing(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    upload(client, team.listing.id, "photo", [("a.jpg", samples.jpeg_with_gps((300, 200)), JPEG)])
    [photo] = stored(session, team.listing.id)
    response = TestClient(client.app).get(f"/media/{photo.id}/thumb")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == "inline"
    assert response.headers["cache-control"].startswith("private, max-age=")


def test_pdfs_are_served_as_sandboxed_attachments_with_their_name(
    client: TestClient, session: Session
) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    upload(client, team.listing.id, "document", [("Certificado orgánico.pdf", samples.pdf(), "text/html")])
    [document] = stored(session, team.listing.id)
    response = TestClient(client.app).get(f"/media/{document.id}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"  # ours, not what the upload claimed
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Certificado organico.pdf\"; filename*=UTF-8''Certificado%20org%C3%A1nico.pdf"
    )
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"].startswith("private")


def test_wrong_variants_and_unknown_media_are_not_found(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    upload(client, team.listing.id, "photo", [("a.png", samples.png(), PNG)])
    upload(client, team.listing.id, "document", [("b.pdf", samples.pdf(), PDF)])
    photo, document = stored(session, team.listing.id)
    assert client.get(f"/media/{photo.id}/file").status_code == 404
    assert client.get(f"/media/{document.id}/thumb").status_code == 404
    assert client.get(f"/media/{photo.id}/original").status_code == 404
    assert client.get("/media/999999/full").status_code == 404


def test_deleting_a_photo_removes_its_files(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    upload(
        client, team.listing.id, "photo", [("a.png", samples.png(), PNG), ("b.webp", samples.webp(), WEBP)]
    )
    first, second = stored(session, team.listing.id)
    first_id, second_id, second_files = first.id, second.id, {second.storage_key, second.thumbnail_key}
    response = post_form(client, f"/media/{first_id}/delete", {}, form_page="/")
    assert response.headers["location"] == f"/listings/{team.listing.id}?notice=media_deleted#media-manage"
    assert [m.id for m in stored(session, team.listing.id)] == [second_id]
    assert files_on_disk(client) == second_files
    assert client.get(f"/media/{first_id}/full").status_code == 404


def test_photos_move_up_and_down(client: TestClient, session: Session) -> None:
    team = make_team(session)
    sign_in(client, "member@cafe.example")
    files = [(f"{name}.webp", samples.webp((32, 32)), WEBP) for name in ("uno", "dos", "tres")]
    upload(client, team.listing.id, "photo", files)
    one, two, three = stored(session, team.listing.id)

    moved = post_form(client, f"/media/{three.id}/move", {"direction": "up"}, form_page="/")
    assert moved.headers["location"] == f"/listings/{team.listing.id}?notice=media_moved#media-manage"
    assert [m.filename for m in stored(session, team.listing.id)] == ["uno.webp", "tres.webp", "dos.webp"]
    post_form(client, f"/media/{one.id}/move", {"direction": "down"}, form_page="/")
    assert [m.filename for m in stored(session, team.listing.id)] == ["tres.webp", "uno.webp", "dos.webp"]
    post_form(client, f"/media/{two.id}/move", {"direction": "down"}, form_page="/")  # already last
    assert [m.position for m in stored(session, team.listing.id)] == [0, 1, 2]
    assert (
        post_form(client, f"/media/{two.id}/move", {"direction": "sideways"}, form_page="/").status_code
        == 422
    )


def test_a_closed_listing_takes_no_new_files(client: TestClient, session: Session) -> None:
    team = make_team(session, status="closed")
    sign_in(client, "member@cafe.example")
    response = upload(client, team.listing.id, "photo", [("a.png", samples.png(), PNG)])
    assert "media_error=listing_closed" in response.headers["location"]


def test_the_ascii_fallback_name_cannot_break_out_of_its_quotes() -> None:
    header = content_disposition('a"b\\c ñ.pdf')
    assert header == "attachment; filename=\"a_b_c n.pdf\"; filename*=UTF-8''a%22b%5Cc%20%C3%B1.pdf"
