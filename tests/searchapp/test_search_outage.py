"""An outage of the search engine loses nothing: writes succeed, sync jobs wait, the index catches up."""

from __future__ import annotations

import random

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.listings.models import Listing
from marketplace.listings.sync import queue_listing_sync
from marketplace.search.engine import build_search_engine
from marketplace.search.sync import reconcile_listings
from search.engine import SearchUnavailable
from tests.factories import make_company, make_listing


class Outage:
    """Wraps the real engine; while `down`, every call fails the way an unreachable server does."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine
        self.down = False

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        attribute = getattr(self.engine, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            if self.down:
                raise SearchUnavailable("connection refused (simulated outage)")
            return attribute(*args, **kwargs)

        return call


def test_two_hundred_changes_during_an_outage_are_all_indexed_after_it(
    engine: Engine, session: Session, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path)})
    search = Outage(build_search_engine(settings))
    search.ensure_indexes()
    worker = Worker(engine, default_registry(settings, search_engine=search), pause_between_jobs=0)  # type: ignore[arg-type]
    rng = random.Random(7)
    companies = [
        make_company(session, name=f"Empresa {n}", country=rng.choice(["MX", "BR", "CO", "PE"]))
        for n in range(10)
    ]
    session.commit()

    search.down = True
    listings: list[Listing] = []
    for n in range(120):  # created
        listing = make_listing(
            session, company=rng.choice(companies), title=f"Producto número {n} café miel quinua"
        )
        queue_listing_sync(session, listing)
        listings.append(listing)
    session.commit()
    for listing in rng.sample(listings, 50):  # edited
        listing.title += " (editado)"
        listing.version += 1
        queue_listing_sync(session, listing)
    for listing in rng.sample(listings, 30):  # closed: must leave the index
        listing.status = "closed"
        listing.version += 1
        queue_listing_sync(session, listing)
    session.commit()
    worker.drain()
    sync_jobs = select(Job.status, func.count()).where(Job.kind == "search.sync_listing").group_by(Job.status)
    assert dict(session.execute(sync_jobs).all()) == {"pending": 200}  # every sync failed, kept for a retry

    search.down = False
    session.execute(
        update(Job).where(Job.status == "pending").values(run_after=utcnow())
    )  # the backoff passes
    session.commit()
    worker.drain()
    assert dict(session.execute(sync_jobs).all()) == {"done": 200}
    report = reconcile_listings(engine, search)  # type: ignore[arg-type]
    assert report.differences == 0, report
    active = session.execute(
        select(func.count()).select_from(Listing).where(Listing.status == "published")
    ).scalar_one()
    assert (
        search.count("listings")
        == active
        == 120 - len({listing.id for listing in listings if listing.status == "closed"})
    )
    search.close()
