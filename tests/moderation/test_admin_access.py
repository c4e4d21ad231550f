"""Admin pages and API exist only for admins: everyone else (anonymous, member, advisor) gets 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.moderation.tools import browser, scene, token_for
from tests.webtools import csrf_from

ADMIN_PAGES = [
    "/admin/moderation",
    "/admin/moderation/listing/{listing}",
    "/admin/moderation/company/{company}",
    "/admin/index-health",
]
ADMIN_POSTS = [
    ("/admin/moderation/listing/{listing}", {"action": "hide", "reason": "x"}),
    ("/admin/index-health/reconcile", {}),
    ("/admin/index-health/jobs/1/retry", {}),
]
ADMIN_API_GETS = [
    "/api/v1/admin/moderation/queue",
    "/api/v1/admin/moderation/listing/{listing}",
    "/api/v1/admin/index-health",
]
ADMIN_API_POSTS = [
    ("/api/v1/admin/moderation/listing/{listing}/actions", {"action": "hide", "reason": "x"}),
    ("/api/v1/admin/index-health/reconcile", None),
    ("/api/v1/admin/jobs/1/retry", None),
]


def _ids(s) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {"listing": s.listing.id, "company": s.seller_company.id}


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, session: Session) -> None:
    s = scene(session)
    token = csrf_from(client, "/signin")
    for path in ADMIN_PAGES:
        response = client.get(path.format(**_ids(s)), follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/signin"), path
    for path, data in ADMIN_POSTS:
        response = client.post(
            path.format(**_ids(s)), data={**data, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 303 and response.headers["location"].startswith("/signin"), path
    headers = {"X-CSRF-Token": token}  # past the CSRF check: the route itself must answer
    for path in ADMIN_API_GETS:
        assert client.get(path.format(**_ids(s))).status_code == 401, path
    for path, body in ADMIN_API_POSTS:
        assert client.post(path.format(**_ids(s)), json=body, headers=headers).status_code == 401, path
    session.refresh(s.listing)
    assert not s.listing.hidden


@pytest.mark.parametrize("who", ["member", "advisor", "reporter"])
def test_admin_routes_answer_404_to_signed_in_non_admins(
    client: TestClient, session: Session, who: str
) -> None:
    s = scene(session)
    user = {"member": s.seller, "advisor": s.advisor, "reporter": s.reporter}[who]
    viewer = browser(client, user.email)
    token = csrf_from(viewer, "/account")
    for path in ADMIN_PAGES:
        assert viewer.get(path.format(**_ids(s))).status_code == 404, path
    for path, data in ADMIN_POSTS:
        response = viewer.post(
            path.format(**_ids(s)), data={**data, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 404, path
    headers = token_for(session, user)
    for path in ADMIN_API_GETS:
        assert viewer.get(path.format(**_ids(s)), headers=headers).status_code == 404, path
    for path, body in ADMIN_API_POSTS:
        assert viewer.post(path.format(**_ids(s)), json=body, headers=headers).status_code == 404, path
    assert "/admin/moderation" not in viewer.get("/").text  # no admin link in the header either
    session.refresh(s.listing)
    assert not s.listing.hidden


def test_admin_sees_the_pages_and_the_header_link(client: TestClient, session: Session) -> None:
    s = scene(session)
    admin = browser(client, s.admin.email)
    assert 'href="/admin/moderation"' in admin.get("/").text
    for path in ADMIN_PAGES:
        assert admin.get(path.format(listing=s.listing.id, company=s.seller_company.id)).status_code == 200


def test_admin_api_needs_an_admin_token_not_a_browser_session(client: TestClient, session: Session) -> None:
    s = scene(session)
    admin = browser(client, s.admin.email)
    headers = {"X-CSRF-Token": csrf_from(admin, "/account")}
    assert admin.get("/api/v1/admin/moderation/queue", headers=headers).status_code == 404
    member_token = token_for(session, s.reporter)
    assert client.get("/api/v1/admin/index-health", headers=member_token).status_code == 404
    admin_token = token_for(session, s.admin)
    queue = client.get("/api/v1/admin/moderation/queue", headers=admin_token)
    assert queue.status_code == 200
    assert queue.json() == {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert client.get("/api/v1/admin/index-health", headers=admin_token).status_code == 200


def test_posts_without_the_form_token_are_refused(client: TestClient, session: Session) -> None:
    s = scene(session)
    admin = browser(client, s.admin.email)
    response = admin.post(
        f"/admin/moderation/listing/{s.listing.id}", data={"action": "hide", "reason": "Fraude"}
    )
    assert response.status_code == 403
    session.refresh(s.listing)
    assert not s.listing.hidden
