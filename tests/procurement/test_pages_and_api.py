"""The procurement page (search, facets), a notice's page, opportunities for a company, and the JSON API."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.core.models import utcnow
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.procurement.models import ProcurementNotice
from marketplace.procurement.sync import queue_notice_syncs
from tests.factories import make_company, make_listing
from tests.webtools import make_user, sign_in


def drain(client: TestClient, engine: Engine) -> None:
    app = client.app
    Worker(engine, default_registry(app.state.settings, search_engine=app.state.search)).drain()  # type: ignore[attr-defined]


def make_notice(session: Session, **fields) -> ProcurementNotice:  # type: ignore[no-untyped-def]
    now = utcnow()
    notice = ProcurementNotice(
        ocid=fields.pop("ocid", f"ocds-test-{fields.get('title', 'x')[:20]}"),
        title=fields.pop("title", "Adquisición de café tostado"),
        buyer_name=fields.pop("buyer_name", "Ministerio de Salud"),
        country=fields.pop("country", "PY"),
        status=fields.pop("status", "active"),
        tender_end=fields.pop("tender_end", now + timedelta(days=10)),
        release_date=fields.pop("release_date", now - timedelta(days=1)),
        language="es",
        **fields,
    )
    session.add(notice)
    session.flush()
    queue_notice_syncs(session, [(notice.id, notice.version)])
    return notice


def seed(session: Session) -> dict[str, ProcurementNotice]:
    now = utcnow()
    notices = {
        "coffee": make_notice(
            session,
            title="Adquisición de café tostado para comedores",
            items=[{"description": "Café tostado molido", "scheme": "unspsc", "code": "50201706"}],
            classifications=["unspsc:50201706"],
            tender_end=now + timedelta(days=5),
        ),
        "paving": make_notice(
            session,
            title="Construcción de pavimento tipo empedrado",
            buyer_name="Municipalidad de Ciudad del Este",
            classifications=["unspsc:72131701"],
            tender_end=now + timedelta(days=60),
        ),
        "old": make_notice(
            session,
            title="Café en grano para oficinas",
            country="EC",
            buyer_name="SERCOP",
            status="complete",
            tender_end=now - timedelta(days=400),
            classifications=["cpc:23911"],
        ),
        "cancelled": make_notice(session, title="Servicio de limpieza", status="cancelled", country="MX"),
    }
    session.commit()
    return notices


def test_procurement_page_searches_with_typos_and_facets(
    client: TestClient, session: Session, engine: Engine
) -> None:
    notices = seed(session)
    drain(client, engine)
    page = client.get("/procurement", params={"q": "cafe tostdo"})
    assert page.status_code == 200
    assert "<mark>café</mark>" in page.text.lower() and "pavimento" not in page.text
    # Default order: open ones first, soonest deadline first; closed and cancelled after.
    everything = client.get("/procurement").text
    order = [everything.index(n.title) for n in (notices["coffee"], notices["paving"])]
    assert order == sorted(order) and everything.index(notices["paving"].title) < everything.index(
        "Café en grano"
    )
    only_open = client.get("/procurement", params={"status": "open"}).text
    assert "Servicio de limpieza" not in only_open and "Café en grano" not in only_open
    soon = client.get("/procurement", params={"closing_within": 7}).text
    assert "café tostado" in soon and "pavimento" not in soon
    by_buyer = client.get("/procurement", params={"buyer": "Municipalidad de Ciudad del Este"}).text
    assert "pavimento" in by_buyer and "café tostado" not in by_buyer
    by_class = client.get("/procurement", params={"classification": "unspsc:50"}).text
    assert "café tostado" in by_class and "pavimento" not in by_class
    by_country = client.get("/procurement", params={"country": "EC"}).text
    assert "Café en grano" in by_country and "café tostado" not in by_country
    assert client.get("/procurement", params={"classification": "x%' OR 1=1"}).status_code == 422
    assert client.get("/procurement", params={"closing_within": "0"}).status_code == 422


def test_notice_page_shows_fields_and_marks_closed(client: TestClient, session: Session) -> None:
    notices = seed(session)
    page = client.get(f"/procurement/{notices['old'].id}")
    assert page.status_code == 200 and "Café en grano para oficinas" in page.text and "Closed" in page.text
    assert "The publisher gives no link to the official notice." in page.text
    assert client.get("/procurement/999999").status_code == 404


def test_api_lists_and_reads_notices(client: TestClient, session: Session) -> None:
    notices = seed(session)
    body = client.get("/api/v1/procurement/notices", params={"status": "open", "per_page": 10}).json()
    assert body["total"] == 2 and [i["id"] for i in body["items"]] == [
        notices["coffee"].id,
        notices["paving"].id,
    ]
    assert all(i["state"] == "open" for i in body["items"])
    one = client.get(f"/api/v1/procurement/notices/{notices['cancelled'].id}").json()
    assert one["state"] == "cancelled" and one["status"] == "cancelled"
    bad = client.get("/api/v1/procurement/notices", params={"per_page": 500})
    assert bad.status_code == 422 and "per_page" in bad.json()["error"]["fields"]


def test_opportunities_fit_the_company_with_reasons_and_are_private(
    client: TestClient, session: Session
) -> None:
    notices = seed(session)
    company = make_company(session, name="Café Altura", country="PY", sectors=["agrifood"])
    make_listing(session, company=company, title="Café tostado de especialidad", hs_code="090121")
    user = make_user(session, email="ana@example.org")
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))
    other = make_company(session, name="Otra", country="MX")
    session.commit()
    sign_in(client, "ana@example.org")
    body = client.get(f"/api/v1/companies/{company.id}/opportunities").json()
    assert [o["notice"]["id"] for o in body["open"]] == [notices["coffee"].id]
    assert body["recent_closed"] == []
    assert any("café" in reason or "cafe" in reason for reason in body["open"][0]["reasons"])
    assert client.get(f"/api/v1/companies/{other.id}/opportunities").status_code == 404
    dashboard = client.get(f"/dashboard?company={company.id}")
    assert "Opportunities for you" in dashboard.text and "Adquisición de café tostado" in dashboard.text
    page = client.get("/procurement/opportunities")
    assert page.status_code == 200 and "Adquisición de café tostado" in page.text


def test_when_nothing_open_fits_recent_closed_ones_are_shown_as_closed(
    client: TestClient, session: Session
) -> None:
    now = utcnow()
    make_notice(
        session, title="Café en grano para oficinas", status="complete", tender_end=now - timedelta(days=400)
    )
    make_notice(session, title="Muebles de oficina", tender_end=now + timedelta(days=3))
    company = make_company(session, name="Café Altura", country="PY")
    make_listing(session, company=company, title="Café tostado en grano")
    user = make_user(session, email="ana@example.org")
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))
    session.commit()
    sign_in(client, "ana@example.org")
    body = client.get(f"/api/v1/companies/{company.id}/opportunities").json()
    assert body["open"] == []
    [closed] = body["recent_closed"]
    assert closed["notice"]["state"] == "closed"
    assert closed["notice"]["tender_end"].startswith(str((now - timedelta(days=400)).date()))  # the real date
    page = client.get(f"/procurement/opportunities?company={company.id}").text
    assert "No open tender fits" in page and "closed " in page and "Muebles" not in page
