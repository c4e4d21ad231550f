"""Classic XSS payloads in every user-writable field that a page shows, loaded in Chromium: none runs.

Each payload, if it ran, would set `window.__xss` or open a dialog. The data is written straight into the
database (as an old import or a bypassed form could leave it), so the templates are tested on their own,
without the input validation in front of them. One server of our own (no demo data to disturb), one browser
context signed in as a user who owns every company, advises the centre and sees every thread.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from sqlmodel import Session

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "'><svg onload=window.__xss=3>",
    "<img src=x onerror=alert(4)>",
    '<a href="javascript:window.__xss=5">clic</a>',
    "</textarea></title><script>alert(6)</script>",
    '<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>',
    "{{7*7}} ${7*7} {% raw %}",
    '" onmouseover="window.__xss=9" autofocus onfocus="window.__xss=9" x="',
    "<details open ontoggle=window.__xss=10>",
    "<body onload=window.__xss=11>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=12>",
]
JS_URL = "javascript:window.__xss=99"
MARK = "qxzv"  # a word no other text has: the search for it finds exactly our listings and notices


def payload_text(k: int, label: str) -> str:
    """The value stored in one field: a visible label, then the payload."""
    return f"{label}{k} {PAYLOADS[k]}"


@dataclass
class Hostile:
    url: str
    cookie: str
    pages: list[str] = field(default_factory=list)
    # Texts each page must show literally (as text, not markup): url -> texts
    expected: dict[str, list[str]] = field(default_factory=dict)
    # Form fields each page must fill with the stored text, unchanged: url -> {selector: text}
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)


def _seed(session: Session) -> Hostile:  # type: ignore[no-untyped-def]
    from marketplace.accounts.models import ApiToken, Membership
    from marketplace.accounts.sessions import start_session
    from marketplace.centres.models import Advisor, AuditEvent, Centre, CentreClient, Verification
    from marketplace.core.models import utcnow
    from marketplace.core.security import token_hash
    from marketplace.inquiries.models import Inquiry, Message
    from marketplace.media.models import ListingMedia
    from marketplace.outcomes.models import Outcome
    from marketplace.procurement.models import ProcurementNotice
    from marketplace.savedsearches.models import SavedSearch
    from tests.factories import make_company, make_listing
    from tests.webtools import make_user

    now = utcnow()
    viewer = make_user(session, email="viewer@xss.example", name=payload_text(0, "viewer"))
    session.add(
        ApiToken(user_id=viewer.id, name=payload_text(1, "token"), token_hash=token_hash("x"), prefix="pte_x")
    )  # type: ignore[arg-type]
    centre = Centre(
        name=payload_text(2, "centre"), country="MX", city=payload_text(3, "ccity"), network=PAYLOADS[4]
    )
    session.add(centre)
    session.flush()
    session.add(Advisor(user_id=viewer.id, centre_id=centre.id))  # type: ignore[arg-type]

    hostile = Hostile(url="", cookie="")
    companies, listings, owners, drafts = [], [], [], []
    for k, payload in enumerate(PAYLOADS):
        owner = make_user(session, email=f"owner{k}@xss.example", name=payload_text(k, "owner"))
        company = make_company(
            session,
            name=payload_text(k, "company"),
            legal_name=payload_text(k, "legal"),
            region=payload_text(k, "region"),
            city=payload_text(k, "city"),
            description=payload_text(k, "about"),
            website=JS_URL,
            contact_email=f"sales{k}@xss.example",
            phone=payload,
            whatsapp=payload,
        )
        for user, role in ((owner, "owner"), (viewer, "owner")):
            session.add(Membership(user_id=user.id, company_id=company.id, role=role))  # type: ignore[arg-type]
        session.add(CentreClient(centre_id=centre.id, company_id=company.id, status="active", consent_at=now))  # type: ignore[arg-type]
        listing = make_listing(
            session, company=company, title=f"{MARK} {payload_text(k, 'title')}",
            description=f"{MARK} {payload_text(k, 'desc')}", certifications=["organic"],
        )  # fmt: skip
        sent_back = make_listing(
            session, company=company, title=payload_text(k, "draft"), status="draft",
            rejection_reason=payload_text(k, "reason"),
        )  # fmt: skip
        session.add(
            ListingMedia(
                listing_id=listing.id, kind="document", filename=payload_text(k, "file"),
                content_type="application/pdf", size_bytes=10, storage_key=f"xss/{k}.pdf",
            )
        )  # fmt: skip
        session.add(
            Verification(
                centre_id=centre.id, company_id=company.id, verified_by_user_id=viewer.id, checks=["visit"],
                evidence=payload_text(k, "evidence"), valid_until=now + timedelta(days=300),
            )
        )  # fmt: skip
        session.add(
            AuditEvent(
                company_id=company.id, listing_id=sent_back.id, user_id=viewer.id, centre_id=centre.id,
                action="listing_sent_back", detail=payload_text(k, "audit"),
            )
        )  # fmt: skip
        session.add(
            Outcome(
                company_id=company.id, centre_id=centre.id, reported_by_user_id=owner.id, kind="sale",
                counterpart=payload_text(k, "counterpart"), amount=Decimal("100"), currency="USD",
                occurred_on=now.date(), note=payload_text(k, "note"),
            )
        )  # fmt: skip
        companies.append(company)
        drafts.append(sent_back)
        listings.append(listing)
        owners.append(owner)
    session.flush()

    threads = []
    for k in range(len(PAYLOADS)):  # company k asks company k+1 about its listing
        seller = (k + 1) % len(PAYLOADS)
        inquiry = Inquiry(
            kind="inquiry", listing_id=listings[seller].id, from_company_id=companies[k].id,
            from_user_id=owners[k].id, to_company_id=companies[seller].id, unit="kg", quantity=Decimal("5"),
        )  # fmt: skip
        session.add(inquiry)
        session.flush()
        session.add(
            Message(inquiry_id=inquiry.id, sender_user_id=owners[k].id, sender_company_id=companies[k].id,
                    body=payload_text(k, "message"))
        )  # fmt: skip
        threads.append(inquiry)
    notices = []
    for k in range(len(PAYLOADS)):
        notice = ProcurementNotice(
            ocid=f"ocds-xss-{k}", publisher=payload_text(k, "publisher"), country="MX",
            buyer_name=payload_text(k, "buyer"), title=f"{MARK} {payload_text(k, 'tender')}",
            description=f"{MARK} {payload_text(k, 'scope')}", url=JS_URL, value_currency="MXN",
            tender_end=now + timedelta(days=20), status="active", items=[{"description": PAYLOADS[k]}],
        )  # fmt: skip
        session.add(notice)
        notices.append(notice)
    session.flush()
    saved = []
    for k, payload in enumerate(PAYLOADS):  # the stored query goes into the "run" link's href
        search = SavedSearch(user_id=viewer.id, name=payload_text(k, "saved"), query=f"q={quote(payload)}")  # type: ignore[arg-type]
        session.add(search)
        saved.append(search)
    session.flush()
    hostile.cookie = start_session(session, viewer, user_agent="chromium", ip_address="127.0.0.1")

    def expect(path: str, *texts: str) -> None:
        hostile.pages.append(path)
        hostile.expected[path] = list(texts)

    for k in range(len(PAYLOADS)):
        company, listing, inquiry = companies[k], listings[k], threads[k]
        expect(
            f"/listings/{listing.id}",
            payload_text(k, "title"),
            payload_text(k, "desc"),
            payload_text(k, "file"),
        )
        expect(
            f"/companies/{company.id}",
            payload_text(k, "company"),
            payload_text(k, "about"),
            payload_text(k, "city"),
            JS_URL,  # shown as text, not as a link
        )
        seller = (k + 1) % len(PAYLOADS)
        expect(
            f"/inquiries/{inquiry.id}",
            payload_text(k, "message"),
            payload_text(k, "company"),
            payload_text(seller, "company"),
        )
        expect(
            f"/centres/{centre.id}/clients/{company.id}",
            payload_text(k, "counterpart"),
            payload_text(k, "evidence"),
            payload_text(k, "audit"),
            payload_text(k, "reason"),
        )
        expect(f"/companies/{company.id}/centres", payload_text(2, "centre"), payload_text(k, "audit"))
        expect(f"/listings/{drafts[k].id}", payload_text(k, "draft"), payload_text(k, "reason"))
        # The edit forms put the stored values into value="…" and <textarea>: the attribute breakouts' aim.
        expect(f"/companies/{company.id}/edit")
        hostile.inputs[f"/companies/{company.id}/edit"] = {
            "#f-name": payload_text(k, "company"),
            "#f-description": payload_text(k, "about"),
        }
        expect(f"/listings/{listing.id}/edit")
        hostile.inputs[f"/listings/{listing.id}/edit"] = {
            "#f-title": f"{MARK} {payload_text(k, 'title')}",
            "#f-description": f"{MARK} {payload_text(k, 'desc')}",
        }
        expect(f"/procurement/{notices[k].id}", payload_text(k, "tender"), payload_text(k, "scope"))
        expect(f"/companies/{company.id}/team", payload_text(k, "owner"))
    expect("/")
    for payload in PAYLOADS:  # reflected: the query comes back in the search box (and any "no results" text)
        expect(f"/search?q={quote(payload)}")
        hostile.inputs[f"/search?q={quote(payload)}"] = {"#q": payload}
        expect(f"/procurement?q={quote(payload)}")
        hostile.inputs[f"/procurement?q={quote(payload)}"] = {"#pq": payload}
    expect(f"/search?q={MARK}", *(payload_text(k, "title") for k in range(len(PAYLOADS))))
    expect(f"/procurement?q={MARK}", *(payload_text(k, "tender") for k in range(len(PAYLOADS))))
    expect("/procurement/opportunities")
    expect("/dashboard", *(payload_text(k, "company") for k in range(len(PAYLOADS))))
    expect("/inquiries", payload_text(0, "title"))
    expect("/account", payload_text(0, "viewer"), payload_text(1, "token"))
    expect("/centres")
    expect("/searches/saved", *(payload_text(k, "saved") for k in range(len(PAYLOADS))))
    hostile.inputs["/searches/saved"] = {f"#rename-{search.id}": search.name for search in saved}
    expect(f"/centres/{centre.id}", payload_text(2, "centre"), payload_text(0, "company"))
    expect(f"/centres/{centre.id}/review")
    return hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Hostile]:
    """A served app whose database holds a payload in every field a page shows."""
    from marketplace.app import create_app
    from marketplace.core.db import make_engine, session_scope
    from marketplace.core.settings import Settings
    from marketplace.procurement.sync import reindex_notices
    from marketplace.search.engine import build_search_engine
    from marketplace.search.sync import reindex_listings

    data = tmp_path_factory.mktemp("xss")
    shutil.copy(sqlite_template, data / "puente.db")
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(data)})
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        seeded = _seed(session)
    search = build_search_engine(settings)
    search.ensure_indexes()
    reindex_listings(engine, search)
    reindex_notices(engine, search)
    search.close()
    engine.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    seeded.url = f"http://127.0.0.1:{port}"
    yield seeded
    server.should_exit = True
    thread.join(10)


def test_no_payload_runs_on_any_page_and_each_shows_as_text(browser, hostile: Hostile) -> None:  # type: ignore[no-untyped-def]
    from marketplace.accounts.sessions import SESSION_COOKIE

    context = browser.new_context()
    context.add_cookies([{"name": SESSION_COOKIE, "value": hostile.cookie, "url": hostile.url}])
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    problems: list[str] = []
    for path in hostile.pages:
        response = page.goto(hostile.url + path)
        assert response is not None and response.status == 200, (
            f"{path} answered {response and response.status}"
        )
        # Give onerror/onload handlers (a broken image, a frame) the chance to fire before asking.
        page.wait_for_load_state("load")
        page.mouse.move(5, 5)
        page.mouse.move(400, 300)
        if page.evaluate("() => window.__xss") is not None:
            problems.append(f"{path}: window.__xss = {page.evaluate('() => window.__xss')}")
        # A stored javascript: URL (the websites, the notices' links) must never become a live link.
        hrefs = page.eval_on_selector_all("a[href], area[href]", "links => links.map(a => a.href)")
        problems += [
            f"{path}: clickable {href}" for href in hrefs if not href.startswith(("http", "mailto:", "tel:"))
        ]
        for selector, text in hostile.inputs.get(path, {}).items():
            if page.locator(selector).input_value() != text:
                problems.append(f"{path}: {selector} holds {page.locator(selector).input_value()!r}")
        shown = page.locator("body").inner_text()
        for text in hostile.expected[path]:
            if text not in shown:
                problems.append(f"{path}: {text!r} is not shown as text")
    context.close()
    assert dialogs == [], dialogs
    assert problems == [], "\n".join(problems)
