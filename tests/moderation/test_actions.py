"""Reports and the admins' actions, each with its undo: hide, warn, suspend, dismiss, and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.imports.reader import read_rows
from marketplace.imports.service import import_listings
from marketplace.listings.models import Listing
from marketplace.moderation.models import Report
from tests.moderation.tools import XSS, act, browser, drain, report, scene, token_for, trail
from tests.webtools import csrf_from


def _search_titles(client: TestClient, q: str) -> list[str]:
    return [item["title"] for item in client.get("/api/v1/search", params={"q": q}).json()["items"]]


def test_admin_hides_a_reported_listing_and_undoes_it(
    client: TestClient, session: Session, engine: Engine
) -> None:
    s = scene(session)
    drain(client, engine)
    assert _search_titles(client, "aguacate") == ["Aguacate Hass de Jalisco"]
    reporter = browser(client, s.reporter.email)
    sent = report(reporter, "listing", s.listing.id, "fraud", details="Pide pago por adelantado " + XSS)
    assert sent.status_code == 200 and "A moderator will look at it" in sent.text

    admin = browser(client, s.admin.email)
    queue = admin.get("/admin/moderation")
    assert "Aguacate Hass de Jalisco" in queue.text and "Pide pago por adelantado" in queue.text
    assert XSS not in queue.text and "&lt;script&gt;" in queue.text  # the reporter's text comes out inert

    assert act(admin, "listing", s.listing.id, "hide", "Anuncio fraudulento").status_code == 303
    assert client.get(f"/listings/{s.listing.id}").status_code == 404  # anonymous
    assert reporter.get(f"/listings/{s.listing.id}").status_code == 404  # another company
    seller = browser(client, s.seller.email)
    own = seller.get(f"/listings/{s.listing.id}")
    assert own.status_code == 200 and "Anuncio fraudulento" in own.text  # the owner sees why
    assert "hidden by the moderators: only your team sees it" in own.text
    drain(client, engine)
    assert _search_titles(client, "aguacate") == []  # the outbox drained: the index dropped it
    assert admin.get("/admin/moderation").text.count("Aguacate Hass de Jalisco") == 0  # report resolved

    assert act(admin, "listing", s.listing.id, "unhide", "Revisado: era un error").status_code == 303
    assert client.get(f"/listings/{s.listing.id}").status_code == 200
    drain(client, engine)
    assert _search_titles(client, "aguacate") == ["Aguacate Hass de Jalisco"]

    rows = trail(session, "listing", s.listing.id)
    assert [(action, reason) for action, reason, _ in rows] == [
        ("report", "fraud"),
        ("hide", "Anuncio fraudulento"),
        ("unhide", "Revisado: era un error"),
    ]
    assert rows[1][2] == s.admin.id and rows[0][2] == s.reporter.id
    case = admin.get(f"/admin/moderation/listing/{s.listing.id}")
    assert "Anuncio fraudulento" in case.text and "admin@puente.example" in case.text


def test_an_action_needs_a_reason(client: TestClient, session: Session) -> None:
    s = scene(session)
    admin = browser(client, s.admin.email)
    response = act(admin, "listing", s.listing.id, "hide", "   ")
    assert response.status_code == 422 and "Give a reason" in response.text
    session.refresh(s.listing)
    assert not s.listing.hidden and trail(session, "listing", s.listing.id) == []


def test_one_open_report_per_reporter_and_object_and_a_rate_limit(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    reporter = browser(client, s.reporter.email)
    assert report(reporter, "listing", s.listing.id).status_code == 200
    again = report(reporter, "listing", s.listing.id)
    assert again.status_code == 409 and "already reported" in again.text
    session.commit()
    assert session.execute(select(func.count()).select_from(Report)).scalar_one() == 1
    own = report(browser(client, s.seller.email), "listing", s.listing.id)
    assert own.status_code == 422  # nobody reports their own company's listing
    for _ in range(8):  # 10 attempts an hour in all; the 11th is refused and creates nothing
        assert report(reporter, "company", s.seller_company.id).status_code in (200, 409)
    limited = report(reporter, "company", s.seller_company.id)
    assert limited.status_code == 429
    session.commit()
    assert session.execute(select(func.count()).select_from(Report)).scalar_one() == 2


def test_reports_need_a_signed_in_user_who_can_see_the_object(client: TestClient, session: Session) -> None:
    s = scene(session)
    page = client.get(f"/reports/new?object_type=listing&object_id={s.listing.id}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")
    draft = Listing(
        company_id=s.seller_company.id, kind="offer", title="Borrador", description="x", language="es"
    )
    session.add(draft)
    session.commit()
    reporter = browser(client, s.reporter.email)
    assert reporter.get(f"/reports/new?object_type=listing&object_id={draft.id}").status_code == 404


def test_suspension_hides_the_companys_listings_and_blocks_publishing_until_lifted(
    client: TestClient, session: Session, engine: Engine
) -> None:
    s = scene(session)
    draft = Listing(
        company_id=s.seller_company.id,
        kind="offer",
        title="Limón persa",
        description="Cajas de 18 kg.",
        language="es",
    )
    session.add(draft)
    session.commit()
    admin = browser(client, s.admin.email)
    assert act(admin, "listing", s.listing.id, "suspend", "Fraude reiterado").status_code == 303
    assert client.get(f"/listings/{s.listing.id}").status_code == 404
    assert client.get(f"/companies/{s.seller_company.id}").status_code == 404
    seller = browser(client, s.seller.email)
    refused = seller.post(
        f"/listings/{draft.id}/publish", data={"csrf_token": csrf_from(seller, f"/listings/{draft.id}")}
    )
    assert refused.status_code == 409 and "suspended" in refused.text
    session.refresh(draft)
    assert draft.status == "draft"
    dashboard = seller.get("/dashboard")
    assert "Fraude reiterado" in dashboard.text and "suspended" in dashboard.text
    assert [row[0] for row in trail(session, "company", s.seller_company.id)] == ["suspend"]

    assert (
        act(admin, "company", s.seller_company.id, "unsuspend", "Documentación verificada").status_code == 303
    )
    assert client.get(f"/listings/{s.listing.id}").status_code == 200
    published = seller.post(
        f"/listings/{draft.id}/publish", data={"csrf_token": csrf_from(seller, f"/listings/{draft.id}")}
    )
    assert published.status_code in (200, 303)
    session.refresh(draft)
    assert draft.status == "published"


def test_warning_reaches_the_owner_and_dismiss_closes_reports(client: TestClient, session: Session) -> None:
    s = scene(session)
    reporter = browser(client, s.reporter.email)
    report(reporter, "company", s.seller_company.id, "offensive")
    admin = browser(client, s.admin.email)
    assert act(admin, "company", s.seller_company.id, "warn", "Cuide el tono " + XSS).status_code == 303
    page = browser(client, s.seller.email).get(f"/companies/{s.seller_company.id}")
    assert "Cuide el tono" in page.text and XSS not in page.text
    assert "Cuide el tono" not in client.get(f"/companies/{s.seller_company.id}").text  # not public
    report(reporter, "listing", s.listing.id, "spam")
    assert act(admin, "listing", s.listing.id, "dismiss", "No infringe las reglas").status_code == 303
    session.commit()
    statuses = dict(session.execute(select(Report.object_type, Report.status)).all())
    assert statuses == {"company": "resolved", "listing": "dismissed"}
    session.refresh(s.listing)
    assert not s.listing.hidden


def test_hidden_company_disappears_for_others_and_shows_the_reason_to_members(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    admin = browser(client, s.admin.email)
    assert act(admin, "company", s.seller_company.id, "hide", "Empresa inexistente").status_code == 303
    assert client.get(f"/companies/{s.seller_company.id}").status_code == 404
    assert client.get(f"/listings/{s.listing.id}").status_code == 404  # its listings go with it
    own = browser(client, s.seller.email).get(f"/companies/{s.seller_company.id}")
    assert own.status_code == 200 and "Empresa inexistente" in own.text


def test_admin_api_queue_and_actions(client: TestClient, session: Session) -> None:
    s = scene(session)
    reporter_token = token_for(session, s.reporter)
    filed = client.post(
        "/api/v1/reports",
        json={"object_type": "listing", "object_id": s.listing.id, "reason": "prohibited", "details": XSS},
        headers=reporter_token,
    )
    assert filed.status_code == 201
    admin_token = token_for(session, s.admin)
    queue = client.get("/api/v1/admin/moderation/queue", headers=admin_token).json()
    assert queue["total"] == 1
    assert queue["items"][0]["object"]["object_id"] == s.listing.id
    assert queue["items"][0]["reports"][0]["details"] == XSS  # JSON carries the text as data
    missing_reason = client.post(
        f"/api/v1/admin/moderation/listing/{s.listing.id}/actions",
        json={"action": "hide"},
        headers=admin_token,
    )
    assert missing_reason.status_code == 422
    done = client.post(
        f"/api/v1/admin/moderation/listing/{s.listing.id}/actions",
        json={"action": "hide", "reason": "Producto prohibido"},
        headers=admin_token,
    )
    assert done.status_code == 201 and done.json()["action"] == "hide"
    case = client.get(f"/api/v1/admin/moderation/listing/{s.listing.id}", headers=admin_token).json()
    assert case["object"]["hidden"] is True
    assert [entry["action"] for entry in case["trail"]] == ["hide", "report"]
    assert client.get("/api/v1/admin/moderation/queue", headers=admin_token).json()["total"] == 0


def test_a_suspended_company_cannot_publish_through_an_import(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    s = scene(session)
    s.seller_company.external_key = "co-mx-aguacates"
    session.add(s.seller_company)
    session.commit()
    admin = browser(client, s.admin.email)
    assert act(admin, "company", s.seller_company.id, "suspend", "Fraude reiterado").status_code == 303
    row = {"external_key": "li-mx-limon", "company": "co-mx-aguacates", "kind": "offer", "language": "es",
           "title": "Limón persa en caja", "description": "Cajas de 18 kg, calibre 200."}  # fmt: skip
    path = tmp_path / "listings.jsonl"
    path.write_text(
        json.dumps({**row, "status": "published"})
        + "\n"
        + json.dumps({**row, "external_key": "li-2", "status": "draft"})
        + "\n"
    )
    report_ = import_listings(session, read_rows(path), today=utcnow().date())
    session.commit()
    assert report_.created == 1 and [p.reason for p in report_.problems] == [
        "status: the company is suspended by the moderators and cannot publish"
    ]
    titles = session.execute(
        select(Listing.external_key, Listing.status).where(Listing.title == row["title"])
    ).all()
    assert titles == [("li-2", "draft")]


def test_reports_of_a_deleted_object_can_still_be_dismissed(client: TestClient, session: Session) -> None:
    s = scene(session)
    report(browser(client, s.reporter.email), "listing", s.listing.id, "spam")
    session.delete(s.listing)
    session.commit()
    admin = browser(client, s.admin.email)
    assert admin.get("/admin/moderation").status_code == 200
    assert act(admin, "listing", s.listing.id, "dismiss", "El anuncio ya no existe").status_code == 303
    assert "No open reports." in admin.get("/admin/moderation").text
    assert admin.get("/admin/moderation/listing/987654").status_code == 404  # never existed, never reported
