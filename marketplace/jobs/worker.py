"""The worker loop: `puente worker` in production, a background thread of `puente serve` when embedded."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from marketplace.jobs.registry import JobRegistry
from marketplace.jobs.service import JOB_QUEUED, recover_abandoned, run_next, schedule_periodic

log = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    succeeded: int = 0
    failed: int = 0


@dataclass
class Worker:
    engine: Engine
    registry: JobRegistry
    # Idle polling is a cheap read (no write lock), so it can be frequent: a change reaches the search
    # index well within a second.
    poll_interval: float = 0.2
    housekeeping_interval: float = 30.0
    worker_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    )
    stats: WorkerStats = field(default_factory=WorkerStats)
    # SQLite has one write lock and its busy handler is not fair: a worker that takes it again at once
    # starves the web requests waiting for it. A short breath between jobs lets them in.
    pause_between_jobs: float | None = None

    def __post_init__(self) -> None:
        if self.pause_between_jobs is None:
            self.pause_between_jobs = 0.02 if self.engine.dialect.name == "sqlite" else 0.0

    def drain(self, *, limit: int | None = None) -> WorkerStats:
        """Run due jobs until none is left (or `limit` ran); returns what this call did."""
        done = WorkerStats()
        while limit is None or done.succeeded + done.failed < limit:
            outcome = run_next(self.engine, self.registry, self.worker_id)
            if outcome is None:
                break
            if outcome:
                done.succeeded += 1
            else:
                done.failed += 1
            if self.pause_between_jobs:
                time.sleep(self.pause_between_jobs)
        self.stats.succeeded += done.succeeded
        self.stats.failed += done.failed
        return done

    def housekeeping(self) -> None:
        recover_abandoned(self.engine)
        schedule_periodic(self.engine, self.registry)

    def run(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; errors are logged and the loop goes on (the database may come back)."""
        log.info("worker %s started", self.worker_id)
        next_housekeeping = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() >= next_housekeeping:
                    self.housekeeping()
                    next_housekeeping = time.monotonic() + self.housekeeping_interval
                batch = self.drain(limit=100)
                if batch.succeeded + batch.failed == 0:
                    # Woken at once by a job queued in this process, else polls (jobs of other processes).
                    JOB_QUEUED.wait(self.poll_interval)
                    JOB_QUEUED.clear()
            except Exception:
                log.exception("worker loop error; retrying in %.0f s", self.poll_interval * 5)
                stop.wait(self.poll_interval * 5)
        log.info(
            "worker %s stopped (%s done, %s failed)", self.worker_id, self.stats.succeeded, self.stats.failed
        )


class BackgroundWorker:
    """Runs a Worker in a daemon thread (the embedded setup's single process)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=worker.run, args=(self._stop,), name="puente-worker", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        JOB_QUEUED.set()  # end an idle wait now
        self._thread.join(timeout)
