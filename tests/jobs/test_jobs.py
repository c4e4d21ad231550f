"""The jobs table: atomic claims, retries with backoff, dead letters, periodic runs, at most once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.jobs.service import (
    backoff,
    claim_next,
    enqueue,
    recover_abandoned,
    run_next,
    schedule_periodic,
)
from marketplace.jobs.worker import Worker
from marketplace.outcomes.models import Outcome
from tests.factories import make_company


def _queue(engine: Engine, kind: str, **fields) -> int:
    with Session(engine) as session:
        job = enqueue(session, kind, **fields)
        session.commit()
        assert job is not None
        return job.id  # type: ignore[return-value]


def _job(engine: Engine, job_id: int) -> Job:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_runs_and_its_work_commits_with_it(engine: Engine) -> None:
    registry = JobRegistry()
    with Session(engine) as session:
        company_id = make_company(session).id
        session.commit()

    def record(session: Session, job: Job) -> None:
        session.add(Outcome(company_id=job.entity_id, kind="sale", occurred_on=utcnow().date()))

    registry.register("record", record)
    job_id = _queue(engine, "record", entity="company", entity_id=company_id)
    assert run_next(engine, registry, "w1") is True
    assert run_next(engine, registry, "w1") is None  # nothing else due
    job = _job(engine, job_id)
    assert job.status == "done" and job.attempts == 1 and job.finished_at is not None
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Outcome)).scalar_one() == 1


def test_a_failing_job_is_retried_with_backoff_then_dead(engine: Engine) -> None:
    registry = JobRegistry()
    with Session(engine) as session:
        company_id = make_company(session).id
        session.commit()

    def flaky(session: Session, job: Job) -> None:
        session.add(Outcome(company_id=company_id, kind="sale", occurred_on=utcnow().date()))
        raise ConnectionError("search engine down")

    registry.register("flaky", flaky, max_attempts=3)
    job_id = _queue(engine, "flaky")
    assert run_next(engine, registry, "w1") is False
    job = _job(engine, job_id)
    assert job.status == "pending" and job.attempts == 1
    assert "search engine down" in (job.last_error or "")
    assert job.run_after >= utcnow() + timedelta(seconds=1)  # not due again at once
    assert run_next(engine, registry, "w1") is None

    for attempt in (2, 3):
        with Session(engine) as session:  # time passes: make it due
            row = session.get(Job, job_id)
            row.run_after = utcnow() - timedelta(seconds=1)  # type: ignore[union-attr]
            session.commit()
        assert run_next(engine, registry, "w1") is False
        assert _job(engine, job_id).attempts == attempt
    job = _job(engine, job_id)
    assert job.status == "dead" and job.finished_at is not None
    with Session(engine) as session:  # the failed attempts' own writes were rolled back
        assert session.execute(select(func.count()).select_from(Outcome)).scalar_one() == 0


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff(40) == timedelta(hours=1)


def test_a_job_without_a_handler_goes_to_the_dead_letters(engine: Engine) -> None:
    job_id = _queue(engine, "nobody.handles.this")
    assert run_next(engine, JobRegistry(), "w1") is False
    job = _job(engine, job_id)
    assert job.status == "dead" and "no handler" in (job.last_error or "")


def test_a_job_is_not_run_before_its_time(engine: Engine) -> None:
    _queue(engine, "later", run_after=utcnow() + timedelta(minutes=5))
    assert claim_next(engine, "w1") is None


def test_dedupe_key_queues_once(engine: Engine) -> None:
    with Session(engine) as session:
        assert enqueue(session, "digest", dedupe_key="digest:2026-11-30") is not None
        assert enqueue(session, "digest", dedupe_key="digest:2026-11-30") is None
        session.commit()
        assert session.execute(select(func.count()).select_from(Job)).scalar_one() == 1


def test_periodic_jobs_are_queued_once_per_slot(engine: Engine) -> None:
    registry = JobRegistry()
    registry.register("tick", lambda session, job: None)
    registry.register_periodic("tick", timedelta(minutes=10))
    now = utcnow()
    slot_start = now - timedelta(seconds=int(now.timestamp()) % 600, microseconds=now.microsecond)
    assert schedule_periodic(engine, registry, now=slot_start) == 1
    assert schedule_periodic(engine, registry, now=slot_start + timedelta(minutes=9)) == 0  # same slot
    assert schedule_periodic(engine, registry, now=slot_start + timedelta(minutes=10)) == 1  # next slot


def test_abandoned_running_job_is_taken_again(engine: Engine) -> None:
    job_id = _queue(engine, "slow")
    claimed = claim_next(engine, "crashed-worker")
    assert claimed is not None and claimed.id == job_id
    assert recover_abandoned(engine) == 0  # lease still running
    assert recover_abandoned(engine, now=utcnow() + timedelta(minutes=11)) == 1
    again = claim_next(engine, "w2")
    assert again is not None and again.id == job_id and again.attempts == 2


@pytest.mark.parametrize("workers", [4])
def test_concurrent_workers_run_each_job_exactly_once(engine: Engine, workers: int) -> None:
    runs: list[int] = []
    lock = threading.Lock()

    def handler(session: Session, job: Job) -> None:
        with lock:
            runs.append(job.payload["n"])

    registry = JobRegistry()
    registry.register("count", handler)
    with Session(engine) as session:
        for n in range(120):
            enqueue(session, "count", payload={"n": n})
        session.commit()
    pool = [Worker(engine, registry, worker_id=f"w{i}") for i in range(workers)]
    threads = [threading.Thread(target=worker.drain) for worker in pool]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(runs) == list(range(120))
    assert sum(worker.stats.succeeded for worker in pool) == 120
    with Session(engine) as session:
        statuses = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    assert dict(statuses) == {"done": 120}


def test_an_idle_worker_wakes_when_this_process_queues_a_job_not_at_its_next_poll(engine: Engine) -> None:
    """The embedded `serve` runs the worker in-process: a committed job wakes it at once (a listing edit
    reaches search without waiting for the poll); a rolled-back one does not."""
    registry = JobRegistry()
    ran = threading.Event()
    registry.register("wake", lambda session, job: ran.set())
    worker = Worker(engine, registry, poll_interval=30.0, housekeeping_interval=3600.0)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        worker_idle = threading.Event()
        threading.Timer(0.5, worker_idle.set).start()
        worker_idle.wait()  # the worker found nothing and waits for its 30 s poll
        with Session(engine) as session:
            enqueue(session, "wake")
            session.rollback()
        assert not ran.wait(1.0)  # nothing was queued
        _queue(engine, "wake")
        assert ran.wait(5.0), "the queued job waited for the worker's next poll"
    finally:
        stop.set()
        from marketplace.jobs.service import JOB_QUEUED

        JOB_QUEUED.set()
        thread.join(10)
