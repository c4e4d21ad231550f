"""The advisor's pages end to end: post for a client, review, verify, record outcomes, export; the company's side."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from marketplace.centres.models import CentreClient
from marketplace.listings.models import Listing
from tests.centres.helpers import make_world
from tests.factories import make_company
from tests.webtools import csrf_from, post_form, sign_in

LISTING = {
    "kind": "offer",
    "title": "Aguacate Hass de Jalisco",
    "description": "Caja de 10 kg.",
    "language": "es",
}


def test_advisor_posts_for_a_client_and_a_colleague_approves(
    client: TestClient, session: Session, engine
) -> None:  # type: ignore[no-untyped-def]
    w = make_world(session)
    sign_in(client, w.advisor_a.email)
    base = f"/centres/{w.centre_a.id}/clients/{w.company_a.id}"
    form = client.get(base + "/listings/new")
    assert "on behalf of this client" in form.text
    bad = post_form(
        client, base + "/listings/new", {**LISTING, "title": ""}, form_page=base + "/listings/new"
    )
    assert bad.status_code == 422 and "Caja de 10 kg." in bad.text  # typed values kept
    created = post_form(client, base + "/listings/new", LISTING, form_page=base + "/listings/new")
    assert created.status_code == 303
    listing = session.exec(select(Listing).where(Listing.title == LISTING["title"])).one()
    assert listing.created_by_advisor and listing.created_by_user_id == w.advisor_a.id
    submitted = post_form(client, f"{base}/listings/{listing.id}/publish", {}, form_page=base)
    assert "notice=submitted" in submitted.headers["location"]
    assert TestClient(client.app).get(f"/listings/{listing.id}").status_code == 404  # not public yet

    colleague = TestClient(client.app)
    sign_in(colleague, w.advisor_a2.email)
    queue = colleague.get(f"/centres/{w.centre_a.id}/review")
    assert LISTING["title"] in queue.text and "posted by an advisor" in queue.text
    approved = post_form(
        colleague,
        f"/centres/{w.centre_a.id}/review/{listing.id}/approve",
        {},
        form_page=f"/centres/{w.centre_a.id}/review",
    )
    assert approved.status_code == 303
    assert TestClient(client.app).get(f"/listings/{listing.id}").status_code == 200

    owner = TestClient(client.app)
    sign_in(owner, w.owner_a.email)
    trail = owner.get(f"/companies/{w.company_a.id}/centres").text
    assert "created a listing" in trail and "approved a listing" in trail and "(advisor)" in trail


def test_send_back_shows_the_reason_to_the_owner_and_an_empty_reason_is_refused(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    sign_in(client, w.owner_a.email)
    post_form(client, f"/listings/{w.draft_a.id}/publish", {}, form_page="/")
    reviewer = TestClient(client.app)
    sign_in(reviewer, w.advisor_a.email)
    path = f"/centres/{w.centre_a.id}/review/{w.draft_a.id}/send-back"
    empty = post_form(reviewer, path, {"reason": " "}, form_page=f"/centres/{w.centre_a.id}/review")
    assert empty.status_code == 422 and "Tell the company what to change." in empty.text
    post_form(reviewer, path, {"reason": "Indique el calibre."}, form_page=f"/centres/{w.centre_a.id}/review")
    assert "Indique el calibre." in client.get(f"/companies/{w.company_a.id}/centres").text


def test_verify_record_outcome_dashboard_and_export(client: TestClient, session: Session) -> None:
    w = make_world(session)
    sign_in(client, w.advisor_a.email)
    base = f"/centres/{w.centre_a.id}/clients/{w.company_a.id}"
    refused = post_form(client, base + "/verify", {"evidence": "Visita el 3 de marzo"}, form_page=base)
    assert (
        refused.status_code == 422
        and "Tick what you checked." in refused.text
        and "Visita el 3 de marzo" in refused.text
    )
    assert (
        post_form(
            client, base + "/verify", {"checks": "visit", "evidence": "Visita."}, form_page=base
        ).status_code
        == 303
    )
    assert "Verified by CDE Jalisco" in client.get(f"/companies/{w.company_a.id}").text
    deal = {
        "kind": "deal",
        "counterpart": "Fresh Co",
        "amount": "1500",
        "currency": "usd",
        "jobs_created": "3",
        "occurred_on": "2026-02-10",
    }
    assert post_form(client, base + "/outcomes", deal, form_page=base).status_code == 303
    wrong = post_form(client, base + "/outcomes", {**deal, "currency": ""}, form_page=base)
    assert wrong.status_code == 422 and "Fresh Co" in wrong.text
    dashboard = client.get(f"/centres/{w.centre_a.id}")
    assert "1,500 USD" in dashboard.text and "<svg" in dashboard.text
    export = client.get(f"/centres/{w.centre_a.id}/outcomes.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[1][2] == "Aguacates del Tigre" and rows[1][7] == "1500.00" and rows[1][8] == "USD"
    assert rows[-1][:1] == ["TOTAL"] and rows[-1][7:10] == ["1500.00", "USD", "3"]


def test_company_asks_a_centre_and_an_advisor_accepts_then_the_owner_ends_it(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    newcomer = make_company(session, name="Muebles del Lago")
    from tests.centres.helpers import add_member

    owner = add_member(session, company=newcomer, email="owner@muebles.example")
    session.commit()
    sign_in(client, owner.email)
    page = f"/companies/{newcomer.id}/centres"
    assert (
        post_form(client, page + "/request", {"centre_id": str(w.centre_a.id)}, form_page=page).status_code
        == 303
    )
    advisor = TestClient(client.app)
    sign_in(advisor, w.advisor_a.email)
    assert "asked to join" in advisor.get(f"/centres/{w.centre_a.id}").text
    assert advisor.get(f"/centres/{w.centre_a.id}/clients/{newcomer.id}").status_code == 404  # not yet
    post_form(
        advisor,
        f"/centres/{w.centre_a.id}/clients/{newcomer.id}/accept",
        {},
        form_page=f"/centres/{w.centre_a.id}",
    )
    assert advisor.get(f"/centres/{w.centre_a.id}/clients/{newcomer.id}").status_code == 200
    post_form(client, f"{page}/{w.centre_a.id}/end", {}, form_page=page)
    assert advisor.get(f"/centres/{w.centre_a.id}/clients/{newcomer.id}").status_code == 404
    session.commit()
    link = session.exec(select(CentreClient).where(CentreClient.company_id == newcomer.id)).one()
    assert link.status == "ended" and link.ended_at is not None


def test_api_review_and_outcomes(client: TestClient, session: Session) -> None:
    w = make_world(session)
    sign_in(client, w.owner_a.email)
    token = csrf_from(client, "/")
    headers = {"X-CSRF-Token": token}
    assert (
        client.post(f"/api/v1/listings/{w.draft_a.id}/publish", headers=headers).json()["status"]
        == "pending_review"
    )
    advisor = TestClient(client.app)
    sign_in(advisor, w.advisor_a.email)
    h = {"X-CSRF-Token": csrf_from(advisor, "/")}
    queue = advisor.get(f"/api/v1/centres/{w.centre_a.id}/review-queue").json()
    assert [item["listing_id"] for item in queue["items"]] == [w.draft_a.id]
    refused = advisor.post(f"/api/v1/listings/{w.draft_a.id}/send-back", json={"reason": ""}, headers=h)
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {
        "reason": "Tell the company what to change."
    }
    assert advisor.post(f"/api/v1/listings/{w.draft_a.id}/approve", headers=h).json()["status"] == "published"
    created = client.post(
        f"/api/v1/companies/{w.company_a.id}/outcomes",
        json={"kind": "sale", "amount": "99.5", "currency": "MXN", "occurred_on": "2026-01-05"},
        headers=headers,
    )
    assert created.status_code == 201 and created.json()["confirmed"] is False
    confirmed = advisor.post(
        f"/api/v1/centres/{w.centre_a.id}/outcomes/{created.json()['id']}/confirm", headers=h
    )
    assert confirmed.json()["confirmed"] is True
    listed = advisor.get(f"/api/v1/centres/{w.centre_a.id}/outcomes").json()
    assert listed["totals"]["amounts"] == {"MXN": "99.50"} and len(listed["items"]) == 1
    assert advisor.get(f"/api/v1/centres/{w.centre_b.id}/outcomes").status_code == 404


def test_a_member_records_a_deal_and_the_advisor_confirms_the_same_record(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    sign_in(client, w.member_a.email)
    page = f"/companies/{w.company_a.id}/centres"
    deal = {
        "kind": "sale",
        "counterpart": "Tienda Norte",
        "amount": "320",
        "currency": "USD",
        "occurred_on": "2026-01-20",
    }
    bad = post_form(client, f"/companies/{w.company_a.id}/outcomes", {**deal, "amount": "-5"}, form_page=page)
    assert bad.status_code == 422 and "Tienda Norte" in bad.text
    assert post_form(client, f"/companies/{w.company_a.id}/outcomes", deal, form_page=page).status_code == 303
    advisor = TestClient(client.app)
    sign_in(advisor, w.advisor_a.email)
    base = f"/centres/{w.centre_a.id}/clients/{w.company_a.id}"
    assert "Tienda Norte" in advisor.get(base).text
    from marketplace.outcomes.models import Outcome

    session.commit()
    outcome = session.exec(select(Outcome)).one()
    assert outcome.centre_id == w.centre_a.id and outcome.confirmed_at is None
    post_form(advisor, f"/centres/{w.centre_a.id}/outcomes/{outcome.id}/confirm", {}, form_page=base)
    session.commit()
    session.refresh(outcome)
    assert outcome.confirmed_by_user_id == w.advisor_a.id
    assert len(session.exec(select(Outcome)).all()) == 1
    stranger = TestClient(client.app)
    sign_in(stranger, w.owner_b.email)
    forged = stranger.post(
        f"/companies/{w.company_a.id}/outcomes", data={**deal, "csrf_token": csrf_from(stranger, "/")}
    )
    assert forged.status_code == 404
