"""`puente import ocds`: releases and records from any OCDS publisher into procurement notices.

Memory stays flat whatever the size of the files: releases are streamed from each file into a spill (a
temporary SQLite file on disk), then read back sorted by ocid and date, one ocid at a time, compiled with
`ocdsmerge` (the OCDS reference implementation of merging) and written to the database in batches. A
re-import compares a digest of each notice's fields and changes (and re-indexes) only what changed; an
older release never overwrites a newer one.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from marketplace.core.db import session_scope
from marketplace.core.models import utcnow
from marketplace.procurement.extract import NotANotice, NoticeFields, normalise_ocid, notice_fields
from marketplace.procurement.models import ProcurementNotice
from marketplace.procurement.reader import DEFAULT_MAX_BYTES, OcdsEntry, OcdsProblem, expand_paths, read_file
from marketplace.procurement.sync import queue_notice_syncs

BATCH = 2000
SPILL_BATCH = 2000
# Lists whose items have no `id` are replaced whole by a newer release (OCDS merging rules); ocdsmerge would
# otherwise fetch the release schema from the network to learn them.
MERGE_RULES = {
    ("parties", "roles"): "wholeListMerge",
    ("tender", "submissionMethod"): "wholeListMerge",
    ("tender", "additionalProcurementCategories"): "wholeListMerge",
    ("tender", "items", "additionalClassifications"): "wholeListMerge",
    ("awards", "items", "additionalClassifications"): "wholeListMerge",
    ("contracts", "items", "additionalClassifications"): "wholeListMerge",
    ("tag",): "omitWhenMerged",
}
_MERGER = ocdsmerge.Merger(merge_rules=MERGE_RULES)


@dataclass(frozen=True)
class OcdsImportOptions:
    """Per-source settings: the country when the data does not say it, a link pattern, an ocid prefix."""

    country: str | None = None
    url_pattern: str | None = None  # e.g. "https://example.gov/tender/{ocid}" ({ocid}, {tender_id})
    ocid_prefix: str | None = None  # added to ocids published without their "ocds-xxxxxx-" prefix
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class OcdsImportReport:
    """What an import did: files, releases and records read, notices created/updated/unchanged/skipped."""

    files: int = 0
    files_failed: int = 0
    releases: int = 0
    records: int = 0
    ocids: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[OcdsProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[OcdsProblem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> str:
        return (
            f"{self.files} file(s) ({self.files_failed} with errors), {self.releases} release(s), "
            f"{self.records} record(s), {self.ocids} process(es): {self.created} notice(s) created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped; "
            f"{len(self.errors)} error(s), {len(self.problems) - len(self.errors)} note(s)"
        )


class _Spill:
    """Releases on disk, keyed by ocid and date, read back in that order."""

    def __init__(self, directory: str) -> None:
        self._db = sqlite3.connect(str(Path(directory) / "spill.db"))
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(
            "CREATE TABLE entries (ocid TEXT, date TEXT, seq INTEGER, kind TEXT, source TEXT, body TEXT)"
        )
        self._rows: list[tuple] = []
        self._seq = 0

    def add(self, ocid: str, date: Any, kind: str, source: str, body: dict | None) -> None:
        self._seq += 1
        text_date = date if isinstance(date, str) else ""
        self._rows.append(
            (ocid, text_date, self._seq, kind, source, json.dumps(body) if body is not None else None)
        )
        if len(self._rows) >= SPILL_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", self._rows)
            self._rows = []

    def groups(self) -> Iterator[tuple[str, list[tuple[str, str, str | None]]]]:
        """(ocid, [(kind, source, body)…]) in ocid order, each ocid's entries oldest first."""
        self.flush()
        self._db.execute("CREATE INDEX entries_order ON entries (ocid, date, seq)")
        cursor = self._db.execute("SELECT ocid, kind, source, body FROM entries ORDER BY ocid, date, seq")
        current: str | None = None
        group: list[tuple[str, str, str | None]] = []
        for ocid, kind, source, body in cursor:
            if ocid != current and current is not None:
                yield current, group
                group = []
            current = ocid
            group.append((kind, source, body))
        if current is not None:
            yield current, group

    def close(self) -> None:
        self._db.close()


def _publisher(package: dict) -> str | None:
    publisher = package.get("publisher")
    if isinstance(publisher, dict):
        name = publisher.get("name")
        return name if isinstance(name, str) else None
    return publisher if isinstance(publisher, str) else None


def _source(name: str, entry: OcdsEntry) -> str:
    return json.dumps({"file": name, "position": entry.position, "publisher": _publisher(entry.package)})


