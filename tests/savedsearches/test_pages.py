"""Saving a search from the search page, and the saved-searches page: run, rename, delete, others' are 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.savedsearches.service import MAX_PER_USER
from tests.inquiries.tools import browser_of
from tests.savedsearches.tools import buyer, saved, searches_of
from tests.webtools import csrf_from, post_form

SEARCH = "/search?q=caf%C3%A9&country=CO&certification=organic"


def test_a_buyer_without_a_company_saves_the_search_with_a_default_name_and_runs_it_again(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    page = browser.get(SEARCH)
    assert page.status_code == 200 and 'action="/searches/saved"' in page.text
    assert 'name="query" value="q=caf%C3%A9&amp;country=CO&amp;certification=organic"' in page.text

    response = post_form(
        browser,
        "/searches/saved",
        {"query": "q=caf%C3%A9&country=CO&certification=organic", "name": ""},
        form_page=SEARCH,
    )
    assert response.status_code == 303 and response.headers["location"] == "/searches/saved?notice=saved"
    (search,) = searches_of(session, user)
    assert search.name == "“café” · CO · organic"
    listing = browser.get(response.headers["location"])
    assert "Search saved." in listing.text and "“café” · CO · organic" in listing.text
    run = 'href="/search?q=caf%C3%A9&amp;country=CO&amp;certification=organic"'
    assert run in listing.text
    # The link is a plain search URL: anyone can open it, and it searches with the same filters.
    shared = client.get("/search?q=caf%C3%A9&country=CO&certification=organic")
    assert shared.status_code == 200 and 'value="café"' in shared.text


def test_a_chosen_name_is_kept_and_the_page_and_sort_are_not_part_of_the_search(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    data = {"query": "q=miel&sort=newest&page=3&per_page=50", "name": "  Miel   para el hotel "}
    assert post_form(browser, "/searches/saved", data, form_page="/search?q=miel").status_code == 303
    (search,) = searches_of(session, user)
    assert (search.name, search.query) == ("Miel para el hotel", "q=miel&sort=newest")


def test_a_visitor_sees_a_sign_in_link_instead_of_the_form(client: TestClient) -> None:
    page = client.get("/search?q=miel")
    assert 'action="/searches/saved"' not in page.text
    assert 'href="/signin?next=/search%3Fq%3Dmiel"' in page.text
    token = csrf_from(client, "/signin")  # a visitor's own form token: not enough without an account
    posted = client.post(
        "/searches/saved", data={"query": "q=miel", "csrf_token": token}, follow_redirects=False
    )
    assert posted.status_code == 303 and posted.headers["location"].startswith("/signin?next=")


def test_saving_without_the_form_token_is_refused(client: TestClient, session: Session) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    refused = browser.post("/searches/saved", data={"query": "q=miel"}, follow_redirects=False)
    assert refused.status_code == 403
    assert searches_of(session, user) == []


def test_a_name_too_long_shows_the_search_again_with_the_message_and_what_was_typed(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    name = "Miel " + "x" * 130
    refused = post_form(
        browser, "/searches/saved", {"query": "q=miel", "name": name}, form_page="/search?q=miel"
    )
    assert refused.status_code == 422
    assert "Use at most 120 characters for the name." in refused.text
    assert f'value="{name}"' in refused.text and 'value="miel"' in refused.text  # the search box too
    assert searches_of(session, user) == []


def test_invalid_filters_saving_twice_and_the_limit_are_refused_with_a_message(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    browser = browser_of(client, user.email)
    bad = post_form(browser, "/searches/saved", {"query": "country=ZZZ"}, form_page="/search")
    assert bad.status_code == 422 and "Some search options are not valid." in bad.text
    assert post_form(browser, "/searches/saved", {"query": "q=miel"}, form_page="/search").status_code == 303
    again = post_form(browser, "/searches/saved", {"query": "q=miel"}, form_page="/search")
    assert again.status_code == 422 and "You have already saved this search." in again.text
    for n in range(MAX_PER_USER - 1):
        saved(session, user, f"q=producto{n}")
    over = post_form(browser, "/searches/saved", {"query": "q=cacao"}, form_page="/search")
    assert over.status_code == 409 and "at most 50 saved searches" in over.text
    assert len(searches_of(session, user)) == MAX_PER_USER


def test_rename_and_delete_from_the_saved_searches_page(client: TestClient, session: Session) -> None:
    user = buyer(session)
    search = saved(session, user, "q=miel")
    browser = browser_of(client, user.email)
    path = f"/searches/saved/{search.id}"
    renamed = post_form(browser, f"{path}/rename", {"name": "Miel cruda"}, form_page="/searches/saved")
    assert renamed.status_code == 303 and "Miel cruda" in browser.get(renamed.headers["location"]).text
    empty = post_form(browser, f"{path}/rename", {"name": "  "}, form_page="/searches/saved")
    assert empty.status_code == 422 and "Give the search a name." in empty.text
    assert searches_of(session, user)[0].name == "Miel cruda"
    deleted = post_form(browser, f"{path}/delete", {}, form_page="/searches/saved")
    assert deleted.status_code == 303 and searches_of(session, user) == []
    page = browser.get(deleted.headers["location"])
    assert "Saved search deleted." in page.text and "No saved searches yet." in page.text


def test_another_users_saved_search_cannot_be_renamed_or_deleted(
    client: TestClient, session: Session
) -> None:
    owner = buyer(session)
    search = saved(session, owner, "q=miel")
    other = browser_of(client, buyer(session, "otra@example.com").email)
    for action, data in (("rename", {"name": "Mía"}), ("delete", {})):
        answer = post_form(other, f"/searches/saved/{search.id}/{action}", data, form_page="/searches/saved")
        assert answer.status_code == 404
    assert "miel" not in other.get("/searches/saved").text
    (kept,) = searches_of(session, owner)
    assert kept.name == "“miel”"


def test_the_saved_searches_page_needs_a_signed_in_user_and_is_linked_in_the_header(
    client: TestClient, session: Session
) -> None:
    answer = client.get("/searches/saved", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=%2Fsearches%2Fsaved"
    browser = browser_of(client, buyer(session).email)
    assert 'href="/searches/saved"' in browser.get("/notifications").text
