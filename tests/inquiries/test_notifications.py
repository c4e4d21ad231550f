"""Notifications: in-app, and one grouped e-mail per user per period, received by a real SMTP server."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.inquiries.models import Inquiry, InquiryNotification
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from tests.inquiries.tools import browser_of, reply, scene, send
from tests.webtools import post_form


def end_of_digest_period(engine: Engine) -> None:
    """Move the queued digests to now, as if the grouping period had passed."""
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.kind == "inquiries.digest").values(run_after=utcnow()))


def run_jobs(engine: Engine, port: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(
        {
            "PUENTE_DATA_DIR": str(tmp_path / "worker"),
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PUENTE_BASE_URL": "https://puente.example",
        }
    )
    Worker(engine, default_registry(settings)).drain()


def test_several_messages_reach_the_seller_as_one_email_with_links(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    session.commit()
    inquiry = session.execute(select(Inquiry)).scalar_one()
    reply(buyer, inquiry.id, "Olvidé decir: necesitamos calibre 60.")
    reply(buyer, inquiry.id, "Y entrega en Ciudad de Guatemala.")
    run_jobs(engine, port, tmp_path)
    assert inbox.messages == []  # nothing before the grouping period ends
    end_of_digest_period(engine)
    run_jobs(engine, port, tmp_path)
    ((recipients, mail),) = inbox.messages
    assert recipients == [s.seller.email]
    assert "3 new messages" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert text.count(f"https://puente.example/inquiries/{inquiry.id}") == 3
    assert (
        "New inquiry from Café Altiplano" in text and "calibre 60" in text and "Ciudad de Guatemala" in text
    )
    html = mail.get_body(("html",)).get_content()
    assert f'href="https://puente.example/inquiries/{inquiry.id}"' in html
    run_jobs(engine, port, tmp_path)
    assert len(inbox.messages) == 1  # each notice is mailed once

    seller = browser_of(client, s.seller.email)
    reply(seller, inquiry.id, "Con gusto, les enviamos la cotización.")
    end_of_digest_period(engine)
    run_jobs(engine, port, tmp_path)
    (recipients, mail) = inbox.messages[1]
    assert recipients == [s.buyer.email] and "1 new message about" in mail["Subject"]
    assert "New reply from Aguacates Sierra del Tigre" in mail.get_body(("plain",)).get_content()


def test_settings_turn_off_emails_but_notices_stay_in_the_app(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    s = scene(session)
    seller = browser_of(client, s.seller.email)
    saved = post_form(seller, "/inquiries/settings", {"email_replies": "1"})
    assert saved.status_code == 303
    assert 'name="email_new_inquiries" value="1">' in seller.get("/inquiries/settings").text  # unchecked now
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    end_of_digest_period(engine)
    run_jobs(engine, port, tmp_path)
    assert inbox.messages == []
    session.commit()
    assert session.execute(select(InquiryNotification.user_id)).scalars().all() == [s.seller.id]
    assert "1 unread message" in seller.get("/inquiries").text


def test_a_notice_read_in_the_app_before_the_digest_is_not_mailed(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    session.commit()
    inquiry = session.execute(select(Inquiry)).scalar_one()
    browser_of(client, s.seller.email).get(f"/inquiries/{inquiry.id}")
    end_of_digest_period(engine)
    run_jobs(engine, port, tmp_path)
    assert inbox.messages == []


def test_notification_settings_through_the_api(client: TestClient, session: Session) -> None:
    from tests.inquiries.tools import api_headers

    s = scene(session)
    seller = browser_of(client, s.seller.email)
    assert seller.get("/api/v1/inquiry-settings").json() == {
        "email_new_inquiries": True,
        "email_replies": True,
        "email_matches": True,
        "email_saved_searches": True,
        "alert_digest": "immediate",
    }
    changed = seller.put(
        "/api/v1/inquiry-settings",
        json={"email_new_inquiries": True, "email_replies": False},
        headers=api_headers(seller),
    )
    assert changed.status_code == 200
    assert seller.get("/api/v1/inquiry-settings").json() == {
        "email_new_inquiries": True,
        "email_replies": False,
        "email_matches": True,
        "email_saved_searches": True,
        "alert_digest": "immediate",
    }
