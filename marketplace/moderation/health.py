"""The index-health page's figures: the search outbox, failing and dead jobs, the last reconciliation,
the engine's health; and reconciliation run as a job (it reads every document version, so not in a request)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_admin
from marketplace.jobs.models import Job
from marketplace.jobs.service import JobCounts, count_jobs, enqueue
from marketplace.listings.sync import SYNC_JOB as LISTING_SYNC
from marketplace.moderation.models import ReconciliationRun
from marketplace.procurement.sync import SYNC_JOB as NOTICE_SYNC
from search.engine import Health, SearchEngine, SearchError

SEARCH_SYNC_JOBS = (LISTING_SYNC, NOTICE_SYNC)
RECONCILE_JOB = "moderation.reconcile_index"
SHORT_ERROR = 300
MAX_FAILED_SHOWN = 50
SAMPLE = 20  # ids of each difference kept with a reconciliation's result


class NotRetryable(DomainError):
    status_code = 409
    code = "not_retryable"


@dataclass
class FailedJob:
    id: int
    kind: str
    entity: str | None
    entity_id: int | None
    status: str
    attempts: int
    max_attempts: int
    error: str
    finished_at: object
    run_after: object


@dataclass
class IndexHealth:
    outbox_pending: int  # search sync jobs waiting (or running): the index is this far behind
    outbox_retrying: int  # of those, how many already failed at least once
    dead: int  # jobs of any kind that ran out of attempts
    failed_jobs: list[FailedJob]
    jobs: JobCounts
    last_reconciliation: ReconciliationRun | None
    reconciliation_waiting: bool
    engine: Health


def short_error(error: str | None) -> str:
    text = (error or "").strip().splitlines()[-1:] if error else []
    line = text[0] if text else ""
    return line if len(line) <= SHORT_ERROR else line[: SHORT_ERROR - 1] + "…"


def index_health(session: Session, user: User | None, engine: SearchEngine) -> IndexHealth:
    require_admin(user)
    in_outbox = (Job.kind.in_(SEARCH_SYNC_JOBS)) & (Job.status.in_(("pending", "running")))  # type: ignore[attr-defined]
    pending = session.execute(select(func.count()).select_from(Job).where(in_outbox)).scalar_one()
    retrying = session.execute(
        select(func.count()).select_from(Job).where(in_outbox, Job.last_error.is_not(None))  # type: ignore[union-attr]
    ).scalar_one()
    failing = (Job.status == "dead") | ((Job.status == "pending") & Job.last_error.is_not(None))  # type: ignore[union-attr]
    failed = [
        FailedJob(
            job.id,
            job.kind,
            job.entity,
            job.entity_id,
            job.status,
            job.attempts,
            job.max_attempts,  # type: ignore[arg-type]
            short_error(job.last_error),
            job.finished_at,
            job.run_after,
        )
        for job in session.execute(
            select(Job).where(failing).order_by(Job.id.desc()).limit(MAX_FAILED_SHOWN)  # type: ignore[union-attr]
        ).scalars()
    ]
    counts = count_jobs(session)
    last = (
        session.execute(
            select(ReconciliationRun)
            .where(ReconciliationRun.status != "pending")
            .order_by(ReconciliationRun.id.desc())  # type: ignore[union-attr]
            .limit(1)
        )
        .scalars()
        .first()
    )
    waiting = (
        session.execute(select(ReconciliationRun.id).where(ReconciliationRun.status == "pending")).first()
        is not None
    )
    return IndexHealth(pending, retrying, counts.dead, failed, counts, last, waiting, engine.health())


def retry_job(session: Session, user: User | None, job_id: int) -> Job:
    """Give a dead (or failing) job a fresh set of attempts, due now."""
    require_admin(user)
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(N_("Page not found"))
    if job.status not in ("dead", "pending"):
        raise NotRetryable(N_("Only a failed job can be retried."))
    job.status = "pending"
    job.attempts = 0
    job.run_after = utcnow()
    job.finished_at = None
    session.add(job)
    session.flush()
    return job


def request_reconciliation(session: Session, user: User | None) -> ReconciliationRun:
    """Queue a reconciliation (one waiting at a time): the worker compares index and database."""
    admin = require_admin(user)
    waiting = (
        session.execute(select(ReconciliationRun).where(ReconciliationRun.status == "pending"))
        .scalars()
        .first()
    )
    if waiting is not None:
        return waiting
    run = ReconciliationRun(requested_by_user_id=admin.id)
    session.add(run)
    session.flush()
    enqueue(session, RECONCILE_JOB, entity="reconciliation", entity_id=run.id, max_attempts=1)
    return run


def _summary(report: dict[str, list[int]]) -> dict:
    return {
        **{kind: len(ids) for kind, ids in report.items()},
        "sample": {kind: ids[:SAMPLE] for kind, ids in report.items() if ids},
    }


def record_result(
    run: ReconciliationRun, *, listings: dict[str, list[int]], notices: dict[str, list[int]]
) -> ReconciliationRun:
    """Put a comparison's differences on the run (what the index-health page shows)."""
    run.result = {"listings": _summary(listings), "notices": _summary(notices)}
    run.status = "done"
    run.finished_at = utcnow()
    return run


def run_reconciliation(session: Session, engine: SearchEngine, run_id: int) -> ReconciliationRun | None:
    """Compare listings and notices in the index with the database; queue a sync job for each difference
    (in this job's own transaction: on SQLite a second writer would wait on us)."""
    from marketplace.procurement.sync import reconcile_notices
    from marketplace.search.sync import reconcile_listings

    run = session.get(ReconciliationRun, run_id)
    if run is None:
        return None
    # Read-only comparisons on their own connections: deferred, so they never wait for this job's write lock.
    db = session.get_bind().execution_options(sqlite_begin="DEFERRED")  # type: ignore[union-attr]
    try:
        listings = reconcile_listings(db, engine)  # type: ignore[arg-type]
        notices = reconcile_notices(db, engine)  # type: ignore[arg-type]
    except SearchError as exc:  # recorded for the page, not retried: the admin runs it again
        run.status, run.error = "failed", short_error(str(exc)) or type(exc).__name__
    else:
        listing_report = {"missing": listings.missing, "stale": listings.stale, "orphaned": listings.orphaned}
        record_result(run, listings=listing_report, notices=notices)
        for job_kind, entity, report in (
            (LISTING_SYNC, "listing", listing_report),
            (NOTICE_SYNC, "notice", notices),
        ):
            for entity_id in sorted({i for ids in report.values() for i in ids}):
                enqueue(session, job_kind, entity=entity, entity_id=entity_id, max_attempts=10)
    run.finished_at = utcnow()
    session.add(run)
    session.flush()
    return run
