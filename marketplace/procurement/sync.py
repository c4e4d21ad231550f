"""Keep the "notices" search index equal to the database: a sync job per notice change, and a full reindex.

Works like marketplace/listings/sync.py and marketplace/search/sync.py for listings: the change queues a
job in its own transaction; the job reads the notice when it runs, so a late job never puts back an older
document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.jobs.models import Job
from marketplace.procurement.models import ProcurementNotice
from search.documents import NoticeDocument
from search.engine import SearchEngine

SYNC_JOB = "search.sync_notice"
BATCH = 500


def queue_notice_syncs(session: Session, changes: Iterable[tuple[int, int]]) -> None:
    """Queue bringing the index to each changed notice's version: `changes` are (notice id, version) pairs.

    One multi-row insert (an import changes thousands of notices at once); the rows are what
    marketplace.jobs.service.enqueue would write.
    """
    now = utcnow()
    rows = [
        {
            "kind": SYNC_JOB,
            "entity": "notice",
            "entity_id": notice_id,
            "version": version,
            "payload": {},
            "status": "pending",
            "attempts": 0,
            "max_attempts": 10,
            "run_after": now,
            "dedupe_key": f"notice:{notice_id}:v{version}",
            "created_at": now,
        }
        for notice_id, version in changes
    ]
    if rows:
        session.execute(insert(Job.__table__), rows)  # type: ignore[attr-defined]


def notice_document(notice: ProcurementNotice) -> NoticeDocument:
    """The search document of a notice (every notice is indexed; open or closed is a filter)."""
    published = notice.release_date or notice.imported_at
    return NoticeDocument(
        id=notice.id,  # type: ignore[arg-type]
        ocid=notice.ocid,
        title=notice.title,
        description=" ".join(
            part
            for part in [
                notice.description or "",
                *(item.get("description") or "" for item in notice.items[:50]),
            ]
            if part
        ),
        buyer_name=notice.buyer_name or "",
        country=notice.country or "",
        status=notice.status or "",
        tender_end=int(notice.tender_end.timestamp()) if notice.tender_end else None,
        published_at=int(published.timestamp()),
        language=notice.language if notice.language in ("es", "en", "pt", "fr") else None,
        classifications=list(notice.classifications),
        version=notice.version,
    )


def sync_notice(session: Session, engine: SearchEngine, notice_id: int) -> str:
    """Bring one notice's document to the database's state: "upserted" or "gone"."""
    notice = session.get(ProcurementNotice, notice_id)
    if notice is None:
        engine.delete("notices", [notice_id])
        return "gone"
    engine.upsert("notices", [notice_document(notice)])
    return "upserted"


def _all_notices(session: Session) -> Iterator[ProcurementNotice]:
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(ProcurementNotice)
                .where(ProcurementNotice.id > last_id)  # type: ignore[operator]
                .order_by(ProcurementNotice.id)  # type: ignore[arg-type]
                .limit(BATCH)
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id  # type: ignore[assignment]
        session.expunge_all()


def reindex_notices(
    db: Engine, engine: SearchEngine, *, progress: Callable[[int], None] | None = None
) -> int:
    """Build a new notices index beside the live one, swap it in, then queue syncs for what changed meanwhile."""
    count = 0
    batch: list[NoticeDocument] = []
    with Session(db) as session, engine.rebuild("notices") as build:
        for notice in _all_notices(session):
            batch.append(notice_document(notice))
            if len(batch) == BATCH:
                build.add(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            build.add(batch)
            count += len(batch)
    reconcile_notices(db, engine, repair=True)
    return count


def reconcile_notices(db: Engine, engine: SearchEngine, *, repair: bool = False) -> dict[str, list[int]]:
    """Notices missing, stale or orphaned in the index; with `repair`, a sync job queued for each."""
    indexed = engine.document_versions("notices")
    with Session(db) as session:
        versions = dict(session.execute(select(ProcurementNotice.id, ProcurementNotice.version)).all())  # type: ignore[call-overload]
    report = {
        "missing": sorted(i for i in versions if i not in indexed),
        "stale": sorted(i for i, v in versions.items() if i in indexed and indexed[i] < v),
        "orphaned": sorted(set(indexed) - set(versions)),
    }
    ids = [*report["missing"], *report["stale"], *report["orphaned"]]
    if repair and ids:
        from marketplace.core.db import session_scope
        from marketplace.jobs.service import enqueue

        with session_scope(db) as session:
            for notice_id in ids:
                enqueue(session, SYNC_JOB, entity="notice", entity_id=notice_id, max_attempts=10)
    return report
