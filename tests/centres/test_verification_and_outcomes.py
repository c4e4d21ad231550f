"""The verified badge (evidence, expiry, lapse job, search facet) and outcomes (one record, sums, CSV export)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from marketplace.centres.models import Verification
from marketplace.centres.verification import lapse_verifications, verify_client
from marketplace.companies.models import Company
from marketplace.companies.service import company_page
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry
from marketplace.jobs.models import Job
from marketplace.outcomes import service as outcomes
from marketplace.outcomes.models import Outcome
from marketplace.outcomes.schemas import OutcomeIn
from marketplace.search.documents import listing_document
from tests.centres.helpers import make_world
from tests.factories import make_listing


def test_verification_records_evidence_and_lasts_the_centres_period(session: Session) -> None:
    w = make_world(session)
    before = utcnow()
    v = verify_client(
        session,
        w.advisor_a,
        w.centre_a.id,
        w.company_a.id,
        checks=["tax_id", "visit", "bogus"],
        evidence="RFC en el SAT; visita a la empacadora el 3 de marzo.",
    )
    assert v.checks == ["tax_id", "visit"] and v.verified_by_user_id == w.advisor_a.id
    company = session.get(Company, w.company_a.id)
    assert company.verified_by_centre_id == w.centre_a.id
    assert timedelta(days=179) < company.verified_until - before <= timedelta(days=180, seconds=5)
    assert company_page(session, company.id, None).verified_by.name == "CDE Jalisco"


def test_verification_needs_checks_evidence_and_an_active_client(session: Session) -> None:
    w = make_world(session)
    with pytest.raises(InvalidInput) as refused:
        verify_client(session, w.advisor_a, w.centre_a.id, w.company_a.id, checks=[], evidence="")
    assert set(refused.value.fields) == {"checks", "evidence"}
    for user, centre in ((w.advisor_b, w.centre_a), (w.advisor_b, w.centre_b), (w.owner_a, w.centre_a)):
        with pytest.raises(
            NotFound
        ):  # another centre's advisor, a client of another centre, the owner itself
            verify_client(session, user, centre.id, w.company_a.id, checks=["visit"], evidence="x")
    assert session.exec(select(Verification)).all() == []
    assert session.get(Company, w.company_a.id).verified_by_centre_id is None


def test_badge_lapses_after_its_period_and_search_documents_follow(session: Session) -> None:
    w = make_world(session)
    listing = make_listing(session, company=w.company_a, title="Aguacate publicado")
    verify_client(
        session,
        w.advisor_a,
        w.centre_a.id,
        w.company_a.id,
        checks=["documents"],
        evidence="Constancia fiscal.",
    )
    company = session.get(Company, w.company_a.id)
    assert listing_document(listing, company).verified is True
    assert lapse_verifications(session, now=utcnow() + timedelta(days=179)) == 0
    queued = len(session.exec(select(Job).where(Job.kind == "search.sync_listing")).all())
    assert lapse_verifications(session, now=utcnow() + timedelta(days=181)) == 1
    assert company.verified_by_centre_id is None
    assert listing_document(listing, company).verified is False
    assert company_page(session, company.id, None).verified_by is None
    assert len(session.exec(select(Job).where(Job.kind == "search.sync_listing")).all()) > queued


def test_expired_badge_is_hidden_even_before_the_lapse_job_runs(session: Session) -> None:
    w = make_world(session)
    verify_client(session, w.advisor_a, w.centre_a.id, w.company_a.id, checks=["visit"], evidence="Visita.")
    company = session.get(Company, w.company_a.id)
    company.verified_until = utcnow() - timedelta(minutes=1)
    session.add(company)
    session.flush()
    assert company_page(session, company.id, None).verified_by is None


def _deal(
    amount: str | None, currency: str | None, *, jobs: int = 0, day: date | None = None, **extra
) -> OutcomeIn:
    return OutcomeIn(
        kind="deal",
        amount=amount,
        currency=currency,
        jobs_created=jobs,
        occurred_on=day or date(2026, 3, 5),
        **extra,
    )


def test_an_inquirys_outcome_is_one_record_that_the_advisor_confirms_or_corrects(session: Session) -> None:
    w = make_world(session)
    listing = make_listing(session, company=w.company_a)
    inquiry = Inquiry(
        kind="inquiry",
        listing_id=listing.id,
        from_user_id=w.owner_b.id,
        from_company_id=w.company_b.id,
        to_company_id=w.company_a.id,
    )
    session.add(inquiry)
    session.flush()
    first = outcomes.record_outcome(
        session,
        w.owner_a,
        w.company_a.id,
        _deal("1000", "USD", counterpart="Café Bogotano"),
        inquiry_id=inquiry.id,
    )
    assert first.centre_id == w.centre_a.id and first.confirmed_at is None
    again = outcomes.record_outcome(
        session, w.owner_a, w.company_a.id, _deal("1200", "USD"), inquiry_id=inquiry.id
    )
    assert again.id == first.id
    corrected = outcomes.confirm_outcome(
        session, w.advisor_a, w.centre_a.id, first.id, _deal("1150", "usd", jobs=2)
    )
    assert corrected.id == first.id and corrected.amount == Decimal("1150") and corrected.currency == "USD"
    assert corrected.confirmed_by_user_id == w.advisor_a.id
    assert len(session.exec(select(Outcome)).all()) == 1
    with pytest.raises(NotFound):
        outcomes.confirm_outcome(session, w.advisor_b, w.centre_a.id, first.id)
    with pytest.raises(NotFound):
        outcomes.confirm_outcome(session, w.advisor_b, w.centre_b.id, first.id)


def test_sums_are_per_currency_and_per_advisor_client_country_and_month(session: Session) -> None:
    w = make_world(session)
    from tests.centres.helpers import make_client

    make_client(session, centre=w.centre_a, company=w.company_b)
    outcomes.record_outcome(
        session, w.advisor_a, w.company_a.id, _deal("1000.50", "USD", jobs=2, day=date(2026, 1, 10))
    )
    outcomes.record_outcome(
        session, w.advisor_a2, w.company_a.id, _deal("250000", "MXN", jobs=1, day=date(2026, 2, 1))
    )
    outcomes.record_outcome(session, w.advisor_a, w.company_b.id, _deal("500", "USD", day=date(2026, 2, 20)))
    outcomes.record_outcome(
        session, w.advisor_b, w.company_b.id, _deal("999", "USD")
    )  # centre B's: not in A's sums
    rows = outcomes.centre_outcomes(session, w.advisor_a, w.centre_a.id)
    sums = outcomes.sum_outcomes(rows)
    assert sums.total.amounts == {"USD": Decimal("1500.50"), "MXN": Decimal("250000")}
    assert sums.total.jobs_created == 3 and sums.total.count == 3
    assert sums.by_client["Aguacates del Tigre"].amounts == {
        "USD": Decimal("1000.50"),
        "MXN": Decimal("250000"),
    }
    assert sums.by_country["CO"].amounts == {"USD": Decimal("500")}
    assert sums.by_month["2026-02"].count == 2 and sums.by_month["2026-01"].jobs_created == 2
    assert sums.by_advisor["Jorge"].amounts == {"MXN": Decimal("250000")}
    february = outcomes.centre_outcomes(
        session, w.advisor_a, w.centre_a.id, since=date(2026, 2, 1), until=date(2026, 2, 28)
    )
    assert len(february) == 2
    with pytest.raises(NotFound):
        outcomes.centre_outcomes(session, w.advisor_b, w.centre_a.id)


def test_csv_export_has_the_funders_columns_and_totals_per_currency(session: Session) -> None:
    w = make_world(session)
    outcomes.record_outcome(
        session, w.advisor_a, w.company_a.id, _deal("1000.5", "USD", jobs=2, counterpart="=HYPERLINK(1)")
    )
    outcomes.record_outcome(session, w.advisor_a, w.company_a.id, _deal("200", "USD", jobs=1))
    outcomes.record_outcome(session, w.owner_a, w.company_a.id, _deal("75000", "MXN"))
    text = outcomes.export_csv(outcomes.centre_outcomes(session, w.advisor_a, w.centre_a.id))
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == outcomes.EXPORT_COLUMNS
    body, totals = lines[1:4], lines[4:]
    assert [row[7] for row in body] == ["1000.50", "200.00", "75000.00"]
    assert body[0][6] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert [row[11] for row in body] == ["yes", "yes", "no"]  # the owner's record awaits confirmation
    assert [(row[0], row[7], row[8]) for row in totals] == [
        ("TOTAL", "75000.00", "MXN"),
        ("TOTAL", "1200.50", "USD"),
    ]
    assert totals[0][9] == "3"


def test_monthly_trends_count_inquiries_and_sum_amounts_per_currency(session: Session) -> None:
    w = make_world(session)
    listing = make_listing(session, company=w.company_a)
    for day in (date(2026, 1, 3), date(2026, 1, 9), date(2026, 2, 1)):
        inquiry = Inquiry(
            kind="inquiry", listing_id=listing.id, from_user_id=w.owner_b.id, to_company_id=w.company_a.id
        )
        inquiry.created_at = utcnow().replace(year=day.year, month=day.month, day=day.day)
        session.add(inquiry)
    session.flush()
    inquiries, matches = outcomes.monthly_activity(session, [w.company_a.id])
    assert inquiries == {"2026-01": 2, "2026-02": 1} and matches == {}
    outcomes.record_outcome(session, w.advisor_a, w.company_a.id, _deal("10", "USD", day=date(2026, 1, 2)))
    outcomes.record_outcome(session, w.advisor_a, w.company_a.id, _deal("5", "USD", day=date(2026, 1, 20)))
    outcomes.record_outcome(session, w.advisor_a, w.company_a.id, _deal("700", "MXN", day=date(2026, 2, 2)))
    sums = outcomes.sum_outcomes(outcomes.centre_outcomes(session, w.advisor_a, w.centre_a.id))
    assert outcomes.amounts_by_month(sums) == {"MXN": [("2026-02", 700.0)], "USD": [("2026-01", 15.0)]}
