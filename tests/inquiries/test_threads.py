"""Threads: sending, who may read them (404 for others), read-only advisors, replies, statuses, privacy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.inquiries.models import Inquiry, InquiryNotification
from marketplace.outcomes.models import Outcome
from tests.factories import make_company
from tests.inquiries.tools import (
    INQUIRY,
    advisor_of,
    browser_of,
    inquiry_count,
    member,
    message_count,
    reply,
    scene,
    send,
)
from tests.webtools import post_form


def only_inquiry(session: Session) -> Inquiry:
    session.commit()
    session.expire_all()  # read what the app wrote, not this session's copies
    return session.execute(select(Inquiry)).scalar_one()


def test_buyer_sends_a_structured_inquiry_and_the_seller_sees_it_unread(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    response = send(buyer, s.offer.id, company=s.buyer_company)
    assert response.status_code == 303 and re.fullmatch(
        r"/inquiries/\d+\?notice=sent", response.headers["location"]
    )
    inquiry = only_inquiry(session)
    assert (inquiry.kind, inquiry.status, inquiry.from_company_id, inquiry.to_company_id) == (
        "inquiry", "open", s.buyer_company.id, s.seller_company.id
    )  # fmt: skip
    assert (str(inquiry.quantity), inquiry.unit, str(inquiry.price), inquiry.currency) == (
        "2000.000",
        "kg",
        "2.10",
        "USD",
    )
    assert (inquiry.delivery_country, inquiry.incoterm, inquiry.needed_by.isoformat()) == (
        "GT",
        "FOB",
        "2027-03-01",
    )  # type: ignore[union-attr]

    seller = browser_of(client, s.seller.email)
    inbox = seller.get("/inquiries")
    assert "Aguacate Hass de Jalisco" in inbox.text and "1 unread message" in inbox.text
    thread = seller.get(f"/inquiries/{inquiry.id}")
    assert INQUIRY["message"] in thread.text and "Café Altiplano" in thread.text
    assert "0 unread messages" in seller.get("/inquiries").text  # opening the thread moved the read marker
    session.commit()
    notices = session.execute(select(InquiryNotification)).scalars().all()
    assert [(n.user_id, n.kind, n.read_at is not None) for n in notices] == [
        (s.seller.id, "new_inquiry", True)
    ]


def test_a_quote_on_a_buy_request_records_price_lead_time_and_validity(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    seller = browser_of(client, s.seller.email)
    response = send(
        seller, s.request.id, company=s.seller_company, message="Podemos enviar 5000 sacos de yute nuevos.", price="0.80", lead_time_days="21",
        quote_valid_until="2027-01-31", delivery_country="", needed_by="",
    )  # fmt: skip
    assert response.status_code == 303
    inquiry = only_inquiry(session)
    assert (inquiry.kind, inquiry.to_company_id, inquiry.lead_time_days) == ("quote", s.buyer_company.id, 21)
    assert inquiry.quote_valid_until.isoformat() == "2027-01-31"  # type: ignore[union-attr]


def test_invalid_inquiry_re_renders_with_messages_keeps_values_and_saves_nothing(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    response = send(buyer, s.offer.id, message="Hola", price="2", currency="", incoterm="XYZ")
    assert response.status_code == 422
    assert (
        'id="e-message"' in response.text
        and 'id="e-incoterm"' in response.text
        and "currency" in response.text
    )
    assert 'value="2"' in response.text  # the typed price is kept
    assert inquiry_count(session) == 0


def test_anonymous_visitors_see_the_button_but_must_sign_in_to_inquire(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    page = client.get(f"/listings/{s.offer.id}")
    assert "Contact the seller" in page.text and f"/signin?next=/listings/{s.offer.id}/inquire" in page.text
    assert "Send a quote" in client.get(f"/listings/{s.request.id}").text
    form = client.get(f"/listings/{s.offer.id}/inquire", follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"].startswith("/signin?next=")
    seller = browser_of(client, s.seller.email)
    assert "Contact the seller" not in seller.get(f"/listings/{s.offer.id}").text  # not on its own listing
    own = send(seller, s.offer.id)
    assert own.status_code == 422 and "your own company" in own.text and inquiry_count(session) == 0


def test_a_third_company_and_anonymous_visitors_get_404_or_sign_in(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    outsider_company = make_company(session, name="Otra Empresa")
    member(session, outsider_company, "otra@empresa.example")
    session.commit()
    outsider = browser_of(client, "otra@empresa.example")
    assert outsider.get(f"/inquiries/{inquiry.id}").status_code == 404
    assert outsider.get(f"/api/v1/inquiries/{inquiry.id}").status_code == 404
    assert outsider.get("/api/v1/inquiries").json()["total"] == 0
    assert (
        post_form(
            outsider, f"/inquiries/{inquiry.id}/reply", {"message": "hola"}, form_page="/account"
        ).status_code
        == 404
    )
    assert (
        client.get(f"/inquiries/{inquiry.id}", follow_redirects=False).status_code == 303
    )  # anonymous: sign in
    assert client.get(f"/api/v1/inquiries/{inquiry.id}").status_code == 401
    assert message_count(session) == 1


def test_advisors_read_their_active_clients_threads_read_only_and_others_get_404(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor_of(session, s.buyer_company, "asesora@centro-gt.example")
    advisor_of(session, make_company(session, name="Cliente ajeno"), "asesor@otro-centro.example")
    advisor_of(session, s.seller_company, "antigua@centro-mx.example", status="ended")

    reader = browser_of(client, "asesora@centro-gt.example")
    page = reader.get(f"/inquiries/{inquiry.id}")
    assert page.status_code == 200 and INQUIRY["message"] in page.text and "read-only" in page.text
    assert f'action="/inquiries/{inquiry.id}/reply"' not in page.text
    assert (
        post_form(
            reader, f"/inquiries/{inquiry.id}/reply", {"message": "Soy la asesora"}, form_page="/account"
        ).status_code
        == 404
    )
    assert reader.get("/api/v1/inquiries").json()["items"][0]["side"] == "advisor"
    for email in ("asesor@otro-centro.example", "antigua@centro-mx.example"):
        other = browser_of(client, email)
        assert other.get(f"/inquiries/{inquiry.id}").status_code == 404
        assert other.get(f"/api/v1/inquiries/{inquiry.id}").status_code == 404
    assert message_count(session) == 1


def test_contact_details_are_hidden_until_the_receiving_company_replies(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    before = buyer.get(f"/inquiries/{inquiry.id}").text
    assert "ventas@aguacates.example" not in before and "+52 33 1234 5678" not in before
    assert buyer.get(f"/api/v1/inquiries/{inquiry.id}").json()["contact"] is None
    assert "ventas@aguacates.example" not in client.get(f"/listings/{s.offer.id}").text
    reply(
        buyer, inquiry.id, "¿Tienen certificación GlobalG.A.P.?"
    )  # the sender's own follow-up reveals nothing
    assert "ventas@aguacates.example" not in buyer.get(f"/inquiries/{inquiry.id}").text
    assert only_inquiry(session).status == "open"

    seller = browser_of(client, s.seller.email)
    seller_view = seller.get(f"/inquiries/{inquiry.id}").text
    assert "compras@altiplano.example" not in seller_view
    assert reply(seller, inquiry.id, "Sí, con gusto. Precio FOB Manzanillo.").status_code == 303
    answered = only_inquiry(session)
    assert answered.status == "answered" and answered.first_reply_at is not None
    after = buyer.get(f"/inquiries/{inquiry.id}").text
    assert "ventas@aguacates.example" in after and "+52 33 1234 5678" in after and "+52 33 8765 4321" in after
    assert (
        buyer.get(f"/api/v1/inquiries/{inquiry.id}").json()["contact"]["email"] == "ventas@aguacates.example"
    )
    assert "compras@altiplano.example" in seller.get(f"/inquiries/{inquiry.id}").text


def test_closing_with_a_deal_records_outcomes_and_ends_the_conversation(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    advisor_of(session, s.seller_company, "asesora@centro-mx.example")
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    seller = browser_of(client, s.seller.email)
    reply(seller, inquiry.id, "Le enviamos la cotización.")
    closed = post_form(
        buyer, f"/inquiries/{inquiry.id}/close", {"outcome": "deal", "amount": "4200", "currency": "USD"},
        form_page=f"/inquiries/{inquiry.id}",
    )  # fmt: skip
    assert closed.status_code == 303
    done = only_inquiry(session)
    assert (done.status, done.outcome) == ("closed", "deal") and done.closed_at is not None
    outcomes = session.execute(select(Outcome).order_by(Outcome.company_id)).scalars().all()
    assert sorted(
        (o.company_id, o.kind, str(o.amount), o.currency, o.inquiry_id) for o in outcomes
    ) == sorted(
        [
            (s.seller_company.id, "deal", "4200.00", "USD", inquiry.id),
            (s.buyer_company.id, "deal", "4200.00", "USD", inquiry.id),
        ]
    )
    assert {o.company_id: o.centre_id is not None for o in outcomes}[
        s.seller_company.id
    ]  # feeds its centre's reports
    late = reply(seller, inquiry.id, "¿Algo más?")
    assert late.status_code == 409 and "closed" in late.text and message_count(session) == 2


def test_closing_without_a_deal_records_no_outcome_row(client: TestClient, session: Session) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    post_form(
        buyer,
        f"/inquiries/{inquiry.id}/close",
        {"outcome": "no_answer"},
        form_page=f"/inquiries/{inquiry.id}",
    )
    done = only_inquiry(session)
    assert (done.status, done.outcome) == ("closed", "no_answer")
    assert session.execute(select(Outcome)).first() is None


def test_report_as_spam_hides_the_thread_from_the_receiver_and_counts_against_the_sender(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    seller = browser_of(client, s.seller.email)
    assert (
        post_form(
            buyer, f"/inquiries/{inquiry.id}/spam", {}, form_page=f"/inquiries/{inquiry.id}"
        ).status_code
        == 404
    )
    response = post_form(seller, f"/inquiries/{inquiry.id}/spam", {}, form_page=f"/inquiries/{inquiry.id}")
    assert response.status_code == 303
    reported = only_inquiry(session)
    assert reported.status == "spam" and reported.reported_at is not None
    assert "Aguacate Hass de Jalisco" not in seller.get("/inquiries").text
    from marketplace.inquiries.service import spam_reports_against

    assert spam_reports_against(session, s.buyer.id) == 1  # type: ignore[arg-type]
    assert reply(buyer, inquiry.id, "¿Por qué?").status_code == 409


def test_three_spam_reports_stop_the_sender_from_starting_threads(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    seller = browser_of(client, s.seller.email)
    for number in range(3):
        send(buyer, s.offer.id, message=f"Oferta increíble número {number} para usted")
        session.commit()
        newest = session.execute(select(Inquiry).order_by(Inquiry.id.desc())).scalars().first()
        post_form(seller, f"/inquiries/{newest.id}/spam", {}, form_page=f"/inquiries/{newest.id}")  # type: ignore[union-attr]
    blocked = send(buyer, s.offer.id, message="Otra oferta más, distinta de las anteriores")
    assert blocked.status_code == 429 and "reported as spam" in blocked.text
    assert inquiry_count(session) == 3
