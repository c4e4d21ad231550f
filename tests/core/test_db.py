"""The data layer on SQLite and PostgreSQL: migrations match the models, values round-trip, writers queue."""

from __future__ import annotations

import threading
from datetime import UTC, date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.core.db import run_in_transaction
from marketplace.core.migrate import current_revision, head_revision, upgrade_to_head
from marketplace.listings.models import Listing
from marketplace.schema import metadata
from tests.factories import make_company, make_listing


def test_migrations_create_exactly_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), metadata
        )
    assert differences == [], "the models changed without a migration: run alembic revision --autogenerate"
    assert current_revision(engine) == head_revision()


def test_migrate_twice_changes_nothing(engine: Engine) -> None:
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()


def test_listing_values_round_trip(engine: Engine, session: Session) -> None:
    company = make_company(
        session, name="Café Altura", country="CO", certifications=["organic", "fair_trade"]
    )
    listing = make_listing(
        session,
        company=company,
        price_min=Decimal("9.50"),
        price_max=Decimal("12.75"),
        currency="USD",
        ship_to=["US", "CA", "CL"],
        valid_until=date(2027, 3, 31),
    )
    session.commit()
    with Session(engine) as fresh:
        stored = fresh.get(Listing, listing.id)
        assert stored is not None
        assert (stored.price_min, stored.price_max) == (Decimal("9.50"), Decimal("12.75"))
        assert stored.ship_to == ["US", "CA", "CL"]
        assert stored.valid_until == date(2027, 3, 31)
        assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == UTC.utcoffset(None)
        assert fresh.get(Company, company.id).certifications == ["organic", "fair_trade"]  # type: ignore[union-attr]


def test_external_keys_are_unique(session: Session) -> None:
    make_company(session, external_key="co-mx-1")
    session.commit()
    with pytest.raises(IntegrityError):
        make_company(session, external_key="co-mx-1")


def test_deleting_a_company_deletes_its_listings(engine: Engine, session: Session) -> None:
    company = make_company(session)
    make_listing(session, company=company)
    session.commit()
    session.delete(company)
    session.commit()
    assert session.execute(select(func.count()).select_from(Listing)).scalar_one() == 0


def test_concurrent_writers_lose_nothing(engine: Engine) -> None:
    """8 threads × 100 read-modify-write transactions: every insert and every increment arrives."""
    with Session(engine) as session:
        counter = make_company(session, name="counter", phone=None)
        counter.description = "0"
        session.commit()
        counter_id = counter.id
    errors: list[BaseException] = []

    def writer(thread: int) -> None:
        try:
            for n in range(100):

                def work(session: Session, n: int = n) -> None:
                    # Read-modify-write takes the row lock (FOR UPDATE on PostgreSQL; SQLite's write lock is
                    # already held from BEGIN IMMEDIATE): without it PostgreSQL would lose updates.
                    row = session.get(Company, counter_id, with_for_update=True)
                    assert row is not None
                    row.description = str(int(row.description or "0") + 1)
                    session.add(row)
                    session.add(Company(name=f"w{thread}-{n}", country="PE", size_class="micro"))

                run_in_transaction(engine, work)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Company)).scalar_one() == 801
        assert session.get(Company, counter_id).description == "800"  # type: ignore[union-attr]
