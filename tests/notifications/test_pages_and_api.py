"""The notifications page and API: newest first, paginated, mark read, only the owner's; the header badge."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from marketplace.matching.alerts import notify_new_matches
from marketplace.notifications.service import notify_saved_search_hit
from tests.factories import make_company, make_listing
from tests.inquiries.tools import api_headers, browser_of, reply, scene, send
from tests.notifications.tools import add_match, market, notices_of
from tests.webtools import csrf_from


def three_notices(session: Session):  # type: ignore[no-untyped-def]
    """The buyer gets two match notices and a saved-search hit, oldest to newest."""
    m = market(session)
    add_match(session, m.request, m.offer)
    notify_new_matches(session)
    session.commit()
    second = make_listing(session, company=make_company(session, country="BR"), title="Café torrado em grãos")
    session.commit()
    add_match(session, m.request, second)
    notify_new_matches(session)
    third = make_listing(session, company=make_company(session, country="PE"), title="Café de Cajamarca")
    notify_saved_search_hit(session, user_id=m.buyer.id, saved_search_id=1, listing_id=third.id)  # type: ignore[arg-type]
    session.commit()
    return m, second, third


def test_api_lists_newest_first_with_paging_and_marks_read(client: TestClient, session: Session) -> None:
    m, _, third = three_notices(session)
    buyer = browser_of(client, m.buyer.email)
    body = buyer.get("/api/v1/notifications", params={"per_page": 2}).json()
    assert set(body) == {"items", "total", "page", "per_page", "unread"}
    assert (body["total"], body["page"], body["per_page"], body["unread"]) == (3, 1, 2, 3)
    first = body["items"][0]
    assert set(first) == {
        "id", "kind", "title", "detail", "url", "read", "read_at", "created_at", "inquiry_id", "match_id",
        "listing_id",
    }  # fmt: skip
    assert [i["kind"] for i in body["items"]] == ["saved_search", "match"]
    assert first["url"] == f"/listings/{third.id}" and first["read"] is False
    assert body["items"][1]["title"] == "New match: Café torrado em grãos"
    assert body["items"][1]["detail"] == "for your listing: Café tostado en grano"
    last = buyer.get("/api/v1/notifications", params={"per_page": 2, "page": 2}).json()
    assert [i["url"] for i in last["items"]] == [f"/listings/{m.offer.id}"]

    marked = buyer.post(f"/api/v1/notifications/{first['id']}/read", headers=api_headers(buyer))
    assert marked.status_code == 200 and marked.json()["read"] is True and marked.json()["read_at"]
    unread = buyer.get("/api/v1/notifications", params={"unread": "true"}).json()
    assert unread["total"] == 2 and unread["unread"] == 2
    assert first["id"] not in {i["id"] for i in unread["items"]}
    all_read = buyer.post("/api/v1/notifications/read-all", headers=api_headers(buyer))
    assert all_read.json() == {"marked": 2}
    assert buyer.get("/api/v1/notifications").json()["unread"] == 0

    too_many = buyer.get("/api/v1/notifications", params={"per_page": 101})
    assert too_many.status_code == 422 and "per_page" in too_many.json()["error"]["fields"]
    assert TestClient(client.app).get("/api/v1/notifications").status_code == 401


def test_nobody_else_can_read_or_mark_a_users_notifications(client: TestClient, session: Session) -> None:
    m, _, _ = three_notices(session)
    theirs = notices_of(session, m.buyer)[0]
    seller = browser_of(client, m.seller.email)  # has notices of their own
    listed = seller.get("/api/v1/notifications").json()
    assert listed["total"] == 1 and theirs.id not in {i["id"] for i in listed["items"]}
    api = seller.post(f"/api/v1/notifications/{theirs.id}/read", headers=api_headers(seller))
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    page = seller.post(
        f"/notifications/{theirs.id}/read", data={"csrf_token": csrf_from(seller, "/notifications")}
    )
    assert page.status_code == 404
    seller.post("/api/v1/notifications/read-all", headers=api_headers(seller))
    assert all(n.read_at is None for n in notices_of(session, m.buyer))
    assert all(n.read_at is not None for n in notices_of(session, m.seller))
    missing = seller.post("/api/v1/notifications/999999/read", headers=api_headers(seller))
    assert missing.status_code == 404


def test_the_page_lists_links_marks_read_and_pages(client: TestClient, session: Session) -> None:
    m, second, third = three_notices(session)
    buyer = browser_of(client, m.buyer.email)
    page = buyer.get("/notifications", params={"per_page": 2})
    assert page.status_code == 200
    text = page.text
    assert text.index(f'href="/listings/{third.id}"') < text.index(f'href="/listings/{second.id}"')
    assert f'href="/listings/{m.offer.id}"' not in text  # on page 2
    assert 'href="/notifications?page=2&amp;per_page=2" rel="next"' in text
    assert "3 unread notifications" in text
    newest = notices_of(session, m.buyer)[-1]
    token = csrf_from(buyer, "/notifications")
    marked = buyer.post(
        f"/notifications/{newest.id}/read",
        data={"csrf_token": token, "next": "/notifications?page=1"},
        follow_redirects=False,
    )
    assert marked.status_code == 303 and marked.headers["location"] == "/notifications?page=1&notice=read"
    assert "2 unread notifications" in buyer.get("/notifications").text
    assert buyer.post(f"/notifications/{newest.id}/read", data={}).status_code == 403  # no form token
    done = buyer.post("/notifications/read-all", data={"csrf_token": token}, follow_redirects=True)
    assert "0 unread notifications" in done.text and "All notifications are marked as read." in done.text
    assert "Mark all as read" not in done.text


def test_an_empty_list_says_so(client: TestClient, session: Session) -> None:
    m = market(session)
    page = browser_of(client, m.seller.email).get("/notifications")
    assert page.status_code == 200 and "No notifications yet." in page.text
    assert TestClient(client.app).get("/notifications", follow_redirects=False).status_code in (302, 303, 401)


BADGE = re.compile(r'<a href="/notifications" aria-label="Notifications: (\d+) unread notifications?">')
THREADS = re.compile(
    r'<a href="/inquiries" aria-label="Inquiries: (\d+) conversations? with unread messages">'
)


def test_the_header_badge_counts_unread_notices_and_threads(client: TestClient, session: Session) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    seller = browser_of(client, s.seller.email)
    home = seller.get("/").text
    assert BADGE.search(home).group(1) == "1" and THREADS.search(home).group(1) == "1"  # type: ignore[union-attr]
    add_match(session, s.request, s.offer)
    notify_new_matches(session)
    session.commit()
    home = seller.get("/").text
    assert BADGE.search(home).group(1) == "2" and THREADS.search(home).group(1) == "1"  # type: ignore[union-attr]
    assert '<span class="badge" aria-hidden="true">2</span>' in home
    thread = notices_of(session, s.seller)[0].inquiry_id
    reply(buyer, thread, "¿Pueden enviar muestras?")  # type: ignore[arg-type]
    assert BADGE.search(seller.get("/").text).group(1) == "3"  # type: ignore[union-attr]
    seller.get(f"/inquiries/{thread}")  # reading the thread reads its notices
    home = seller.get("/").text
    assert BADGE.search(home).group(1) == "1" and THREADS.search(home) is None  # type: ignore[union-attr]
    assert '<a href="/inquiries">Inquiries</a>' in home
    seller.post("/api/v1/notifications/read-all", headers=api_headers(seller))
    assert '<a href="/notifications">Notifications</a>' in seller.get("/").text


def test_anonymous_pages_do_not_count_notifications(client: TestClient, session: Session) -> None:
    market(session)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = TestClient(client.app).get("/")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200 and "/notifications" not in page.text
    assert not any("notifications" in statement for statement in statements)
