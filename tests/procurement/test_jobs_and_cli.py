"""Deadline reminders as a periodic job, the notices index kept in sync and rebuilt, `puente import ocds`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.core.models import utcnow
from marketplace.jobs.registry import default_registry
from marketplace.mail.models import MailMessage
from marketplace.procurement.jobs import REMINDER_JOB
from marketplace.procurement.reminders import send_deadline_reminders
from marketplace.procurement.sync import reconcile_notices, reindex_notices
from tests.conftest import OCDS_SAMPLES, REPO
from tests.factories import make_company, make_listing
from tests.procurement.test_pages_and_api import drain, make_notice
from tests.webtools import make_user


def test_reminders_go_once_to_members_for_fitting_notices_closing_soon(
    session: Session, app_settings
) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    soon = make_notice(session, title="Adquisición de café tostado", tender_end=now + timedelta(days=2))
    make_notice(session, title="Café molido para comedores", tender_end=now + timedelta(days=20))  # not yet
    make_notice(session, title="Pavimento empedrado", tender_end=now + timedelta(days=1))  # does not fit
    company = make_company(session, name="Café Altura", country="PY")
    make_listing(session, company=company, title="Café tostado de altura")
    user = make_user(session, email="ana@example.org")
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))
    session.commit()
    assert send_deadline_reminders(session, now=now, base_url="https://puente.example") == 1
    session.commit()
    [mail] = session.execute(select(MailMessage).where(MailMessage.to_address == "ana@example.org")).scalars()
    assert "Adquisición de café tostado" in mail.body_text and f"/procurement/{soon.id}" in mail.body_text
    assert "Café molido" not in mail.body_text and "Pavimento" not in mail.body_text
    assert send_deadline_reminders(session, now=now, base_url="https://puente.example") == 0  # once only
    registry = default_registry(app_settings)
    assert REMINDER_JOB in registry.periodic and REMINDER_JOB in registry.specs


def test_index_follows_imports_and_reindex_rebuilds_it(
    client: TestClient, session: Session, engine: Engine
) -> None:
    search = client.app.state.search  # type: ignore[attr-defined]
    notice = make_notice(session, title="Compra de uniformes escolares")
    session.commit()
    assert reconcile_notices(engine, search)["missing"] == [notice.id]
    drain(client, engine)
    assert search.document_versions("notices") == {notice.id: 1}
    search.clear("notices")
    assert reindex_notices(engine, search) == 1
    assert reconcile_notices(engine, search) == {"missing": [], "stale": [], "orphaned": []}


def test_cli_imports_and_reports_problems(tmp_path: Path, database_url: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("<html>Service Unavailable</html>", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url, "PUENTE_DATA_DIR": str(tmp_path / "data")}
    command = [
        sys.executable,
        "-m",
        "marketplace",
        "import",
        "ocds",
        str(OCDS_SAMPLES / "ecuador_sercop"),
    ]
    done = subprocess.run(
        [*command, str(bad)], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert "2 notice(s) created" in done.stdout and "bad.json" in done.stderr and "HTML" in done.stderr
    again = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "0 notice(s) created, 0 updated, 2 unchanged" in again.stdout


def test_cli_reindex_and_reconcile_cover_the_notices(tmp_path: Path, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PUENTE_DATA_DIR": str(tmp_path / "data")}

    def puente(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "marketplace", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
        )

    assert puente("import", "ocds", str(OCDS_SAMPLES / "ecuador_sercop")).returncode == 0
    rebuilt = puente("reindex")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Reindexed 0 listings and 2 notices" in rebuilt.stdout
    clean = puente("reconcile")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "notices: 0 missing, 0 stale, 0 orphaned" in clean.stdout

    from marketplace.core.db import make_engine
    from marketplace.procurement.models import ProcurementNotice

    db = make_engine(database_url)
    with Session(db) as session:  # a notice removed behind the index's back
        gone = session.execute(select(ProcurementNotice).order_by(ProcurementNotice.id)).scalars().first()
        session.delete(gone)
        session.commit()
    db.dispose()
    found = puente("reconcile", "--repair")
    assert found.returncode == 1
    assert (
        f"notices: 0 missing, 0 stale, 1 orphaned (sync jobs queued)\n  orphaned: {gone.id}" in found.stdout
    )
    from marketplace.moderation.models import ReconciliationRun

    db = make_engine(database_url)
    with Session(db) as session:  # the admins' index-health page shows what the command found
        latest = (
            session.execute(select(ReconciliationRun).order_by(ReconciliationRun.id.desc())).scalars().first()
        )
        assert latest is not None and latest.status == "done"
        assert latest.result["notices"]["orphaned"] == 1 and latest.result["listings"]["missing"] == 0
    db.dispose()
    assert puente("worker", "--once").returncode == 0
    after = puente("reconcile")
    assert after.returncode == 0 and "notices: 0 missing, 0 stale, 0 orphaned" in after.stdout
