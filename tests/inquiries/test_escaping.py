"""Every field carrying an XSS payload comes out inert: escaped in pages and e-mails, literal JSON in the API."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.inquiries.models import Inquiry
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.mail.models import MailMessage
from tests.factories import make_company, make_listing
from tests.inquiries.tools import INQUIRY, advisor_of, api_headers, browser_of, centre_of, member, reply
from tests.webtools import post_form

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    '<a href="javascript:alert(3)">clic</a>',
    "</textarea><script>alert(4)</script>",
    "<iframe srcdoc='<script>alert(5)</script>'></iframe>",
]
FORM_FIELDS = (
    "quantity",
    "unit",
    "price",
    "currency",
    "delivery_country",
    "incoterm",
    "needed_by",
    "from_company_id",
)


def assert_inert(text: str, where: str) -> None:
    for payload in PAYLOADS:
        assert payload not in text, f"raw payload {payload!r} in {where}"
    for dangerous in ("<script>alert", "<img src=x", "<svg onload", "<iframe srcdoc", 'href="javascript:'):
        assert dangerous not in text, f"{dangerous!r} in {where}"


def test_payloads_in_every_field_stay_inert_in_pages_emails_and_api(
    client: TestClient, session: Session, engine: Engine, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    seller_company = make_company(
        session, name=PAYLOADS[5], contact_email="ventas@x.example", phone=PAYLOADS[3]
    )
    seller = member(session, seller_company, "vende@x.example", name=PAYLOADS[4])
    offer = make_listing(
        session, company=seller_company, title="Oferta " + PAYLOADS[2], description=PAYLOADS[0]
    )
    buyer_company = make_company(session, name=PAYLOADS[0])
    buyer = member(session, buyer_company, "compra@x.example", name=PAYLOADS[1])
    session.commit()
    buyer_browser = browser_of(client, buyer.email)

    # Every structured field of the form gets a payload: refused, and re-shown escaped.
    rejected = post_form(
        buyer_browser,
        f"/listings/{offer.id}/inquire",
        {
            "message": "\n".join(PAYLOADS),
            **{name: PAYLOADS[i % len(PAYLOADS)] for i, name in enumerate(FORM_FIELDS)},
        },
    )
    assert rejected.status_code == 422
    assert_inert(rejected.text, "the re-rendered inquiry form")
    assert str(escape(PAYLOADS[0])) in rejected.text

    sent = post_form(
        buyer_browser,
        f"/listings/{offer.id}/inquire",
        {**INQUIRY, "from_company_id": str(buyer_company.id), "message": "Hola\n" + "\n".join(PAYLOADS)},
    )
    assert sent.status_code == 303
    session.commit()
    inquiry = session.execute(select(Inquiry)).scalar_one()
    seller_browser = browser_of(client, seller.email)
    reply(seller_browser, inquiry.id, "Respuesta " + " ".join(reversed(PAYLOADS)))
    bad_reply = reply(buyer_browser, inquiry.id, "x" * 4001 + PAYLOADS[0])
    assert bad_reply.status_code == 422 and str(escape(PAYLOADS[0])) in bad_reply.text

    pages = {
        "buyer's thread": buyer_browser.get(f"/inquiries/{inquiry.id}"),
        "seller's thread": seller_browser.get(f"/inquiries/{inquiry.id}"),
        "buyer's inbox": buyer_browser.get("/inquiries"),
        "seller's inbox": seller_browser.get("/inquiries"),
        "listing page": buyer_browser.get(f"/listings/{offer.id}"),
        "inquiry form": buyer_browser.get(f"/listings/{offer.id}/inquire"),
        "company page": buyer_browser.get(f"/companies/{seller_company.id}"),
    }
    for where, page in pages.items():
        assert page.status_code == 200, where
        assert_inert(page.text, where)
    thread = pages["buyer's thread"].text
    assert str(escape(PAYLOADS[3])) in thread  # the revealed phone, escaped
    assert str(escape(PAYLOADS[1])) in pages["seller's thread"].text  # the buyer's name

    api = buyer_browser.get(f"/api/v1/inquiries/{inquiry.id}")
    assert api.headers["content-type"].startswith("application/json")
    bodies = [m["body"] for m in api.json()["messages"]]
    assert bodies[0] == "Hola\n" + "\n".join(PAYLOADS)  # the exact text, as data
    assert api.json()["contact"]["phone"] == PAYLOADS[3] and api.json()["contact"]["name"] == PAYLOADS[5]
    created = buyer_browser.post(
        f"/api/v1/inquiries/{inquiry.id}/messages",
        json={"message": PAYLOADS[0] + " otra vez"},
        headers=api_headers(buyer_browser),
    )
    assert created.status_code == 201 and created.json()["body"] == PAYLOADS[0] + " otra vez"

    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.kind == "inquiries.digest").values(run_after=utcnow()))
    Worker(engine, default_registry(Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path / "w")}))).drain()
    session.commit()
    mails = session.execute(select(MailMessage)).scalars().all()
    assert [m.to_address for m in mails] == [seller.email]  # the buyer read the reply in the app first
    for mail in mails:
        assert mail.body_html is not None
        assert_inert(mail.body_html, f"the HTML e-mail to {mail.to_address}")
        assert html.escape(PAYLOADS[0]) in mail.body_html  # the sender's company name and the message


def test_the_advisors_byline_escapes_the_advisor_company_and_centre_names(
    client: TestClient, session: Session
) -> None:
    seller_company = make_company(session, name=PAYLOADS[0])
    seller = member(session, seller_company, "vende@xss.example")
    offer = make_listing(session, company=seller_company, title="Cacao", kind="offer")
    buyer_company = make_company(session, name="Compradora")
    buyer = member(session, buyer_company, "compra@xss.example")
    session.commit()
    sender = browser_of(client, buyer.email)
    post_form(sender, f"/listings/{offer.id}/inquire", {**INQUIRY, "from_company_id": str(buyer_company.id)})
    inquiry_id = session.execute(select(Inquiry.id)).scalar_one()
    advisor = advisor_of(session, seller_company, "asesora@xss.example", consent=True, name=PAYLOADS[1])
    centre = centre_of(session, advisor)
    centre.name = PAYLOADS[2]
    session.add(centre)
    session.commit()
    reply(browser_of(client, advisor.email), inquiry_id, "Respuesta de la asesora.")
    for viewer in (sender, browser_of(client, seller.email)):
        page = viewer.get(f"/inquiries/{inquiry_id}").text
        for payload in PAYLOADS[:3]:
            assert payload not in page and str(escape(payload)) in page
    message = sender.get(f"/api/v1/inquiries/{inquiry_id}").json()["messages"][-1]
    assert (message["sender_name"], message["sender_company_name"]) == (PAYLOADS[1], PAYLOADS[0])
