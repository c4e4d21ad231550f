"""The index-health page and API: figures equal the jobs table; retry; reconciliation run as a job."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.jobs.models import Job
from marketplace.listings.sync import SYNC_JOB
from marketplace.moderation.health import RECONCILE_JOB
from marketplace.moderation.models import ReconciliationRun
from tests.factories import make_listing
from tests.moderation.tools import browser, drain, scene, token_for
from tests.webtools import csrf_from


def _figure(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert found, element_id
    return found.group(1).strip()


def _count(session: Session, *conditions) -> int:  # type: ignore[no-untyped-def]
    session.commit()
    return session.execute(select(func.count()).select_from(Job).where(*conditions)).scalar_one()


def test_health_figures_match_the_jobs_table_and_a_dead_job_can_be_retried(
    client: TestClient, session: Session
) -> None:
    s = scene(session)  # its listing's sync job waits in the outbox
    dead = Job(kind=SYNC_JOB, entity="listing", entity_id=999, status="dead", attempts=10, max_attempts=10,
               last_error="Traceback …\nSearchError: engine <down> at 127.0.0.1:7700")  # fmt: skip
    failing = Job(kind=SYNC_JOB, entity="listing", entity_id=998, status="pending", attempts=2,
                  last_error="SearchError: timed out")  # fmt: skip
    session.add_all([dead, failing])
    session.commit()
    admin = browser(client, s.admin.email)
    page = admin.get("/admin/index-health").text
    outbox = _count(
        session, Job.kind.in_([SYNC_JOB, "search.sync_notice"]), Job.status.in_(["pending", "running"])
    )  # type: ignore[attr-defined]
    assert outbox == 2
    assert int(_figure(page, "outbox-pending")) == outbox
    assert int(_figure(page, "outbox-retrying")) == 1
    assert int(_figure(page, "jobs-dead")) == _count(session, Job.status == "dead") == 1
    assert "SearchError: engine &lt;down&gt; at 127.0.0.1:7700" in page  # the last line, escaped
    assert "Traceback" not in page
    api = client.get("/api/v1/admin/index-health", headers=token_for(session, s.admin)).json()
    assert (api["outbox_pending"], api["outbox_retrying"], api["dead"]) == (2, 1, 1)
    assert api["jobs"]["pending"] == _count(session, Job.status == "pending")
    assert api["engine"]["available"] is True

    token = csrf_from(admin, "/admin/index-health")
    retried = admin.post(f"/admin/index-health/jobs/{dead.id}/retry", data={"csrf_token": token})
    assert retried.status_code == 200 and "will be tried again" in retried.text
    session.refresh(dead)
    assert (dead.status, dead.attempts) == ("pending", 0)
    done = Job(kind=SYNC_JOB, status="done")
    session.add(done)
    session.commit()
    refused = admin.post(f"/admin/index-health/jobs/{done.id}/retry", data={"csrf_token": token})
    assert refused.status_code == 409


def test_reconciliation_runs_as_a_job_and_its_result_is_shown(
    client: TestClient, session: Session, engine: Engine
) -> None:
    s = scene(session)
    drain(client, engine)  # the scene's listing is indexed
    unsynced = make_listing(session, company=s.seller_company, title="Limón persa")  # no outbox row: missing
    session.commit()
    admin = browser(client, s.admin.email)
    assert "No reconciliation has run yet" in admin.get("/admin/index-health").text
    token = csrf_from(admin, "/admin/index-health")
    queued = admin.post("/admin/index-health/reconcile", data={"csrf_token": token})
    assert queued.status_code == 200 and "A reconciliation is queued" in queued.text
    assert _count(session, Job.kind == RECONCILE_JOB, Job.status == "pending") == 1
    drain(client, engine)
    session.commit()
    run = session.execute(select(ReconciliationRun)).scalars().one()
    assert run.status == "done"
    assert run.result["listings"]["missing"] == 1
    assert run.result["listings"]["sample"]["missing"] == [unsynced.id]
    page = admin.get("/admin/index-health").text
    assert "1 missing, 0 stale, 0 orphaned" in page
    # The reconciliation queued the repair; the same drain applied it: the listing is now searchable.
    found = client.get("/api/v1/search", params={"q": "limon"}).json()
    assert [item["id"] for item in found["items"]] == [unsynced.id]
    api = client.get("/api/v1/admin/index-health", headers=token_for(session, s.admin)).json()
    assert api["last_reconciliation"]["result"]["listings"]["missing"] == 1
