"""Queue, claim and run jobs: atomic claims, retries with backoff, a dead-letter state, periodic runs."""

from __future__ import annotations

import logging
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from marketplace.core.db import run_in_transaction, session_scope
from marketplace.core.models import utcnow
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(hours=1)
# A running job whose worker has not finished it in this time is taken to be abandoned (a crash).
LEASE = timedelta(minutes=10)

# Set when a transaction of this process that queued a job commits: a worker in the same process (the
# embedded `serve`) wakes at once instead of at its next poll. Other processes still find it by polling.
JOB_QUEUED = threading.Event()
_QUEUED_FLAG = "puente_job_queued"


@event.listens_for(OrmSession, "after_commit")
def _wake_worker_after_commit(session: OrmSession) -> None:
    if session.info.pop(_QUEUED_FLAG, False):
        JOB_QUEUED.set()


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_rolled_back_jobs(session: OrmSession, previous_transaction: object) -> None:
    if not session.in_transaction():
        session.info.pop(_QUEUED_FLAG, None)


def enqueue(
    session: Session,
    kind: str,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    version: int | None = None,
    payload: dict | None = None,
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> Job | None:
    """Queue a job in the caller's transaction; with a dedupe_key already queued, queue nothing."""
    job = Job(
        kind=kind,
        entity=entity,
        entity_id=entity_id,
        version=version,
        payload=payload or {},
        run_after=run_after or utcnow(),
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
    )
    if dedupe_key is None:
        session.add(job)
        session.flush()
        session.info[_QUEUED_FLAG] = True
        return job
    if session.exec(select(Job.id).where(Job.dedupe_key == dedupe_key)).first() is not None:  # type: ignore[call-overload]
        return None
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:  # another process queued it between our check and our insert
        return None
    session.info[_QUEUED_FLAG] = True
    return job


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries: 2 s, 4 s, 8 s … capped at an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def claim_next(engine: Engine, worker_id: str, *, now: datetime | None = None) -> Job | None:
    """Atomically take the next due job: SKIP LOCKED on PostgreSQL, the single write lock on SQLite."""

    def claim(session: Session) -> Job | None:
        moment = now or utcnow()
        query = (
            select(Job)
            .where(Job.status == "pending", Job.run_after <= moment)
            .order_by(Job.run_after, Job.id)
            .limit(1)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job = session.execute(query).scalars().first()
        if job is None:
            return None
        job.status = "running"
        job.attempts += 1
        job.locked_by = worker_id
        job.locked_at = moment
        session.add(job)
        return job

    return run_in_transaction(engine, claim)


def run_claimed(engine: Engine, registry: JobRegistry, job: Job) -> bool:
    """Run a claimed job: its work and its completion commit together; a failure schedules a retry."""
    spec = registry.handler_for(job.kind)
    if spec is None:
        _record_failure(engine, job, f"no handler registered for job kind {job.kind!r}", final=True)
        return False
    try:
        with session_scope(engine) as session:
            current = session.get(Job, job.id)
            if current is None or current.status != "running" or current.locked_by != job.locked_by:
                return False  # recovered and taken by another worker meanwhile
            spec.handler(session, current)
            current.status = "done"
            current.finished_at = utcnow()
            current.last_error = None
            session.add(current)
    except Exception as exc:
        log.warning("job %s (%s) failed on attempt %s: %s", job.id, job.kind, job.attempts, exc)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _record_failure(engine, job, detail, final=job.attempts >= min(job.max_attempts, spec.max_attempts))
        return False
    return True


def _record_failure(engine: Engine, job: Job, error: str, *, final: bool) -> None:
    def record(session: Session) -> None:
        current = session.get(Job, job.id)
        if current is None:
            return
        current.last_error = error[:2000]
        current.locked_by = None
        current.locked_at = None
        if final:
            current.status = "dead"
            current.finished_at = utcnow()
        else:
            current.status = "pending"
            current.run_after = utcnow() + backoff(current.attempts)
        session.add(current)

    run_in_transaction(engine, record)
    if final:
        log.error("job %s (%s) is dead after %s attempts: %s", job.id, job.kind, job.attempts, error)


def has_due_job(engine: Engine, *, now: datetime | None = None) -> bool:
    """Whether any job is due, read without taking SQLite's write lock (so idle polling costs nothing)."""
    reader = engine.execution_options(sqlite_begin="DEFERRED")
    with reader.connect() as connection:
        found = connection.execute(
            select(Job.id).where(Job.status == "pending", Job.run_after <= (now or utcnow())).limit(1)
        ).first()
    return found is not None


def run_next(engine: Engine, registry: JobRegistry, worker_id: str) -> bool | None:
    """Claim and run one due job. None when nothing was due, else whether it succeeded."""
    if not has_due_job(engine):
        return None
    job = claim_next(engine, worker_id)
    if job is None:
        return None
    return run_claimed(engine, registry, job)


def schedule_periodic(engine: Engine, registry: JobRegistry, *, now: datetime | None = None) -> int:
    """Queue each periodic job for the current time slot, once across all workers; returns how many."""
    moment = now or utcnow()
    queued = 0
    for spec in registry.periodic.values():
        seconds = int(spec.every.total_seconds())
        slot = int(moment.timestamp()) // seconds
        key = f"periodic:{spec.kind}:{slot}"

        def queue(session: Session, kind: str = spec.kind, key: str = key) -> Job | None:
            return enqueue(session, kind, dedupe_key=key, run_after=moment)

        if run_in_transaction(engine, queue) is not None:
            queued += 1
    return queued


def recover_abandoned(engine: Engine, *, now: datetime | None = None, lease: timedelta = LEASE) -> int:
    """Put back running jobs whose worker vanished (lease expired); returns how many."""
    moment = now or utcnow()

    def recover(session: Session) -> int:
        result = session.execute(
            update(Job)
            .where(Job.status == "running", Job.locked_at < moment - lease)
            .values(status="pending", locked_by=None, locked_at=None, run_after=utcnow())
        )
        return result.rowcount or 0

    return run_in_transaction(engine, recover)


@dataclass(frozen=True)
class JobCounts:
    pending: int
    running: int
    done: int
    dead: int


def count_jobs(session: Session) -> JobCounts:
    """How many jobs are in each state (for /readyz, the worker's summary and operators)."""
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    counts = {status: number for status, number in rows}
    return JobCounts(**{status: counts.get(status, 0) for status in ("pending", "running", "done", "dead")})