def _is_linked_release(release: dict) -> bool:
    """A record's release given only by reference ({url, date, tag}), not embedded."""
    return "url" in release and not {"tender", "planning", "awards", "contracts", "buyer", "parties"} & set(
        release
    )


def _spill_entry(
    spill: _Spill, name: str, entry: OcdsEntry, options: OcdsImportOptions, report: OcdsImportReport
) -> None:
    data = entry.data
    source = _source(name, entry)
    if entry.kind == "release":
        report.releases += 1
        ocid = normalise_ocid(data.get("ocid"), options.ocid_prefix)
        if ocid is None:
            if not _is_linked_release(data):
                report.problems.append(OcdsProblem(name, entry.position, "release without an ocid; skipped"))
            return
        spill.add(ocid, data.get("date"), "release", source, data)
        return
    report.records += 1
    ocid = normalise_ocid(data.get("ocid"), options.ocid_prefix)
    if ocid is None:
        report.problems.append(OcdsProblem(name, entry.position, "record without an ocid; skipped"))
        return
    compiled = data.get("compiledRelease")
    if isinstance(compiled, dict):
        spill.add(ocid, compiled.get("date"), "compiled", source, compiled)
        return
    embedded = [r for r in data.get("releases") or [] if isinstance(r, dict) and not _is_linked_release(r)]
    for release in embedded:
        spill.add(ocid, release.get("date"), "release", source, release)
    if not embedded:
        spill.add(ocid, None, "linked", source, None)


def _compile(ocid: str, group: list[tuple[str, str, str | None]]) -> dict | None:
    """The compiled release of one ocid from its releases (oldest first), with ocdsmerge when needed."""
    bodies = [json.loads(body) for kind, _, body in group if body is not None and kind != "linked"]
    if not bodies:
        return None
    if len(bodies) == 1:
        return bodies[0]
    for body in bodies:
        body.setdefault("ocid", ocid)
        if not isinstance(body.get("date"), str):
            body["date"] = ""
    return _MERGER.create_compiled_release(bodies)


def _apply(notice: ProcurementNotice, values: NoticeFields) -> None:
    """Take the new values; like OCDS merging, a field a newer release leaves out keeps its value."""
    for name, value in values.__dict__.items():
        if value is None or value == []:
            continue
        setattr(notice, name, value)


def _write_batch(db: Engine, batch: list[NoticeFields], report: OcdsImportReport) -> None:
    """Insert new notices and update changed ones in one transaction, with their sync jobs.

    New rows go through Core inserts (building thousands of SQLModel objects costs more than the import
    itself); the rarer updates load the notice to apply OCDS's "absent fields are kept" rule.
    """
    table = ProcurementNotice.__table__  # type: ignore[attr-defined]
    counts = OcdsImportReport()  # added to the report once the transaction has committed
    with session_scope(db) as session:
        ocids = [values.ocid for values in batch]
        existing = {
            row.ocid: row
            for row in session.execute(
                select(table.c.id, table.c.ocid, table.c.content_hash, table.c.release_date).where(
                    table.c.ocid.in_(ocids)
                )
            )
        }
        now = utcnow()
        new_rows: list[dict[str, Any]] = []
        changed: list[tuple[int, int]] = []
        for values in batch:
            digest = values.content_hash()
            row = existing.get(values.ocid)
            if row is None:
                data = {k: v for k, v in values.__dict__.items()}
                data.update(content_hash=digest, version=1, imported_at=now, updated_at=now)
                new_rows.append(data)
                counts.created += 1
                continue
            if row.content_hash == digest:
                counts.unchanged += 1
                continue
            if row.release_date and values.release_date and values.release_date < row.release_date:
                counts.unchanged += 1  # an older release than the one taken in: never goes back
                continue
            notice = session.get(ProcurementNotice, row.id, with_for_update=True)
            assert notice is not None
            _apply(notice, values)
            notice.content_hash = digest
            notice.version += 1
            notice.updated_at = now
            changed.append((notice.id, notice.version))  # type: ignore[arg-type]
            counts.updated += 1
        if new_rows:
            inserted = session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), new_rows
            ).scalars()
            changed.extend((notice_id, 1) for notice_id in inserted)
        session.flush()
        queue_notice_syncs(session, changed)
    report.created += counts.created
    report.updated += counts.updated
    report.unchanged += counts.unchanged


