"""The saved-searches API: list conventions, errors naming the field, another user's search is 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.inquiries.tools import api_headers, browser_of
from tests.savedsearches.tools import buyer, saved, searches_of


def test_save_list_read_rename_and_delete_through_the_api(client: TestClient, session: Session) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    headers = api_headers(browser)
    created = browser.post(
        "/api/v1/saved-searches",
        json={"q": "café", "country": ["co", "PE"], "kind": "offer", "per_page": 50},
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "“café” · Offers · CO, PE"
    assert body["query"] == "q=caf%C3%A9&kind=offer&country=CO&country=PE"
    assert body["url"] == "/search?q=caf%C3%A9&kind=offer&country=CO&country=PE"
    assert body["api_url"] == "/api/v1/search?q=caf%C3%A9&kind=offer&country=CO&country=PE"
    assert body["params"]["country"] == ["CO", "PE"] and body["last_run_at"] is None
    assert client.get(body["api_url"]).status_code == 200  # runs as a search for anyone

    saved(session, user, "q=miel")
    listed = browser.get("/api/v1/saved-searches", params={"per_page": 1}).json()
    assert (listed["total"], listed["page"], listed["per_page"]) == (2, 1, 1)
    assert [item["name"] for item in listed["items"]] == ["“miel”"]  # newest first
    assert browser.get("/api/v1/saved-searches", params={"per_page": 101}).status_code == 422

    path = f"/api/v1/saved-searches/{body['id']}"
    assert browser.get(path).json()["name"] == body["name"]
    renamed = browser.patch(path, json={"name": "Café de Colombia y Perú"}, headers=headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Café de Colombia y Perú"
    assert browser.delete(path, headers=headers).status_code == 204
    assert [s.query for s in searches_of(session, user)] == ["q=miel"]


def test_errors_name_the_field(client: TestClient, session: Session) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    headers = api_headers(browser)
    bad = browser.post("/api/v1/saved-searches", json={"hs_chapter": ["9"]}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid" and "hs_chapter" in bad.json()["error"]["fields"]
    long_name = browser.post("/api/v1/saved-searches", json={"q": "miel", "name": "x" * 121}, headers=headers)
    assert long_name.status_code == 422 and "name" in long_name.json()["error"]["fields"]
    assert browser.post("/api/v1/saved-searches", json={"q": "miel"}, headers=headers).status_code == 201
    twice = browser.post("/api/v1/saved-searches", json={"q": "miel"}, headers=headers)
    assert twice.status_code == 422 and "query" in twice.json()["error"]["fields"]
    search_id = searches_of(session, user)[0].id
    empty = browser.patch(f"/api/v1/saved-searches/{search_id}", json={"name": ""}, headers=headers)
    assert empty.status_code == 422 and "name" in empty.json()["error"]["fields"]


def test_another_users_saved_search_is_404_and_a_visitor_is_401(client: TestClient, session: Session) -> None:
    search = saved(session, buyer(session), "q=miel")
    other = browser_of(client, buyer(session, "otra@example.com").email)
    headers = api_headers(other)
    path = f"/api/v1/saved-searches/{search.id}"
    assert other.get(path).status_code == 404
    assert other.patch(path, json={"name": "Mía"}, headers=headers).status_code == 404
    assert other.delete(path, headers=headers).status_code == 404
    assert other.get("/api/v1/saved-searches").json()["total"] == 0
    assert client.get("/api/v1/saved-searches").status_code == 401
    assert other.post("/api/v1/saved-searches", json={"q": "miel"}).status_code == 403  # no CSRF header
