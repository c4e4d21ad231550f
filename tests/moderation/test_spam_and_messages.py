"""Spam reports from the inbox join the same queue; restoring a thread removes the count against its sender.
Messages can be reported and hidden too."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.inquiries.models import Inquiry, Message
from marketplace.inquiries.service import spam_reports_against
from marketplace.moderation.models import Report
from tests.inquiries.tools import send
from tests.moderation.tools import XSS, act, browser, report, scene, token_for, trail
from tests.webtools import make_user, post_form


def _thread(client: TestClient, session: Session, s, body: str) -> Inquiry:  # type: ignore[no-untyped-def]
    buyer = browser(client, s.reporter.email)
    assert send(buyer, s.listing.id, company=s.reporter_company, message=body).status_code == 303
    session.commit()
    return session.execute(select(Inquiry).order_by(Inquiry.id.desc())).scalars().first()  # type: ignore[return-value]


def test_spam_report_joins_the_queue_and_restore_undoes_it(client: TestClient, session: Session) -> None:
    s = scene(session)
    inquiry = _thread(client, session, s, "Compre seguidores baratos aquí " + XSS)
    seller = browser(client, s.seller.email)
    spam = post_form(seller, f"/inquiries/{inquiry.id}/spam", {}, form_page=f"/inquiries/{inquiry.id}")
    assert spam.status_code == 303
    session.commit()
    assert spam_reports_against(session, s.reporter.id) == 1  # type: ignore[arg-type]
    reports = list(session.execute(select(Report)).scalars())
    assert [(r.object_type, r.object_id, r.reason, r.reporter_user_id) for r in reports] == [
        ("inquiry", inquiry.id, "spam", s.seller.id)
    ]

    admin = browser(client, s.admin.email)
    queue = admin.get("/admin/moderation")
    assert "Compre seguidores baratos" in queue.text and XSS not in queue.text
    assert act(admin, "inquiry", inquiry.id, "restore", "No es spam: consulta legítima").status_code == 303
    session.refresh(inquiry)
    assert inquiry.status == "open" and inquiry.reported_at is None
    assert spam_reports_against(session, s.reporter.id) == 0  # type: ignore[arg-type]
    assert f"/inquiries/{inquiry.id}" in seller.get("/inquiries").text  # back in the seller's inbox
    session.refresh(reports[0])
    assert reports[0].status == "dismissed"
    assert [row[0] for row in trail(session, "inquiry", inquiry.id)] == ["report", "restore"]
    again = act(admin, "inquiry", inquiry.id, "restore", "otra vez")
    assert again.status_code == 409  # nothing left to undo


def test_confirmed_spam_keeps_counting_against_the_sender(client: TestClient, session: Session) -> None:
    s = scene(session)
    inquiry = _thread(client, session, s, "Oferta de préstamos sin intereses, escriba ya")
    seller = browser(client, s.seller.email)
    post_form(seller, f"/inquiries/{inquiry.id}/spam", {}, form_page=f"/inquiries/{inquiry.id}")
    admin = browser(client, s.admin.email)
    assert act(admin, "inquiry", inquiry.id, "dismiss", "Spam confirmado").status_code == 303
    session.refresh(inquiry)
    assert inquiry.status == "spam"
    assert spam_reports_against(session, s.reporter.id) == 1  # type: ignore[arg-type]
    assert "Oferta de préstamos" not in admin.get("/admin/moderation").text


def test_reported_message_can_be_hidden_and_shown_again(client: TestClient, session: Session) -> None:
    s = scene(session)
    inquiry = _thread(client, session, s, "Mensaje ofensivo de prueba para moderar")
    message = session.execute(select(Message).where(Message.inquiry_id == inquiry.id)).scalars().one()
    seller = browser(client, s.seller.email)
    assert report(seller, "message", message.id, "offensive").status_code == 200
    make_user(session, email="otra@empresa.example")
    session.commit()
    outsider = browser(client, "otra@empresa.example")  # not in this thread: cannot report it
    assert outsider.get(f"/reports/new?object_type=message&object_id={message.id}").status_code == 404
    admin = browser(client, s.admin.email)
    case = admin.get(f"/admin/moderation/message/{message.id}")
    assert "Mensaje ofensivo de prueba" in case.text
    assert act(admin, "message", message.id, "hide", "Lenguaje ofensivo").status_code == 303
    seen_by_receiver = seller.get(f"/inquiries/{inquiry.id}").text
    assert "Mensaje ofensivo de prueba" not in seen_by_receiver
    assert "hidden by the moderators" in seen_by_receiver
    api_thread = seller.get(f"/api/v1/inquiries/{inquiry.id}", headers=token_for(session, s.seller)).json()
    assert "Mensaje ofensivo de prueba" not in str(api_thread)  # nor through the API
    sender_api = client.get(f"/api/v1/inquiries/{inquiry.id}", headers=token_for(session, s.reporter)).json()
    assert "Mensaje ofensivo de prueba" in str(sender_api)
    seen_by_sender = browser(client, s.reporter.email).get(f"/inquiries/{inquiry.id}").text
    assert "Mensaje ofensivo de prueba" in seen_by_sender and "Lenguaje ofensivo" in seen_by_sender
    assert act(admin, "message", message.id, "unhide", "Revisado").status_code == 303
    assert "Mensaje ofensivo de prueba" in seller.get(f"/inquiries/{inquiry.id}").text
    assert [row[0] for row in trail(session, "message", message.id)] == ["report", "hide", "unhide"]
