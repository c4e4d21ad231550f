"""The saved-search alerts job: every few minutes, new listings found by saved searches become notices.

The notices are mailed by the alerts digest (matching.send_digests), beside the match alerts.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.jobs.service import enqueue
from marketplace.savedsearches.service import check_saved_searches
from search.engine import SearchEngine

CHECK_JOB = "savedsearches.check"
CHECK_EVERY = timedelta(minutes=5)


def register_saved_search_jobs(registry: JobRegistry, engine: SearchEngine) -> None:
    def check_job(session: Session, job: Job) -> None:
        # An engine that is down raises: the job's transaction (notices and marks) rolls back, and the job
        # is retried with backoff, then queued again by the next period in any case.
        run = check_saved_searches(session, engine)
        if run.more:  # a backlog (e.g. after an outage): go on at once, in a new transaction
            enqueue(session, CHECK_JOB, dedupe_key=f"{CHECK_JOB}:after:{job.id}")

    registry.register(CHECK_JOB, check_job, max_attempts=5)
    registry.register_periodic(CHECK_JOB, CHECK_EVERY)
