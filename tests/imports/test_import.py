"""The import format: bad rows are reported with their line and reason, good rows kept, re-import updates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.centres.models import Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.imports.reader import ImportFileError, read_rows
from marketplace.imports.service import import_companies, import_listings
from marketplace.listings.models import Listing

TODAY = date(2026, 11, 30)

COMPANIES = [
    {"external_key": "co-pe-andes", "name": "Andes Quinua SAC", "country": "pe", "size_class": "small",
     "sectors": ["agrifood"], "languages": ["es", "en"], "certifications": ["organic"], "women_led": True},
    {"external_key": "co-ca-erable", "name": "Érablière Saint-Jean", "country": "CA", "size_class": "micro",
     "languages": ["fr"], "website": "https://erable.example"},
]  # fmt: skip

LISTING = {
    "external_key": "li-pe-andes-1", "company": "co-pe-andes", "kind": "offer", "language": "es",
    "title": "Quinua blanca orgánica perlada", "description": "Quinua real lavada, sacos de 25 kg.",
    "hs_code": "100850", "quantity": 20, "unit": "t", "price_min": "2.10", "price_max": "2.60",
    "currency": "usd", "incoterm": "fob", "ship_to": ["US", "CA"], "certifications": ["organic"],
    "valid_for_days": 60,
}  # fmt: skip


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n" for row in rows)
    )
    return path


def count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_good_rows_are_imported_with_normalised_codes(session: Session, tmp_path: Path) -> None:
    report = import_companies(session, read_rows(write_jsonl(tmp_path / "c.jsonl", COMPANIES)))
    assert (report.created, report.skipped) == (2, 0)
    report = import_listings(session, read_rows(write_jsonl(tmp_path / "l.jsonl", [LISTING])), today=TODAY)
    assert (report.created, report.skipped) == (1, 0)
    session.commit()
    listing = session.execute(select(Listing)).scalar_one()
    assert (listing.currency, listing.incoterm, listing.status) == ("USD", "FOB", "published")
    assert listing.valid_until == TODAY + timedelta(days=60)
    assert listing.price_min == Decimal("2.10") and listing.published_at is not None
    company = session.execute(select(Company).where(Company.external_key == "co-pe-andes")).scalar_one()
    assert company.country == "PE" and company.women_led is True and listing.company_id == company.id


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_kept(
    session: Session, tmp_path: Path
) -> None:
    import_companies(session, read_rows(write_jsonl(tmp_path / "c.jsonl", COMPANIES)))
    rows = [
        LISTING,
        {**LISTING, "external_key": "li-2", "hs_code": "999999"},
        "{not json",
        {**LISTING, "external_key": "li-3", "company": "co-nobody"},
        {**LISTING, "external_key": "li-4", "currency": "XYZ", "price_min": "5", "price_max": "1"},
        {**LISTING, "external_key": "li-5", "quantity": 3, "unit": None},
        {**LISTING, "external_key": "li-6", "colour": "red"},
        {**LISTING, "external_key": "li-7", "title": "Quinoa"},
    ]
    report = import_listings(session, read_rows(write_jsonl(tmp_path / "l.jsonl", rows)), today=TODAY)
    session.commit()
    assert report.created == 2  # the first row and li-7
    problems = {problem.line: problem.reason for problem in report.problems}
    assert set(problems) == {2, 3, 4, 5, 6, 7}
    assert "hs_code" in problems[2] and "999999" in problems[2]
    assert "JSON" in problems[3]
    assert "company" in problems[4] and "co-nobody" in problems[4]
    assert "currency" in problems[5]
    assert "unit" in problems[6]
    assert "colour" in problems[7] and "unknown field" in problems[7]
    assert count(session, Listing) == 2


def test_reimport_updates_and_never_duplicates(session: Session, tmp_path: Path) -> None:
    companies = write_jsonl(tmp_path / "c.jsonl", COMPANIES)
    listings = write_jsonl(tmp_path / "l.jsonl", [LISTING])
    import_companies(session, read_rows(companies))
    import_listings(session, read_rows(listings), today=TODAY)
    again = import_companies(session, read_rows(companies))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert import_listings(session, read_rows(listings), today=TODAY).unchanged == 1

    changed = write_jsonl(tmp_path / "l2.jsonl", [{**LISTING, "price_max": "2.90"}])
    report = import_listings(session, read_rows(changed), today=TODAY)
    session.commit()
    assert report.updated == 1
    listing = session.execute(select(Listing)).scalar_one()
    assert listing.price_max == Decimal("2.90") and listing.version == 2
    assert count(session, Listing) == 1 and count(session, Company) == 2


def test_csv_with_lists_and_empty_cells(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(
        "external_key,name,country,size_class,sectors,markets_served,women_led,website\n"
        "co-mx-1,Textiles Oaxaca,MX,micro,textiles_apparel;handicrafts,US; CA ,yes,\n"
        'co-br-1,"Doces Minas, Ltda",BR,tiny,,,,\n'
        "co-ar-1,Vinos del Sur,AR,small,beverages,,no,https://vinos.example\n",
        encoding="utf-8",
    )
    report = import_companies(session, read_rows(path))
    session.commit()
    assert report.created == 2
    assert [(p.line, p.key) for p in report.problems] == [(3, "co-br-1")]
    assert "size_class" in report.problems[0].reason
    oaxaca = session.execute(select(Company).where(Company.external_key == "co-mx-1")).scalar_one()
    assert oaxaca.sectors == ["textiles_apparel", "handicrafts"] and oaxaca.markets_served == ["US", "CA"]
    assert oaxaca.women_led is True and oaxaca.website is None


def test_company_joins_the_named_centre_once(session: Session, tmp_path: Path) -> None:
    session.add(Centre(external_key="ctr-1", name="CDE", country="MX"))
    session.flush()
    path = write_jsonl(
        tmp_path / "c.jsonl", [{**COMPANIES[0], "centre": "ctr-1"}, {**COMPANIES[1], "centre": "ctr-x"}]
    )
    report = import_companies(session, read_rows(path))
    import_companies(session, read_rows(path))
    session.commit()
    assert report.created == 1 and "ctr-x" in report.problems[0].reason
    assert count(session, CentreClient) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", b"", "unknown file type"),
        ("x.csv", b"", "empty file"),
        ("x.jsonl", b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused_whole(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        list(read_rows(path))


def test_cli_reports_bad_rows_keeps_good_ones_and_exits_1(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    companies = write_jsonl(tmp_path / "c.jsonl", [*COMPANIES, {"external_key": "bad", "name": "X"}])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUENTE_")}
    env.update(DATABASE_URL=database_url, PUENTE_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "marketplace", "import", "companies", str(companies)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "c.jsonl: line 3 (bad): country: Field required" in result.stderr
    assert "companies: 2 created, 0 updated, 0 unchanged, 1 skipped" in result.stdout
    with Session(engine) as session:
        assert count(session, Company) == 2


def test_a_listing_key_of_another_company_is_refused_not_moved(session: Session, tmp_path: Path) -> None:
    import_companies(session, read_rows(write_jsonl(tmp_path / "c.jsonl", COMPANIES)))
    import_listings(session, read_rows(write_jsonl(tmp_path / "l.jsonl", [LISTING])), today=TODAY)
    hijack = write_jsonl(
        tmp_path / "h.jsonl", [{**LISTING, "company": "co-ca-erable", "title": "Pris par une autre"}]
    )
    report = import_listings(session, read_rows(hijack), today=TODAY)
    session.commit()
    assert report.updated == 0 and "another company" in report.problems[0].reason
    listing = session.execute(select(Listing)).scalar_one()
    owner = session.execute(select(Company).where(Company.external_key == "co-pe-andes")).scalar_one()
    assert listing.company_id == owner.id and listing.title == "Quinua blanca orgánica perlada"
