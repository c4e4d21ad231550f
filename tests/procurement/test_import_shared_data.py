"""Importing the real OCDS files of Paraguay (DNCP), Ecuador (SERCOP) and Jalisco: counts, fields, quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.jobs.models import Job
from marketplace.procurement.importer import import_ocds
from marketplace.procurement.models import ProcurementNotice
from marketplace.procurement.service import notice_state
from marketplace.procurement.sync import SYNC_JOB
from tests.conftest import OCDS_SAMPLES

OCDS = OCDS_SAMPLES


def notice(session: Session, ocid: str) -> ProcurementNotice:
    found = session.execute(select(ProcurementNotice).where(ProcurementNotice.ocid == ocid)).scalar_one()
    return found


def test_every_shared_file_imports_with_the_expected_counts(engine: Engine, session: Session) -> None:
    report = import_ocds(engine, [OCDS])
    assert report.files == 107 and report.files_failed == 0 and report.errors == []
    assert (report.releases, report.records, report.ocids) == (95, 25, 27)
    # Two processes have no tender anywhere (a planning-only DNCP release package; a record that only links
    # to its releases plus a planning release): reported as notes, not notices.
    assert (report.created, report.updated, report.skipped) == (25, 0, 2)
    skipped = sorted(str(p) for p in report.problems)
    assert any("ocds-03ad3f-246807" in p and "no tender" in p for p in skipped)
    assert any("ocds-03ad3f-284437" in p for p in skipped)
    assert all("position" not in p for p in skipped)
    counts = dict(
        session.execute(
            select(ProcurementNotice.country, func.count()).group_by(ProcurementNotice.country)
        ).all()
    )
    assert counts == {"PY": 13, "EC": 2, "MX": 10}
    assert (
        session.execute(select(func.count()).select_from(Job).where(Job.kind == SYNC_JOB)).scalar_one() == 25
    )


def test_reimport_changes_nothing_and_queues_nothing(engine: Engine, session: Session) -> None:
    import_ocds(engine, [OCDS])
    versions = dict(session.execute(select(ProcurementNotice.ocid, ProcurementNotice.version)).all())
    again = import_ocds(engine, [OCDS])
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 25, 2)
    session.commit()
    assert dict(session.execute(select(ProcurementNotice.ocid, ProcurementNotice.version)).all()) == versions
    assert session.execute(select(func.count()).select_from(ProcurementNotice)).scalar_one() == 25
    assert (
        session.execute(select(func.count()).select_from(Job).where(Job.kind == SYNC_JOB)).scalar_one() == 25
    )


def test_ecuador_title_that_is_a_process_code_falls_back_to_the_description(
    engine: Engine, session: Session
) -> None:
    import_ocds(engine, [OCDS / "ecuador_sercop"])
    found = notice(session, "ocds-5wno2w-REAJ-AAG-001-2021-27611")
    assert found.title == "ANÁLISIS JURÍDICO DE LA APLICACIÓN DEL MARCO NORMATIVO LABORAL"
    assert found.country == "EC"
    assert (found.value_amount, found.value_currency) == (Decimal("14000.00"), "USD")
    assert found.tender_end == datetime(2021, 3, 19, 19, 0, tzinfo=UTC)  # -05:00 kept as the same instant
    assert found.classifications == ["cpc:821190311"]  # CPC, not UNSPSC: kept under its own scheme
    assert found.buyer_name.startswith("AUTORIDAD AEROPORTUARIA DE GUAYAQUIL")
    assert notice_state(found, datetime(2026, 1, 1, tzinfo=UTC)) == "closed"
    # A record with embedded releases and no compiledRelease is compiled from them.
    networking = notice(session, "ocds-5wno2w-LICB-CNTEP-115577-20-236009")
    assert networking.title.startswith("ADQUISICIÓN, SOPORTE, ACTUALIZACIÓN Y MANTENIMIENTO")
    assert len(networking.items) == 74 and networking.value_amount == Decimal("3558271.49")


def test_paraguay_unspsc_codes_with_suffixes_get_their_titles(engine: Engine, session: Session) -> None:
    import_ocds(engine, [OCDS / "paraguay_dncp"])
    found = notice(session, "ocds-03ad3f-273637")
    first = found.items[0]
    assert first["scheme"] == "unspsc" and first["code"] == "32121701"  # from "32121701-003"
    assert first["title_es"] == "Componentes discretos"
    assert first["title_en"] == "Electronic Components and Supplies"  # segment title where the class has none
    assert "unspsc:32121701" in found.classifications
    assert found.country == "PY" and found.language == "es"
    assert found.url and found.url.startswith("https://www.contrataciones.gov.py/")
    assert (
        found.value_amount is None and found.value_currency == "PYG"
    )  # amount null in the data, kept unknown


def test_paraguay_records_that_only_link_are_completed_by_the_bare_releases(
    engine: Engine, session: Session
) -> None:
    import_ocds(engine, [OCDS / "paraguay_dncp" / "records" / "284453.json"])
    assert session.execute(select(func.count()).select_from(ProcurementNotice)).scalar_one() == 0
    report = import_ocds(engine, [OCDS / "paraguay_dncp" / "releases"])
    assert report.errors == []
    found = notice(session, "ocds-03ad3f-284453")
    assert found.title.startswith("ADQUISICION DE BATERIA")
    assert found.tender_end == datetime(2016, 3, 21, 12, 50, tzinfo=UTC)


def test_bare_records_and_planning_only_packages(engine: Engine, session: Session) -> None:
    report = import_ocds(
        engine, [OCDS / "paraguay_dncp" / "bare_records", OCDS / "paraguay_dncp" / "release_packages"]
    )
    assert (report.created, report.skipped) == (2, 1)
    hiv = notice(session, "ocds-03ad3f-202300-1")
    assert "VIH/SIDA" in hiv.title and hiv.items == [] and hiv.value_amount is None  # no items, no value
    assert hiv.status is None and notice_state(hiv, datetime(2026, 1, 1, tzinfo=UTC)) == "closed"  # by date


def test_jalisco_without_tender_period_has_no_deadline_and_keeps_its_scheme(
    engine: Engine, session: Session
) -> None:
    report = import_ocds(engine, [OCDS / "mexico_jalisco"])
    assert report.errors == [] and report.created == 10
    found = notice(session, "ocds-xs1qbl-SFIN-03-0001-00-2017")
    assert found.tender_end is None and found.tender_start is None  # never invented
    assert found.country == "MX" and found.value_currency == "MXN"
    assert found.classifications == ["fam-gob-jal:033-002"]
    assert found.title == "FORMAS IMPRESAS"
