"""Match and saved-search alerts: in the app for every member, in one e-mail digest per user as they choose,
received by a real SMTP server, never twice."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.mail.models import MailMessage
from marketplace.matching.alerts import send_match_digests
from marketplace.notifications.service import notify_saved_search_hit, save_settings
from tests.factories import make_company, make_listing
from tests.inquiries.tools import api_headers, browser_of
from tests.notifications.tools import (
    BASE_URL,
    add_match,
    choices_of,
    mails_to,
    market,
    notices_of,
    run_jobs,
    worker_settings,
)


def digests(session: Session, client: TestClient, **kwargs) -> int:  # type: ignore[no-untyped-def]
    """Run the alerts job's work, as the job does, with nothing stale from earlier reads of this session."""
    session.expire_all()
    sent = send_match_digests(
        session, base_url=BASE_URL, secret_key=client.app.state.settings.secret_key, **kwargs
    )  # type: ignore[attr-defined]
    session.commit()
    return sent


def test_each_side_of_a_match_gets_a_notice_and_one_digest_with_links_and_unsubscribe_headers(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    m = market(session)
    match = add_match(session, m.request, m.offer)
    assert digests(session, client) == 2
    run_jobs(engine, worker_settings(client, port, tmp_path))

    (to_buyer,) = mails_to(inbox, m.buyer.email)
    (to_seller,) = mails_to(inbox, m.seller.email)
    assert to_buyer["Subject"] == "Puente: 1 new match for your listings"
    text = to_buyer.get_body(("plain",)).get_content()
    assert "Roasted coffee beans" in text and "for your listing: Café tostado en grano" in text
    assert "Same HS subheading (0901.21)" in text
    assert f"{BASE_URL}/listings/{m.offer.id}" in text
    assert f"{BASE_URL}/unsubscribe?token=" in text
    assert f'href="{BASE_URL}/listings/{m.offer.id}"' in to_buyer.get_body(("html",)).get_content()
    assert f"{BASE_URL}/listings/{m.request.id}" in to_seller.get_body(("plain",)).get_content()
    for mail in (to_buyer, to_seller):
        assert mail["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe?token=")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert to_buyer["List-Unsubscribe"] != to_seller["List-Unsubscribe"]  # per user

    (buyer_notice,) = notices_of(session, m.buyer)
    (seller_notice,) = notices_of(session, m.seller)
    assert (buyer_notice.kind, buyer_notice.match_id, buyer_notice.listing_id) == (
        "match",
        match.id,
        m.offer.id,
    )
    assert (seller_notice.listing_id, seller_notice.read_at) == (m.request.id, None)

    # The job runs every few minutes: running it again (and again) tells no one twice.
    assert digests(session, client) == 0
    assert digests(session, client) == 0
    run_jobs(engine, worker_settings(client, port, tmp_path))
    assert len(inbox.messages) == 2
    assert len(notices_of(session, m.buyer)) == 1 and len(notices_of(session, m.seller)) == 1


def test_a_user_who_turned_off_match_emails_gets_none_but_still_the_notice_in_the_app(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    m = market(session)
    buyer = browser_of(client, m.buyer.email)
    turned_off = buyer.put(
        "/api/v1/inquiry-settings", json={"email_matches": False}, headers=api_headers(buyer)
    )
    assert turned_off.status_code == 200 and turned_off.json()["email_matches"] is False
    assert turned_off.json()["email_new_inquiries"] is True  # the other choices kept
    add_match(session, m.request, m.offer)
    assert digests(session, client) == 1  # the seller's
    run_jobs(engine, worker_settings(client, port, tmp_path))
    assert mails_to(inbox, m.buyer.email) == [] and len(mails_to(inbox, m.seller.email)) == 1
    (notice,) = notices_of(session, m.buyer)
    assert notice.read_at is None
    page = buyer.get("/notifications")
    assert "New match: Roasted coffee beans" in page.text
    assert f'href="/listings/{m.offer.id}"' in page.text


def test_the_settings_page_turns_alert_emails_off_and_chooses_a_daily_digest(
    client: TestClient, session: Session
) -> None:
    from tests.webtools import post_form

    m = market(session)
    seller = browser_of(client, m.seller.email)
    page = seller.get("/inquiries/settings").text
    assert 'name="email_matches" value="1" checked' in page and 'value="immediate" selected' in page
    saved = post_form(
        seller,
        "/inquiries/settings",
        {"email_new_inquiries": "1", "email_replies": "1", "alert_digest": "daily"},
    )
    assert saved.status_code == 303
    choice = choices_of(session, m.seller)
    assert choice is not None
    assert (choice.email_matches, choice.email_saved_searches, choice.alert_digest) == (False, False, "daily")
    assert choice.email_new_inquiries and choice.email_replies
    wrong = post_form(seller, "/inquiries/settings", {"email_matches": "1", "alert_digest": "hourly"})
    assert wrong.status_code == 422 and "Choose how often to receive alerts." in wrong.text
    assert choices_of(session, m.seller).alert_digest == "daily"  # type: ignore[union-attr]


def test_a_daily_digest_gathers_the_days_notices_and_is_sent_the_next_day_once(
    client: TestClient, session: Session
) -> None:
    m = market(session)
    save_settings(session, m.buyer.id, alert_digest="daily")  # type: ignore[arg-type]
    save_settings(session, m.seller.id, email_matches=False)  # type: ignore[arg-type]
    session.commit()
    other_company = make_company(session, name="Torrefação Mineira", country="BR")
    second_offer = make_listing(session, company=other_company, title="Café torrado em grãos")
    session.commit()
    add_match(session, m.request, m.offer)
    add_match(session, m.request, second_offer, score=0.9)
    now = utcnow()
    assert digests(session, client, now=now) == 0  # today's notices wait for tomorrow
    assert len(notices_of(session, m.buyer)) == 2  # but are in the app already
    tomorrow = now + timedelta(days=1)
    assert digests(session, client, now=tomorrow) == 1
    assert digests(session, client, now=tomorrow + timedelta(minutes=5)) == 0
    (mail,) = session.execute(select(MailMessage).where(MailMessage.to_address == m.buyer.email)).scalars()
    assert "2 new matches" in mail.subject
    # Ranked by score: the better match first.
    assert mail.body_text.index("Café torrado em grãos") < mail.body_text.index("Roasted coffee beans")


def test_a_notice_read_in_the_app_before_the_digest_is_not_mailed(
    client: TestClient, session: Session
) -> None:
    m = market(session)
    save_settings(session, m.buyer.id, alert_digest="daily")  # type: ignore[arg-type]
    session.commit()
    add_match(session, m.request, m.offer)
    now = utcnow()
    digests(session, client, now=now)
    buyer = browser_of(client, m.buyer.email)
    (notice,) = notices_of(session, m.buyer)
    marked = buyer.post(f"/api/v1/notifications/{notice.id}/read", headers=api_headers(buyer))
    assert marked.status_code == 200
    assert digests(session, client, now=now + timedelta(days=1)) == 0


def test_saved_search_hits_are_notified_once_and_mailed_in_the_alerts_digest(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    m = market(session)
    for _ in range(2):  # the saved-search job may see the same listing twice
        notify_saved_search_hit(session, user_id=m.buyer.id, saved_search_id=7, listing_id=m.offer.id)  # type: ignore[arg-type]
        session.commit()
    notify_saved_search_hit(session, user_id=m.seller.id, saved_search_id=8, listing_id=m.request.id)  # type: ignore[arg-type]
    save_settings(session, m.seller.id, email_saved_searches=False)  # type: ignore[arg-type]
    session.commit()
    assert [n.kind for n in notices_of(session, m.buyer)] == ["saved_search"]
    assert digests(session, client) == 1
    run_jobs(engine, worker_settings(client, port, tmp_path))
    (mail,) = mails_to(inbox, m.buyer.email)
    text = mail.get_body(("plain",)).get_content()
    assert "New listings for your saved searches:" in text and f"{BASE_URL}/listings/{m.offer.id}" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mails_to(inbox, m.seller.email) == []
    assert len(notices_of(session, m.seller)) == 1  # in the app all the same


def test_a_dismissed_side_is_not_notified(client: TestClient, session: Session) -> None:
    m = market(session)
    match = add_match(session, m.request, m.offer)
    match.dismissed_by_buyer = True
    session.add(match)
    session.commit()
    assert digests(session, client) == 1
    assert notices_of(session, m.buyer) == [] and len(notices_of(session, m.seller)) == 1
    total = session.execute(select(func.count()).select_from(MailMessage)).scalar_one()
    assert total == 1


def test_a_published_request_is_matched_and_notified_in_the_app_by_the_worker_before_any_digest(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from marketplace.listings.sync import queue_listing_sync

    inbox, port = smtp_server
    m = market(session)
    for listing in (m.offer, m.request):
        listing.hs_code = "090121"
        listing.description = "Roasted arabica coffee beans, medium roast, 1 kg bags."
        queue_listing_sync(session, listing)
    session.commit()
    run_jobs(engine, worker_settings(client, port, tmp_path))
    (notice,) = notices_of(session, m.buyer)
    assert (notice.kind, notice.listing_id) == ("match", m.offer.id)
    assert len(notices_of(session, m.seller)) == 1
    assert inbox.messages == []  # the e-mail waits for the digest job
