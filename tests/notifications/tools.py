"""Arranging notifications: two companies with a stored match between them, the worker with a real SMTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.core.settings import Settings
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.listings.models import Listing
from marketplace.matching.models import Match
from marketplace.notifications.models import Notification, NotificationSettings
from tests.factories import make_company, make_listing
from tests.webtools import make_user

BASE_URL = "https://puente.example"
REASONS = [
    {"code": "same_hs_subheading", "params": {"hs": "0901.21"}},
    {"code": "other_country", "params": {"country": "Colombia", "buyer_country": "Mexico"}},
]


@dataclass
class Market:
    buyer: User
    seller: User
    request: Listing
    offer: Listing


def market(session: Session, *, buyer_email: str = "compras@cafeteria.example") -> Market:
    """A Mexican buyer's request and a Colombian seller's offer, one owner each (no match yet)."""
    buyer_company = make_company(session, name="Cafetería Central", country="MX")
    seller_company = make_company(session, name="Tostadores Andinos", country="CO")
    buyer = make_user(session, email=buyer_email, name="Lucía Ramos", locale="en")
    seller = make_user(session, email="ventas@andinos.example", name="Jorge Pérez", locale="en")
    session.add(Membership(user_id=buyer.id, company_id=buyer_company.id, role="owner"))  # type: ignore[arg-type]
    session.add(Membership(user_id=seller.id, company_id=seller_company.id, role="owner"))  # type: ignore[arg-type]
    request = make_listing(session, company=buyer_company, kind="request", title="Café tostado en grano")
    offer = make_listing(session, company=seller_company, kind="offer", title="Roasted coffee beans")
    session.commit()
    return Market(buyer, seller, request, offer)


def add_match(session: Session, request: Listing, offer: Listing, score: float = 0.8) -> Match:
    match = Match(
        request_listing_id=request.id,  # type: ignore[arg-type]
        offer_listing_id=offer.id,  # type: ignore[arg-type]
        score=score,
        reasons=REASONS,
    )
    session.add(match)
    session.commit()
    return match


def worker_settings(client: TestClient, port: int, tmp_path: Path) -> Settings:
    """The worker's settings: the app's secret key (its links must verify in the app), a real SMTP server."""
    return Settings.from_env(
        {
            "PUENTE_DATA_DIR": str(tmp_path / "worker"),
            "PUENTE_SECRET_KEY": client.app.state.settings.secret_key,  # type: ignore[attr-defined]
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PUENTE_BASE_URL": BASE_URL,
        }
    )


def run_jobs(engine: Engine, settings: Settings) -> None:
    Worker(engine, default_registry(settings)).drain()


def mails_to(inbox, address: str) -> list:  # type: ignore[no-untyped-def]
    return [message for recipients, message in inbox.messages if recipients == [address]]


def unsubscribe_path(mail) -> str:  # type: ignore[no-untyped-def]
    """The path and query of the List-Unsubscribe URL of a received mail (checked to be on our site)."""
    found = re.fullmatch(r"<([^>]+)>", mail["List-Unsubscribe"])
    assert found, mail["List-Unsubscribe"]
    url = urlsplit(found.group(1))
    assert f"{url.scheme}://{url.netloc}" == BASE_URL and url.path == "/unsubscribe"
    return f"{url.path}?{url.query}"


def notices_of(session: Session, user: User) -> list[Notification]:
    session.commit()
    return list(
        session.execute(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        ).scalars()
    )


def choices_of(session: Session, user: User) -> NotificationSettings | None:
    session.commit()
    return session.execute(
        select(NotificationSettings).where(NotificationSettings.user_id == user.id)
    ).scalar_one_or_none()