def _write(db: Engine, batch: list[NoticeFields], report: OcdsImportReport) -> None:
    """Write a batch; if the database refuses it, write its notices one by one and report the refused ones."""
    try:
        _write_batch(db, batch, report)
    except SQLAlchemyError:
        for values in batch:
            try:
                _write_batch(db, [values], report)
            except SQLAlchemyError as exc:
                report.skipped += 1
                detail = str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0][:200]
                report.problems.append(OcdsProblem("(database)", values.ocid, f"not saved: {detail}"))


def _download(url: str, directory: Path, number: int, max_bytes: int) -> Path:
    """Fetch a URL to a file, refusing more than `max_bytes` (the reader limits what it decompresses)."""
    import httpx

    suffix = "".join(Path(url.split("?", 1)[0]).suffixes[-2:]) or ".json"
    target = directory / f"download-{number}{suffix}"
    received = 0
    with httpx.stream("GET", url, follow_redirects=True, timeout=60) as response, target.open("wb") as handle:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > max_bytes:
                raise ValueError(f"larger than the size limit of {max_bytes} bytes; not imported")
            handle.write(chunk)
    return target


def _sources(
    sources: Iterable[Path | str], directory: Path, options: OcdsImportOptions, report: OcdsImportReport
) -> Iterator[tuple[str, Path]]:
    """(name for the report, local file) for every file named, found in a folder, or downloaded."""
    for number, source in enumerate(sources):
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            try:
                yield source, _download(source, directory, number, options.max_bytes)
            except Exception as exc:  # any network or HTTP failure is reported; the other sources go on
                report.files += 1
                report.files_failed += 1
                report.problems.append(OcdsProblem(source, "", f"cannot be downloaded: {exc}"))
            continue
        for path in expand_paths([Path(source)]):
            yield str(path), path


def import_ocds(
    db: Engine,
    paths: Iterable[Path | str],
    *,
    options: OcdsImportOptions | None = None,
    progress: Callable[[OcdsImportReport], None] | None = None,
) -> OcdsImportReport:
    """Import every OCDS file under `paths` (files, folders, URLs); bad files and releases are reported and skipped."""
    options = options or OcdsImportOptions()
    report = OcdsImportReport()
    with tempfile.TemporaryDirectory(prefix="puente-ocds-") as directory:
        spill = _Spill(directory)
        try:
            for name, path in _sources(paths, Path(directory), options, report):
                report.files += 1
                failed = False
                for item in read_file(path, max_bytes=options.max_bytes):
                    if isinstance(item, OcdsProblem):
                        report.problems.append(OcdsProblem(name, item.position, item.message, item.fatal))
                        failed = failed or item.fatal
                        continue
                    try:
                        _spill_entry(spill, name, item, options, report)
                    except (TypeError, ValueError) as exc:  # a value of an unexpected type
                        report.problems.append(OcdsProblem(name, item.position, f"skipped: {exc}"))
                    if progress and (report.releases + report.records) % 5000 == 0:
                        progress(report)
                report.files_failed += failed
            _compile_all(db, spill, options, report, progress)
        finally:
            spill.close()
    if progress:
        progress(report)
    return report


def _compile_all(
    db: Engine,
    spill: _Spill,
    options: OcdsImportOptions,
    report: OcdsImportReport,
    progress: Callable[[OcdsImportReport], None] | None,
) -> None:
    batch: list[NoticeFields] = []
    for ocid, group in spill.groups():
        report.ocids += 1
        last = json.loads(group[-1][1])
        try:
            compiled = _compile(ocid, group)
            if compiled is None:
                report.skipped += 1
                report.problems.append(
                    OcdsProblem(
                        last["file"],
                        last["position"],
                        f"{ocid}: only links to releases, no data; skipped",
                        fatal=False,
                    )
                )
                continue
            publisher = next(
                (json.loads(s)["publisher"] for _, s, _ in reversed(group) if json.loads(s)["publisher"]),
                None,
            )
            batch.append(
                notice_fields(
                    compiled,
                    ocid=ocid,
                    publisher=publisher,
                    country=options.country,
                    url_pattern=options.url_pattern,
                )
            )
        except NotANotice as exc:
            report.skipped += 1
            report.problems.append(
                OcdsProblem(last["file"], last["position"], f"{ocid}: {exc}; skipped", fatal=False)
            )
            continue
        except (OCDSMergeError, TypeError, ValueError, KeyError, AttributeError) as exc:
            report.skipped += 1
            report.problems.append(
                OcdsProblem(last["file"], last["position"], f"{ocid}: cannot be compiled ({exc})")
            )
            continue
        if len(batch) >= BATCH:
            _write(db, batch, report)
            batch = []
            if progress:
                progress(report)
    if batch:
        _write(db, batch, report)
