"""Arranging moderation: a seller with a listing, a reporter, an admin, an advisor, and their browsers."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.accounts.tokens import create_token
from marketplace.companies.models import Company
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.listings.models import Listing
from marketplace.listings.sync import queue_listing_sync
from marketplace.moderation.models import ModerationAction
from tests.factories import make_company, make_listing
from tests.inquiries.tools import advisor_of, browser_of, member
from tests.webtools import csrf_from, make_user, sign_in

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass
class Scene:
    seller: User
    seller_company: Company
    listing: Listing
    reporter: User
    reporter_company: Company
    admin: User
    advisor: User


def scene(session: Session, *, title: str = "Aguacate Hass de Jalisco") -> Scene:
    seller_company = make_company(session, name="Aguacates Sierra del Tigre", country="MX")
    seller = member(session, seller_company, "mariana@aguacates.example", "Mariana Gutiérrez")
    listing = make_listing(session, company=seller_company, title=title, description="Calibre 18 a 22.")
    queue_listing_sync(session, listing)
    reporter_company = make_company(session, name="Café Altiplano", country="GT")
    reporter = member(session, reporter_company, "edgar@altiplano.example", "Edgar Sam")
    admin = make_user(session, email="admin@puente.example", name="Admin", is_admin=True)
    session.commit()
    advisor = advisor_of(session, seller_company, "asesora@centro.example")
    return Scene(seller, seller_company, listing, reporter, reporter_company, admin, advisor)


def browser(client: TestClient, email: str) -> TestClient:
    return browser_of(client, email)


def admin_browser(client: TestClient, scene: Scene) -> TestClient:
    return browser_of(client, scene.admin.email)


def token_for(session: Session, user: User) -> dict[str, str]:
    _, raw = create_token(session, user, name="moderation test")
    session.commit()
    return {"Authorization": f"Bearer {raw}"}


def act(client: TestClient, object_type: str, object_id: int, action: str, reason: str):  # type: ignore[no-untyped-def]
    """Post an action from the object's admin page (with its form token)."""
    path = f"/admin/moderation/{object_type}/{object_id}"
    token = csrf_from(client, path)
    return client.post(
        path, data={"action": action, "reason": reason, "csrf_token": token}, follow_redirects=False
    )


def report(client: TestClient, object_type: str, object_id: int, reason: str = "fraud", details: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_from(client, f"/reports/new?object_type={object_type}&object_id={object_id}")
    return client.post(
        "/reports",
        data={"object_type": object_type, "object_id": str(object_id), "reason": reason, "details": details,
              "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip


def drain(client: TestClient, engine: Engine) -> None:
    app = client.app
    Worker(engine, default_registry(app.state.settings, search_engine=app.state.search)).drain()  # type: ignore[attr-defined]


def trail(session: Session, object_type: str, object_id: int) -> list[tuple[str, str, int | None]]:
    session.commit()
    rows = session.execute(
        select(ModerationAction.action, ModerationAction.reason, ModerationAction.user_id)
        .where(ModerationAction.object_type == object_type, ModerationAction.object_id == object_id)
        .order_by(ModerationAction.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


__all__ = ["XSS", "advisor_of", "browser", "sign_in"]
