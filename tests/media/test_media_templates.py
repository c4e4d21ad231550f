"""The gallery and the management partials, rendered with the context the listing page gives them."""

from __future__ import annotations

import re

import pytest
from starlette.requests import Request

from marketplace.core.resources import resource_dir
from marketplace.core.templating import make_templates
from marketplace.listings.models import Listing
from marketplace.media.errors import MESSAGES
from marketplace.media.models import ListingMedia

TEMPLATES = make_templates(str(resource_dir("templates")))


def render(
    name: str, *, media: list[ListingMedia], can_edit: bool, query: str = "", status: str = "published"
) -> str:
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/listings/7",
            "query_string": query.encode(),
            "headers": [],
        }
    )
    request.state.language = "en"
    listing = Listing(id=7, company_id=1, kind="offer", title="Café <tostado>", description="", language="es")
    listing.status = status
    context = {
        "request": request,
        "listing": listing,
        "media": media,
        "can_edit": can_edit,
        "csrf_token": "tok",
    }
    return TEMPLATES.env.get_template(name).render(context)


def photo(media_id: int, position: int, name: str = "foto.jpg") -> ListingMedia:
    return ListingMedia(
        id=media_id, listing_id=7, kind="photo", filename=name, content_type="image/webp", size_bytes=90_000,
        storage_key="ab/x.webp", thumbnail_key="ab/x.thumb.webp", width=1600, height=1200, position=position,
    )  # fmt: skip


def document(media_id: int, position: int, size: int, name: str = "catálogo.pdf") -> ListingMedia:
    return ListingMedia(
        id=media_id, listing_id=7, kind="document", filename=name, content_type="application/pdf",
        size_bytes=size, storage_key="ab/x.pdf", position=position,
    )  # fmt: skip


def test_the_gallery_links_thumbnails_to_photos_and_lists_documents_with_sizes() -> None:
    media = [photo(1, 0), photo(2, 1), document(3, 0, 1_300_000), document(4, 1, 2_000, "<b>lista</b>.pdf")]
    html = render("listings/_media.html", media=media, can_edit=False)
    assert (
        '<a href="/media/1/full"><img src="/media/1/thumb" alt="Café &lt;tostado&gt;, photo 1" width="400" '
        'height="300" loading="lazy"></a>'
    ) in html
    assert 'alt="Café &lt;tostado&gt;, photo 2"' in html
    assert '<a href="/media/3/file" download>catálogo.pdf</a> <span class="size">(PDF, 1.2 MB)</span>' in html
    assert '&lt;b&gt;lista&lt;/b&gt;.pdf</a> <span class="size">(PDF, 2 KB)</span>' in html


def test_the_gallery_renders_nothing_without_media() -> None:
    assert render("listings/_media.html", media=[], can_edit=True).strip() == ""


def test_the_management_partial_is_for_members_only() -> None:
    assert render("listings/_media_manage.html", media=[photo(1, 0)], can_edit=False).strip() == ""


def test_every_management_form_carries_the_csrf_token_and_labelled_inputs() -> None:
    html = render(
        "listings/_media_manage.html", media=[photo(1, 0), photo(2, 1), document(3, 0, 5000)], can_edit=True
    )
    forms = re.findall(r"<form .*?</form>", html, re.S)
    assert (
        len(forms) == 2 + 3 + 2
    )  # two uploads; move down, move up and delete for photos; delete for the PDF
    assert all('<input type="hidden" name="csrf_token" value="tok">' in form for form in forms)
    assert all('method="post"' in form for form in forms)
    assert '<label for="media-photo-files">' in html and 'id="media-photo-files"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html and 'accept="application/pdf,.pdf"' in html
    assert html.count('enctype="multipart/form-data"') == 2
    assert "6 more photos can be added." in html and "3 more documents can be added." in html
    assert (
        html.count('value="up"') == 1 and html.count('value="down"') == 1
    )  # only where there is room to move


def test_a_full_or_closed_listing_offers_no_upload() -> None:
    full = render("listings/_media_manage.html", media=[photo(n, n) for n in range(1, 9)], can_edit=True)
    assert 'value="photo"' not in full and "the most photos it can have" in full
    closed = render("listings/_media_manage.html", media=[photo(1, 0)], can_edit=True, status="closed")
    assert "multipart/form-data" not in closed and 'action="/media/1/delete"' in closed


@pytest.mark.parametrize("reason", sorted(MESSAGES))
def test_every_refusal_reason_shows_its_message_beside_the_upload_form(reason: str) -> None:
    html = render("listings/_media_manage.html", media=[], can_edit=True, query=f"media_error={reason}")
    assert f'<div class="form-error" role="alert"><p>{MESSAGES[reason]}</p></div>' in html


def test_an_unknown_refusal_reason_shows_nothing() -> None:
    html = render("listings/_media_manage.html", media=[], can_edit=True, query="media_error=<script>")
    assert "form-error" not in html and "<script>" not in html
