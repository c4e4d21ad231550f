"""Advisors acting for a consenting client: replying, closing and starting threads on its behalf, shown as
"<advisor> for <company>" to both sides, counted as the company's own answers; everyone else gets 404."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.centres.models import CentreClient
from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry, InquiryNotification, Message
from marketplace.inquiries.trust import response_stats
from marketplace.outcomes.models import Outcome
from tests.factories import make_company
from tests.inquiries.tools import (
    INQUIRY,
    advisor_of,
    api_headers,
    browser_of,
    centre_of,
    close,
    message_count,
    reply,
    scene,
    send,
)
from tests.webtools import post_form

SELLER = "Aguacates Sierra del Tigre"
BUYER = "Café Altiplano"


def only_inquiry(session: Session) -> Inquiry:
    session.commit()
    session.expire_all()
    return session.execute(select(Inquiry)).scalar_one()


def last_message(session: Session) -> Message:
    session.commit()
    session.expire_all()
    return session.execute(select(Message).order_by(Message.id.desc())).scalars().first()  # type: ignore[return-value]


def test_advisor_of_the_receiving_client_replies_for_it_and_both_sides_see_who_acted(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(
        session, s.seller_company, "lucia@sbdc-jalisco.example", consent=True, name="Lucía Ramos"
    )
    centre = centre_of(session, advisor)

    lucia = browser_of(client, advisor.email)
    page = lucia.get(f"/inquiries/{inquiry.id}")
    assert page.status_code == 200 and f'action="/inquiries/{inquiry.id}/reply"' in page.text
    assert "You act for" in page.text and "read-only" not in page.text
    assert f'action="/inquiries/{inquiry.id}/spam"' not in page.text  # reporting stays the members' act
    assert reply(lucia, inquiry.id, "Con gusto les cotizamos 2000 kg FOB Manzanillo.").status_code == 303

    written = last_message(session)
    assert (written.sender_user_id, written.sender_company_id, written.acting_centre_id) == (
        advisor.id, s.seller_company.id, centre.id
    )  # fmt: skip
    byline = f"Lucía Ramos for {SELLER}"
    seller = browser_of(client, s.seller.email)
    for side in (buyer, seller):
        thread = side.get(f"/inquiries/{inquiry.id}").text
        assert byline in thread and f"advisor at {centre.name}" in thread
    api_message = buyer.get(f"/api/v1/inquiries/{inquiry.id}").json()["messages"][-1]
    assert (api_message["sender_name"], api_message["sender_company_name"], api_message["acting_centre_id"]) == (
        "Lucía Ramos", SELLER, centre.id
    )  # fmt: skip
    # The buyer hears of the reply, and so does the client whose advisor answered for it.
    notified = session.execute(
        select(InquiryNotification.user_id).where(InquiryNotification.message_id == written.id)
    ).scalars()
    assert sorted(notified) == sorted([s.buyer.id, s.seller.id])
    # The buyer's notice names who acted, as the thread does.
    assert f"New reply from {byline}" in buyer.get("/notifications").text


def test_an_advisor_reply_answers_the_thread_and_reveals_contact_details_as_a_member_reply_does(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(session, s.seller_company, "lucia@sbdc-jalisco.example", consent=True)
    lucia = browser_of(client, advisor.email)
    assert "ventas@aguacates.example" not in buyer.get(f"/inquiries/{inquiry.id}").text
    assert buyer.get(f"/api/v1/inquiries/{inquiry.id}").json()["contact"] is None
    assert "compras@altiplano.example" not in lucia.get(f"/inquiries/{inquiry.id}").text

    reply(lucia, inquiry.id, "Sí, tenemos certificación GlobalG.A.P.")
    answered = only_inquiry(session)
    assert answered.status == "answered" and answered.first_reply_at is not None
    after = buyer.get(f"/inquiries/{inquiry.id}").text
    assert "ventas@aguacates.example" in after and "+52 33 1234 5678" in after
    assert (
        buyer.get(f"/api/v1/inquiries/{inquiry.id}").json()["contact"]["email"] == "ventas@aguacates.example"
    )
    assert (
        "compras@altiplano.example" in lucia.get(f"/inquiries/{inquiry.id}").text
    )  # the client's counterpart


def test_the_advisors_reply_counts_in_the_clients_response_rate_like_a_members(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    created = utcnow() - timedelta(days=4)
    threads = []
    for number in range(3):  # received four days ago: past the grace period, so all three count
        inquiry = Inquiry(
            kind="inquiry", listing_id=s.offer.id, from_user_id=s.buyer.id, from_company_id=s.buyer_company.id,
            to_company_id=s.seller_company.id, created_at=created - timedelta(hours=number),
        )  # fmt: skip
        session.add(inquiry)
        session.flush()
        session.add(Message(inquiry_id=inquiry.id, sender_user_id=s.buyer.id, body=f"Pedido {number}"))  # type: ignore[arg-type]
        threads.append(inquiry.id)
    session.commit()
    advisor = advisor_of(session, s.seller_company, "lucia@sbdc-jalisco.example", consent=True)
    assert response_stats(session, s.seller_company.id).rate == 0  # type: ignore[arg-type]

    reply(browser_of(client, s.seller.email), threads[0], "Respuesta de la empresa.")
    reply(browser_of(client, advisor.email), threads[1], "Respuesta de su asesora.")
    session.commit()
    stats = response_stats(session, s.seller_company.id)  # type: ignore[arg-type]
    # Two of three answered (one by a member, one by the advisor), the third still unanswered.
    assert (stats.received, stats.answered, stats.rate) == (3, 2, 67)
    delays = sorted(
        i.first_reply_at - i.created_at  # type: ignore[operator]
        for i in session.execute(select(Inquiry).where(Inquiry.id.in_(threads[:2]))).scalars()  # type: ignore[attr-defined]
    )
    assert stats.median_response == (delays[0] + delays[1]) / 2
    assert "Answers 67% of inquiries" in client.get(f"/companies/{s.seller_company.id}").text


def test_an_advisor_closes_a_thread_for_the_client_with_its_outcome(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(session, s.buyer_company, "tomas@sbdc-gt.example", consent=True, name="Tomás Ixcot")
    centre = centre_of(session, advisor)
    tomas = browser_of(client, advisor.email)
    reply(browser_of(client, s.seller.email), inquiry.id, "Le enviamos la cotización.")

    assert close(tomas, inquiry.id, outcome="deal", amount="4200", currency="USD").status_code == 303
    done = only_inquiry(session)
    assert (done.status, done.outcome) == ("closed", "deal")
    assert (done.closed_by_user_id, done.closed_by_company_id, done.closed_by_centre_id) == (
        advisor.id, s.buyer_company.id, centre.id
    )  # fmt: skip
    outcomes = session.execute(select(Outcome)).scalars().all()
    assert sorted(o.company_id for o in outcomes) == sorted([s.buyer_company.id, s.seller_company.id])
    assert {o.reported_by_user_id for o in outcomes} == {advisor.id}
    assert {o.centre_id for o in outcomes if o.company_id == s.buyer_company.id} == {centre.id}
    assert (
        f"closed by Tomás Ixcot for {BUYER}"
        in browser_of(client, s.seller.email).get(f"/inquiries/{inquiry.id}").text
    )


def test_an_advisor_sends_an_inquiry_for_a_client_and_loses_the_thread_when_the_consent_ends(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    advisor = advisor_of(session, s.buyer_company, "tomas@sbdc-gt.example", consent=True, name="Tomás Ixcot")
    tomas = browser_of(client, advisor.email)
    form = tomas.get(f"/listings/{s.offer.id}/inquire").text
    assert f'<option value="{s.buyer_company.id}"' in form and "Your clients" in form
    assert send(tomas, s.offer.id, company=s.buyer_company).status_code == 303
    inquiry = only_inquiry(session)
    assert (inquiry.from_user_id, inquiry.from_company_id, inquiry.sent_by_advisor) == (
        advisor.id, s.buyer_company.id, True
    )  # fmt: skip
    seller_view = browser_of(client, s.seller.email).get(f"/inquiries/{inquiry.id}").text
    assert f"Tomás Ixcot for {BUYER}" in seller_view
    # The client's own members see the thread its advisor started and are told of it.
    assert browser_of(client, s.buyer.email).get(f"/inquiries/{inquiry.id}").status_code == 200
    notified = set(session.execute(select(InquiryNotification.user_id)).scalars())
    assert notified == {s.seller.id, s.buyer.id}
    assert tomas.get("/api/v1/inquiries").json()["items"][0]["acting_for_company_id"] == s.buyer_company.id

    link = session.execute(select(CentreClient)).scalar_one()
    link.status, link.ended_at = "ended", utcnow()
    session.add(link)
    session.commit()
    # Having written the first message gives no access of its own: the relationship ended, so did it.
    assert tomas.get(f"/inquiries/{inquiry.id}").status_code == 404
    assert tomas.get(f"/api/v1/inquiries/{inquiry.id}").status_code == 404
    assert tomas.get("/api/v1/inquiries").json()["total"] == 0


def test_another_centres_advisor_and_advisors_without_consent_get_404_and_write_nothing(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor_of(session, make_company(session, name="Cliente ajeno"), "otro@centro.example", consent=True)
    advisor_of(session, s.seller_company, "sin-consentimiento@centro.example")  # active, consent never given
    advisor_of(session, s.seller_company, "invitada@centro.example", status="invited")  # not accepted yet
    for email in ("otro@centro.example", "sin-consentimiento@centro.example", "invitada@centro.example"):
        other = browser_of(client, email)
        for action, form in (
            ("reply", {"message": "Escribo por la empresa."}),
            ("close", {"outcome": "no_deal"}),
        ):
            posted = post_form(other, f"/inquiries/{inquiry.id}/{action}", form, form_page="/account")
            assert posted.status_code == 404
        api = other.post(
            f"/api/v1/inquiries/{inquiry.id}/messages", json={"message": "Hola"}, headers=api_headers(other)
        )
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
        closing = other.post(
            f"/api/v1/inquiries/{inquiry.id}/close", json={"outcome": "no_deal"}, headers=api_headers(other)
        )
        assert closing.status_code == 404
        sending = send(
            other, s.offer.id, company=s.buyer_company, message="Mensaje en nombre de otra empresa."
        )
        assert sending.status_code == 422 and "Choose one of your companies" in sending.text
    # Without consent an active client's advisor still reads read-only, as before; the others see nothing.
    assert (
        "read-only"
        in browser_of(client, "sin-consentimiento@centro.example").get(f"/inquiries/{inquiry.id}").text
    )
    for email in ("otro@centro.example", "invitada@centro.example"):
        assert browser_of(client, email).get(f"/inquiries/{inquiry.id}").status_code == 404
    done = only_inquiry(session)
    assert (done.status, done.first_reply_at) == ("open", None) and message_count(session) == 1


def test_an_advisor_of_both_companies_reads_but_does_not_write_for_either(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(session, s.seller_company, "ambas@centro.example", consent=True)
    session.add(
        CentreClient(
            centre_id=centre_of(session, advisor).id,
            company_id=s.buyer_company.id,
            status="active",
            consent_at=utcnow(),
        )  # type: ignore[arg-type]
    )
    session.commit()
    both = browser_of(client, advisor.email)
    assert "read-only" in both.get(f"/inquiries/{inquiry.id}").text
    assert reply(both, inquiry.id, "Escribo por ambas.").status_code == 404
    refused = send(both, s.offer.id, company=s.buyer_company, message="Una consulta de mi otra clienta.")
    assert refused.status_code == 422 and "You advise both companies" in refused.text
    assert message_count(session) == 1


def test_an_advisors_reading_leaves_the_thread_unread_for_the_clients_members(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(session, s.seller_company, "lucia@sbdc-jalisco.example", consent=True)
    lucia = browser_of(client, advisor.email)
    assert INQUIRY["message"] in lucia.get(f"/inquiries/{inquiry.id}").text
    assert lucia.get(f"/api/v1/inquiries/{inquiry.id}").json()["acting_for_company_id"] == s.seller_company.id
    seller = browser_of(client, s.seller.email)
    assert "1 unread message" in seller.get("/inquiries").text
    assert seller.get("/api/v1/inquiries").json()["items"][0]["unread"] == 1
    session.commit()
    unread_notice = session.execute(
        select(InquiryNotification).where(InquiryNotification.user_id == s.seller.id)
    ).scalar_one()
    assert unread_notice.read_at is None
    # The advisor's inbox counts nothing as unread for itself: its reading is not the company's.
    assert lucia.get("/api/v1/inquiries").json()["unread_total"] == 0
    inbox = lucia.get("/inquiries").text
    assert f"for your client {SELLER}" in inbox and "0 unread messages" in inbox


def test_an_advisor_acts_for_the_client_through_the_api(client: TestClient, session: Session) -> None:
    s = scene(session)
    send(browser_of(client, s.buyer.email), s.offer.id, company=s.buyer_company)
    inquiry = only_inquiry(session)
    advisor = advisor_of(session, s.seller_company, "lucia@sbdc-jalisco.example", consent=True)
    centre = centre_of(session, advisor)
    lucia = browser_of(client, advisor.email)
    headers = api_headers(lucia)
    listed = lucia.get("/api/v1/inquiries").json()["items"][0]
    assert (listed["side"], listed["acting_for_company_id"]) == ("receiver", s.seller_company.id)
    sent = lucia.post(
        f"/api/v1/inquiries/{inquiry.id}/messages",
        json={"message": "Les enviamos la ficha técnica."},
        headers=headers,
    )
    assert sent.status_code == 201
    assert (sent.json()["sender_company_id"], sent.json()["acting_centre_id"]) == (
        s.seller_company.id,
        centre.id,
    )
    closed = lucia.post(f"/api/v1/inquiries/{inquiry.id}/close", json={"outcome": "no_deal"}, headers=headers)
    assert closed.status_code == 200 and closed.json()["closed_by_centre_id"] == centre.id
    spam = lucia.post(f"/api/v1/inquiries/{inquiry.id}/spam", headers=headers)
    assert spam.status_code == 404  # reporting a sender stays the company's members' own act
