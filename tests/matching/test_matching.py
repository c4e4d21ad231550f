"""Matching with the real encoder, on SQLite and PostgreSQL: cross-language ranking, storage, alerts, API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.mail.models import MailMessage
from marketplace.matching.alerts import send_match_digests
from marketplace.matching.models import Match
from marketplace.matching.service import match_listing
from search.matching.vectors import VectorItem, VectorStore
from tests.factories import make_company, make_listing
from tests.webtools import csrf_from, make_user, sign_in

TODAY = utcnow().date()


@pytest.fixture
def store(encoder, tmp_path: Path) -> VectorStore:  # type: ignore[no-untyped-def]
    return VectorStore(tmp_path / "vectors", encoder=encoder)


def coffee_market(session: Session):  # type: ignore[no-untyped-def]
    """A Mexican buyer of roasted coffee and offers in three languages, with a look-alike (green coffee)."""
    buyer = make_company(session, name="Cafetería Central", country="MX")
    colombia = make_company(session, name="Tostadores Andinos", country="CO")
    brazil = make_company(session, name="Torrefação Mineira", country="BR")
    peru = make_company(session, name="Cooperativa Verde", country="PE")
    mexico = make_company(session, name="Café de Veracruz", country="MX")
    offers = {
        "roasted_en": make_listing(session, company=colombia, title="Roasted coffee beans", language="en",
                                   description="Medium roast arabica whole beans in 1 kg valve bags.", hs_code="090121"),
        "roasted_pt": make_listing(session, company=brazil, title="Café torrado em grãos", language="pt",
                                   description="Café arábica torrado, grãos inteiros, pacotes de 1 kg.", hs_code="090121"),
        "green": make_listing(session, company=peru, title="Green coffee beans for export", language="en",
                              description="Unroasted washed arabica, 60 kg jute bags.", hs_code="090111"),
        "domestic": make_listing(session, company=mexico, title="Café tostado en grano de Veracruz", language="es",
                                 description="Tueste medio, bolsas de 1 kg.", hs_code="090121"),
        "shoes": make_listing(session, company=brazil, title="Leather shoes for men", language="en",
                              description="Full-grain leather oxford shoes.", hs_code="640399"),
    }  # fmt: skip
    request = make_listing(session, company=buyer, kind="request", title="Café tostado en grano", language="es",
                           description="Buscamos café tostado en grano para nuestras cafeterías.", hs_code="090121")  # fmt: skip
    session.commit()
    return buyer, request, offers


def index_all(session: Session, store: VectorStore, ids: list[int]) -> None:
    for listing_id in ids:
        match_listing(session, store, listing_id, today=TODAY)
    session.commit()


def test_a_spanish_request_finds_roasted_coffee_in_english_and_portuguese_before_green_coffee(
    session: Session, store: VectorStore
) -> None:
    _, request, offers = coffee_market(session)
    index_all(session, store, [o.id for o in offers.values()])  # type: ignore[misc]
    matches = match_listing(session, store, request.id, today=TODAY)  # type: ignore[arg-type]
    session.commit()
    ranked = [m.offer_listing_id for m in sorted(matches, key=lambda m: -m.score)]
    assert set(ranked[:2]) == {offers["roasted_en"].id, offers["roasted_pt"].id}
    if offers["green"].id in ranked:
        assert ranked.index(offers["green"].id) > 1
    assert offers["domestic"].id not in ranked  # same country as the buyer: excluded by default
    assert offers["shoes"].id not in ranked
    first = next(m for m in matches if m.offer_listing_id == offers["roasted_pt"].id)
    codes = {reason["code"] for reason in first.reasons}
    assert {"same_hs_subheading", "similar_meaning_other_language", "other_country"} <= codes


def test_rerunning_matching_and_digests_creates_no_duplicate_matches_or_mails(
    session: Session, store: VectorStore
) -> None:
    buyer, request, offers = coffee_market(session)
    user = make_user(session, email="compras@cafeteria.example", locale="es")
    seller = make_user(session, email="ventas@andinos.example")
    session.add(Membership(user_id=user.id, company_id=buyer.id, role="owner"))  # type: ignore[arg-type]
    session.add(Membership(user_id=seller.id, company_id=offers["roasted_en"].company_id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    index_all(session, store, [o.id for o in offers.values()])  # type: ignore[misc]
    for _ in range(2):
        match_listing(session, store, request.id, today=TODAY)  # type: ignore[arg-type]
        session.commit()
        send_match_digests(session, base_url="https://puente.example", secret_key="s" * 32)
        session.commit()
    pairs = session.execute(select(Match.request_listing_id, Match.offer_listing_id)).all()
    assert len(pairs) == len(set(pairs)) >= 2
    to_buyer = (
        session.execute(select(MailMessage).where(MailMessage.to_address == user.email)).scalars().all()
    )
    to_seller = (
        session.execute(select(MailMessage).where(MailMessage.to_address == seller.email)).scalars().all()
    )
    assert len(to_buyer) == 1 and len(to_seller) == 1  # one digest each, never repeated
    assert f"https://puente.example/listings/{offers['roasted_en'].id}" in to_buyer[0].body_text
    assert "Café torrado em grãos" in to_buyer[0].body_text
    assert f"https://puente.example/listings/{request.id}" in to_seller[0].body_text
    assert all(m.notified_at is not None for m in session.execute(select(Match)).scalars())


def test_unchanged_listings_are_not_re_encoded_and_changed_text_is(
    store: VectorStore, tmp_path: Path
) -> None:
    item = VectorItem(1, 1, "offer", "Roasted coffee beans", "Medium roast.")
    first = store.ensure([item])[0]
    store.ensure(
        [VectorItem(1, 2, "offer", "Roasted coffee beans", "Medium roast.")]
    )  # a price change: same text
    assert store.encoded == 1 and store.version(1) == 2
    changed = store.ensure([VectorItem(1, 3, "offer", "Leather handbags", "Made in León.")])[0]
    assert store.encoded == 2 and float(first @ changed) < 0.9
    store.save()
    reloaded = VectorStore(tmp_path / "vectors", encoder=store.encoder)
    assert reloaded.version(1) == 3 and reloaded.nearest(changed, kind="offer", k=1)[0][0] == 1
    reloaded.remove(1)
    assert reloaded.nearest(changed, k=5) == []


def test_a_closed_listing_leaves_the_store_and_is_proposed_to_nobody(
    session: Session, store: VectorStore
) -> None:
    _, request, offers = coffee_market(session)
    index_all(session, store, [o.id for o in offers.values()])  # type: ignore[misc]
    offers["roasted_en"].status = "closed"
    session.add(offers["roasted_en"])
    session.commit()
    match_listing(session, store, offers["roasted_en"].id, today=TODAY)  # type: ignore[arg-type]
    found = match_listing(session, store, request.id, today=TODAY)  # type: ignore[arg-type]
    assert offers["roasted_en"].id not in {m.offer_listing_id for m in found}
    assert store.get(offers["roasted_en"].id) is None  # type: ignore[arg-type]


def test_publishing_queues_matching_and_the_worker_stores_matches_and_mails_a_digest(
    session: Session,
    engine,
    encoder,
    smtp_server,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    inbox, port = smtp_server
    settings = Settings.from_env(
        {
            "PUENTE_DATA_DIR": str(tmp_path / "data"),
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PUENTE_BASE_URL": "https://puente.example",
        }
    )
    buyer, request, offers = coffee_market(session)
    user = make_user(session, email="compras@cafeteria.example")
    session.add(Membership(user_id=user.id, company_id=buyer.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    from marketplace.listings.sync import queue_listing_sync

    for listing in [*offers.values(), request]:
        queue_listing_sync(session, listing)
    session.commit()
    queued = session.execute(
        select(func.count()).select_from(Job).where(Job.kind == "matching.match_listing")
    ).scalar_one()
    assert queued == len(offers) + 1
    worker = Worker(engine, default_registry(settings))
    worker.drain()
    session.expire_all()
    stored = session.execute(select(Match).where(Match.request_listing_id == request.id)).scalars().all()
    assert {offers["roasted_en"].id, offers["roasted_pt"].id} <= {m.offer_listing_id for m in stored}
    send_match_digests(session, base_url=settings.base_url, secret_key=settings.secret_key)
    session.commit()
    worker.drain()
    received = [message for recipients, message in inbox.messages if recipients == [user.email]]
    assert len(received) == 1
    assert (
        f"https://puente.example/listings/{offers['roasted_pt'].id}"
        in received[0].get_body(("plain",)).get_content()
    )


def test_api_lists_a_listings_matches_with_reasons_and_hides_them_from_others(
    client: TestClient,
    session: Session,
    encoder,  # type: ignore[no-untyped-def]
) -> None:
    buyer, request, offers = coffee_market(session)
    make_user(session, email="compras@cafeteria.example")
    outsider = make_company(session, name="Otra", country="CL")
    make_user(session, email="otra@example.org")
    session.commit()
    from marketplace.accounts.models import User

    owner = session.execute(select(User).where(User.email == "compras@cafeteria.example")).scalar_one()
    other = session.execute(select(User).where(User.email == "otra@example.org")).scalar_one()
    session.add(Membership(user_id=owner.id, company_id=buyer.id, role="owner"))  # type: ignore[arg-type]
    session.add(Membership(user_id=other.id, company_id=outsider.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    store = VectorStore(None, encoder=encoder)
    index_all(session, store, [o.id for o in offers.values()])  # type: ignore[misc]
    match_listing(session, store, request.id, today=TODAY)  # type: ignore[arg-type]
    session.commit()

    sign_in(client, "compras@cafeteria.example")
    body = client.get(f"/api/v1/listings/{request.id}/matches", headers={"Accept-Language": "en"}).json()
    assert body["total"] == len(body["items"]) >= 2
    first = body["items"][0]
    assert set(first) >= {"id", "score", "listing_id", "title", "company_name", "country", "reasons", "url"}
    assert first["listing_id"] in {offers["roasted_en"].id, offers["roasted_pt"].id}
    assert all(r["code"] and r["text"] for r in first["reasons"])
    assert any(r["text"].startswith("Same HS subheading") for r in first["reasons"])
    page = client.get(f"/listings/{request.id}")
    assert "Matches for this listing" in page.text and "Café torrado em grãos" in page.text
    assert "Matches for you" in client.get(f"/dashboard?company={buyer.id}").text

    token = csrf_from(client, f"/listings/{request.id}")
    dismissed = client.post(f"/api/v1/matches/{first['id']}/dismiss", headers={"X-CSRF-Token": token})
    assert dismissed.status_code == 204
    after = client.get(f"/api/v1/listings/{request.id}/matches").json()
    assert first["id"] not in {item["id"] for item in after["items"]}

    client.post("/signout", data={"csrf_token": token})
    client.cookies.clear()
    sign_in(client, "otra@example.org")
    assert client.get(f"/api/v1/listings/{request.id}/matches").status_code == 404
    outsider_page = client.get(f"/listings/{request.id}").text
    assert "Matches for this listing" not in outsider_page and "Matches for you" not in outsider_page
    assert (
        client.post(
            f"/api/v1/matches/{first['id']}/dismiss", headers={"X-CSRF-Token": csrf_from(client, "/")}
        ).status_code
        == 404
    )


def test_search_shows_listings_found_only_by_meaning_apart_with_their_language(
    client: TestClient,
    session: Session,
    app_settings,
    encoder,  # type: ignore[no-untyped-def]
) -> None:
    from marketplace.matching.jobs import vector_store

    _, request, offers = coffee_market(session)
    index_all(session, vector_store(app_settings), [o.id for o in [*offers.values(), request]])  # type: ignore[misc]
    page = client.get("/search/other-languages?q=roasted coffee", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Also in other languages" in page.text
    assert "Café torrado em grãos" in page.text and ">PT<" in page.text
    assert "Roasted coffee beans" not in page.text  # same language as the searcher: the main results' job
    assert "Leather shoes" not in page.text
    nothing = client.get("/search/other-languages?q=", headers={"Accept-Language": "en"})
    assert "Also in other languages" not in nothing.text


def test_rematch_queues_each_matchable_listing_once_a_day(session: Session) -> None:
    from marketplace.matching.service import queue_rematch_all

    _, _request, offers = coffee_market(session)
    offers["shoes"].status = "closed"
    session.add(offers["shoes"])
    session.commit()
    assert queue_rematch_all(session, today=TODAY) == len(offers)  # the request and the 4 open offers
    session.commit()
    assert queue_rematch_all(session, today=TODAY) == 0
