"""Bulk onboarding: an advisor's file of client listings, with a per-row report and the centre's rules kept."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from marketplace.centres.models import AuditEvent
from marketplace.listings.models import Listing
from tests.centres.helpers import make_world
from tests.factories import make_listing
from tests.webtools import csrf_from, sign_in

HEADER = "external_key,company,kind,title,description,language,status\n"


def _upload(client: TestClient, centre_id: int, text: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client, f"/centres/{centre_id}/import")
    return client.post(
        f"/centres/{centre_id}/import",
        data={"csrf_token": token},
        files={"file": ("clientes.csv", text.encode(), "text/csv")},
    )


def test_advisor_import_keeps_to_the_centres_clients_and_its_review(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    w.company_a.external_key, w.company_b.external_key = "co-aguacates", "co-cafe"
    session.add_all([w.company_a, w.company_b])
    other = make_listing(session, company=w.company_b, title="Café de otro", external_key="l-cafe-1")
    session.commit()
    sign_in(client, w.advisor_a.email)
    text = HEADER + (
        "l-agu-1,co-aguacates,offer,Aguacate Hass,Caja de 10 kg,es,published\n"
        "l-agu-2,co-aguacates,offer,Aguacate Méndez,Caja de 10 kg,es,draft\n"
        "l-cafe-2,co-cafe,offer,Café verde,Sacos de 70 kg,es,published\n"  # not a client of centre A
        "l-cafe-1,co-aguacates,offer,Robado,x,es,draft\n"  # another company's listing key
        "l-agu-3,co-aguacates,offer,,Sin título,es,draft\n"  # invalid row
    )
    page = _upload(client, w.centre_a.id, text)
    assert page.status_code == 200
    assert "2 created, 0 updated, 0 unchanged, 3 skipped." in page.text
    assert (
        "not an active client of this centre" in page.text
        and "used by a listing of another company" in page.text
    )
    session.commit()
    imported = {
        x.external_key: x for x in session.exec(select(Listing).where(Listing.company_id == w.company_a.id))
    }
    assert imported["l-agu-1"].status == "pending_review"  # centre A reviews: no publishing around it
    assert imported["l-agu-2"].status == "draft"
    assert all(
        imported[k].created_by_advisor and imported[k].created_by_user_id == w.advisor_a.id
        for k in ("l-agu-1", "l-agu-2")
    )
    session.refresh(other)
    assert (other.company_id, other.title) == (w.company_b.id, "Café de otro")
    events = session.exec(
        select(AuditEvent.action).where(AuditEvent.listing_id == imported["l-agu-1"].id)
    ).all()
    assert events == ["listing_created", "listing_submitted"]


def test_import_page_is_404_for_another_centres_advisor(client: TestClient, session: Session) -> None:
    w = make_world(session)
    sign_in(client, w.advisor_b.email)
    assert client.get(f"/centres/{w.centre_a.id}/import").status_code == 404
    token = csrf_from(client, "/")
    response = client.post(
        f"/centres/{w.centre_a.id}/import",
        data={"csrf_token": token},
        files={"file": ("x.csv", (HEADER + "k,co,offer,t,d,es,draft\n").encode(), "text/csv")},
    )
    assert response.status_code == 404
