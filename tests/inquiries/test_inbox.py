"""The inbox pages in SQL: newest activity first over several pages, totals and unread counts for all pages."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.inquiries.inbox import inbox_page
from marketplace.inquiries.models import Inquiry, Message
from tests.inquiries.tools import Scene, advisor_of, browser_of, reply, scene


def many_threads(session: Session, s: Scene, count: int) -> list[int]:
    """`count` inquiries to the seller, each with one buyer message, the first one the oldest."""
    ids = []
    start = utcnow() - timedelta(days=count)
    for number in range(count):
        inquiry = Inquiry(
            kind="inquiry", listing_id=s.offer.id, from_user_id=s.buyer.id, from_company_id=s.buyer_company.id,
            to_company_id=s.seller_company.id, created_at=start + timedelta(days=number),
        )  # fmt: skip
        session.add(inquiry)
        session.flush()
        message = Message(inquiry_id=inquiry.id, sender_user_id=s.buyer.id, body=f"Pedido número {number}")  # type: ignore[arg-type]
        session.add(message)
        session.flush()
        inquiry.last_message_id = message.id  # as service.send_inquiry keeps it
        ids.append(inquiry.id)
    session.commit()
    return ids  # type: ignore[return-value]


def test_the_inbox_pages_newest_activity_first_with_totals_over_all_pages(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    ids = many_threads(session, s, 25)
    seller = browser_of(client, s.seller.email)
    # A reply in the oldest thread makes it the newest activity.
    reply(browser_of(client, s.buyer.email), ids[0], "¿Pudieron revisar mi pedido?")

    pages = [seller.get(f"/api/v1/inquiries?page={n}&per_page=10").json() for n in (1, 2, 3, 4)]
    assert [(p["total"], p["page"], p["per_page"], len(p["items"])) for p in pages] == [
        (25, 1, 10, 10), (25, 2, 10, 10), (25, 3, 10, 5), (25, 4, 10, 0)
    ]  # fmt: skip
    seen = [item["id"] for p in pages for item in p["items"]]
    assert seen == [ids[0], *reversed(ids[1:])]  # each thread once, by last message
    assert pages[0]["items"][0]["unread"] == 2 and pages[2]["items"][-1]["unread"] == 1
    assert {p["unread_total"] for p in pages} == {26}  # all pages' unread messages, not this page's

    html = seller.get("/inquiries?page=2&per_page=10").text
    assert "26 unread messages" in html and "Page 2 of 3" in html
    assert (
        'href="/inquiries?page=1&amp;per_page=10"' in html
        and 'href="/inquiries?page=3&amp;per_page=10"' in html
    )
    assert html.count('class="inbox-row') == 10
    assert seller.get("/api/v1/inquiries?per_page=101").status_code == 422
    assert seller.get("/inquiries?page=0").status_code == 422

    seller.get(f"/inquiries/{ids[0]}")  # reading moves the marker: two messages fewer, everywhere
    assert seller.get("/api/v1/inquiries?per_page=1").json()["unread_total"] == 24


def test_spam_leaves_the_receivers_inbox_but_not_the_senders_and_advisors_count_nothing_unread(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    ids = many_threads(session, s, 3)
    spam = session.get(Inquiry, ids[1])
    spam.status, spam.reported_at = "spam", utcnow()  # type: ignore[union-attr]
    session.add(spam)
    session.commit()
    advisor_of(session, s.buyer_company, "asesora@centro-gt.example")

    seller = inbox_page(session, s.seller, per_page=2)
    assert seller.total == 2 and [row.inquiry.id for row in seller.items] == [ids[2], ids[0]]
    assert seller.unread_total == 2
    buyer = inbox_page(session, s.buyer, page=2, per_page=2)
    assert buyer.total == 3 and [(row.inquiry.id, row.side) for row in buyer.items] == [(ids[0], "sender")]
    assert buyer.unread_total == 0  # its own messages
    reader = browser_of(client, "asesora@centro-gt.example").get("/api/v1/inquiries").json()
    assert reader["total"] == 3 and {i["side"] for i in reader["items"]} == {"advisor"}
    assert reader["unread_total"] == 0 and {i["unread"] for i in reader["items"]} == {0}
