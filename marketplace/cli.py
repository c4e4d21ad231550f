"""The `puente` command (DESIGN.md §6): serve, worker, migrate, seed, import, users."""

from __future__ import annotations

import getpass
import logging
import os
import secrets
import sys
import threading
import time
from pathlib import Path

import click

from marketplace.core.db import make_engine, session_scope
from marketplace.core.settings import Settings, SettingsError, get_settings


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group()
@click.version_option(package_name="puente")
def cli() -> None:
    """Puente: B2B matchmaking for MSMEs of the Americas."""
    from marketplace.core.redaction import install_log_redaction

    install_log_redaction()  # every command's log records, the worker's too (it builds no app)


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema to the newest version."""
    from marketplace.core.migrate import current_revision, upgrade_to_head

    settings = _settings()
    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    upgrade_to_head(engine)
    after = current_revision(engine)
    target = settings.database_url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"Database {target} is up to date (revision {after}).")
    else:
        click.echo(f"Database {target} migrated from {before or 'empty'} to {after}.")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the portal (one process; it also runs background jobs in the embedded setup)."""
    import uvicorn

    from marketplace.app import create_app

    settings = _settings()
    _setup_logging()
    # Embedded setup: this single process owns the jobs (the embedded index takes one writer).
    run_jobs = settings.search_backend == "embedded"
    app = create_app(settings, run_jobs=run_jobs)
    click.echo(
        f"Puente on http://{host}:{port} ({settings.env}; jobs {'in this process' if run_jobs else 'in puente worker'})"
    )
    uvicorn.run(app, host=host, port=port, workers=1, proxy_headers=settings.is_production, log_level="info")


@cli.command()
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit.")
def worker(once: bool) -> None:
    """Run background jobs (index updates, mail, expiry …) until stopped."""
    import signal

    from marketplace.jobs.registry import default_registry
    from marketplace.jobs.worker import Worker
    from marketplace.search.engine import build_search_engine

    settings = _settings()
    _setup_logging()
    engine = make_engine(settings.database_url)
    search_engine = build_search_engine(settings)
    job_worker = Worker(engine, default_registry(settings, search_engine=search_engine))
    if once:
        job_worker.housekeeping()
        stats = job_worker.drain()
        click.echo(f"Jobs run: {stats.succeeded} succeeded, {stats.failed} failed.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    job_worker.run(stop)
    click.echo(f"Worker stopped: {job_worker.stats.succeeded} succeeded, {job_worker.stats.failed} failed.")


def _demo_password(settings: Settings) -> str:
    """One password for every demo account, generated per installation and kept in the data directory."""
    path = settings.data_dir / "demo-password.txt"
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(12)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password


@cli.command()
def seed() -> None:
    """Load the demo data (idempotent): centres, companies, listings and demo accounts."""
    from marketplace.core.models import utcnow
    from marketplace.core.resources import resource_dir
    from marketplace.imports.demo import seed_demo

    settings = _settings()
    engine = make_engine(settings.database_url)
    password = _demo_password(settings)
    started = time.monotonic()
    with session_scope(engine) as session:
        report = seed_demo(
            session,
            resource_dir("seeds"),
            today=utcnow().date(),
            password=password,
            progress=lambda step: click.echo(f"  loading {step}…"),
        )
    for part in report.reports:
        click.echo(part.summary())
        for problem in part.problems:
            click.echo(f"  {problem}", err=True)
    click.echo(
        f"centres: {report.centres} created; accounts: {report.users} created ({time.monotonic() - started:.1f} s)"
    )
    from marketplace.procurement.importer import import_ocds

    tenders = import_ocds(
        engine, [resource_dir("seeds") / "ocds"]
    )  # real OCDS samples, for the tenders pages
    click.echo(f"government tenders: {tenders.summary()}")
    click.echo("Demo accounts (all share the password below):")
    for email, what in dict(report.logins).items():
        click.echo(f"  {email:45} {what}")
    click.echo(f"  password: {password}")


@cli.command()
def reindex() -> None:
    """Rebuild the search indexes (listings, then procurement notices) from the database beside the live
    ones, then swap them in."""
    from marketplace.procurement.sync import reindex_notices
    from marketplace.search.engine import build_search_engine
    from marketplace.search.sync import reindex_listings
    from search.engine import SearchError

    settings = _settings()
    engine = make_engine(settings.database_url)
    search_engine = build_search_engine(settings)
    started = time.monotonic()
    try:
        search_engine.ensure_indexes()
        listings = reindex_listings(
            engine, search_engine, progress=lambda n: click.echo(f"  {n} listings indexed…", err=True)
        )
        notices = reindex_notices(
            engine, search_engine, progress=lambda n: click.echo(f"  {n} notices indexed…", err=True)
        )
    except SearchError as exc:
        raise click.ClickException(f"search engine: {exc}") from None
    finally:
        search_engine.close()
    click.echo(
        f"Reindexed {listings} listings and {notices} notices in {time.monotonic() - started:.1f} s "
        f"({settings.search_backend})."
    )


@cli.command()
def rematch() -> None:
    """Queue matching for every published listing (vectors are recomputed only where the text changed)."""
    from marketplace.core.models import utcnow
    from marketplace.matching.service import queue_rematch_all

    settings = _settings()
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        queued = queue_rematch_all(session, today=utcnow().date())
    click.echo(f"Queued matching for {queued} listings; the worker (or `puente serve`) runs it.")


@cli.command()
@click.option("--repair", is_flag=True, help="Queue a sync job for every difference found.")
def reconcile(repair: bool) -> None:
    """Report listings and notices missing, stale or orphaned in the search index (exit 1 when any differ)."""
    from marketplace.procurement.sync import reconcile_notices
    from marketplace.search.engine import build_search_engine
    from marketplace.search.sync import reconcile_listings
    from search.engine import SearchError

    settings = _settings()
    engine = make_engine(settings.database_url)
    search_engine = build_search_engine(settings)
    try:
        listings = reconcile_listings(engine, search_engine, repair=repair)
        notices = reconcile_notices(engine, search_engine, repair=repair)
    except SearchError as exc:
        raise click.ClickException(f"search engine: {exc}") from None
    finally:
        search_engine.close()
    from marketplace.moderation.health import record_result
    from marketplace.moderation.models import ReconciliationRun

    listing_report = {"missing": listings.missing, "stale": listings.stale, "orphaned": listings.orphaned}
    with session_scope(engine) as session:  # shown on the admins' index-health page like a run started there
        session.add(record_result(ReconciliationRun(), listings=listing_report, notices=notices))
    differences = 0
    for name, found in (("listings", listing_report), ("notices", notices)):
        count = sum(len(ids) for ids in found.values())
        differences += count
        click.echo(
            f"{name}: {len(found['missing'])} missing, {len(found['stale'])} stale, "
            f"{len(found['orphaned'])} orphaned" + (" (sync jobs queued)" if repair and count else "")
        )
        for label, ids in found.items():
            if ids:
                click.echo(f"  {label}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}")
    if differences:
        sys.exit(1)


@cli.group(name="import")
def import_group() -> None:
    """Import data files (format: docs/import-format.md)."""


def _run_import(kind: str, path: Path) -> None:
    from marketplace.core.models import utcnow
    from marketplace.imports.reader import ImportFileError, read_rows
    from marketplace.imports.service import import_companies, import_listings

    settings = _settings()
    engine = make_engine(settings.database_url)

    def progress(count: int) -> None:
        if count % 500 == 0:
            click.echo(f"  {count} rows…", err=True)

    try:
        with session_scope(engine) as session:
            rows = read_rows(path)
            if kind == "companies":
                report = import_companies(session, rows, progress=progress)
            else:
                report = import_listings(session, rows, today=utcnow().date(), progress=progress)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in report.problems:
        click.echo(f"{path.name}: {problem}", err=True)
    click.echo(report.summary())
    if report.problems:
        sys.exit(1)


@import_group.command(name="companies")
@click.argument("file", type=click.Path(path_type=Path))
def import_companies_command(file: Path) -> None:
    """Create or update companies from FILE (.jsonl or .csv)."""
    _run_import("companies", file)


@import_group.command(name="listings")
@click.argument("file", type=click.Path(path_type=Path))
def import_listings_command(file: Path) -> None:
    """Create or update listings from FILE (.jsonl or .csv); their companies must exist."""
    _run_import("listings", file)


@import_group.command(name="ocds")
@click.argument("paths", nargs=-1, required=True)
@click.option("--country", help="ISO country code for notices whose data does not say it (per source).")
@click.option("--url-pattern", help="Link to the official notice when the data has none (https://…/{ocid}).")
@click.option("--ocid-prefix", help="Prefix (ocds-xxxxxx) added to ocids published without one.")
@click.option("--max-mb", default=512, show_default=True, type=click.IntRange(1), help="Size limit per file.")
def import_ocds_command(
    paths: tuple[str, ...], country: str | None, url_pattern: str | None, ocid_prefix: str | None, max_mb: int
) -> None:  # fmt: skip
    """Import OCDS releases and records (files, folders or URLs; .json, .jsonl, .gz) as procurement notices."""
    from marketplace.procurement.extract import country_code
    from marketplace.procurement.importer import OcdsImportOptions, OcdsImportReport, import_ocds

    settings = _settings()
    engine = make_engine(settings.database_url)
    code = country_code(country) if country else None
    if country and not code:
        raise click.ClickException(f"--country: unknown country {country!r}")
    options = OcdsImportOptions(
        country=code, url_pattern=url_pattern, ocid_prefix=ocid_prefix, max_bytes=max_mb * 1024 * 1024
    )
    started = time.monotonic()

    def progress(report: OcdsImportReport) -> None:
        rate = (report.releases + report.records) / max(time.monotonic() - started, 0.001)
        click.echo(
            f"\r  {report.files} files, {report.releases} releases, {report.records} records, "
            f"{report.created + report.updated + report.unchanged} notices ({rate:,.0f}/s)…",
            err=True,
            nl=False,
        )

    report = import_ocds(engine, paths, options=options, progress=progress)
    click.echo("", err=True)
    for problem in report.problems:
        click.echo(f"{'error' if problem.fatal else 'note'}: {problem}", err=True)
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)


@cli.command(name="reindex-notices")
def reindex_notices_command() -> None:
    """Rebuild only the procurement notices index (`puente reindex` rebuilds it too, with the listings)."""
    from marketplace.procurement.sync import reindex_notices
    from marketplace.search.engine import build_search_engine
    from search.engine import SearchError

    settings = _settings()
    engine = make_engine(settings.database_url)
    search_engine = build_search_engine(settings)
    try:
        search_engine.ensure_indexes()
        total = reindex_notices(engine, search_engine, progress=lambda n: click.echo(f"  {n}…", err=True))
    except SearchError as exc:
        raise click.ClickException(f"search engine: {exc}") from None
    finally:
        search_engine.close()
    click.echo(f"Reindexed {total} notices ({settings.search_backend}).")


@cli.group()
def users() -> None:
    """Manage user accounts."""


@users.command(name="create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Administrator", show_default=True)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt."
)
def create_admin(email: str, name: str, password_stdin: bool) -> None:
    """Create an administrator, or make an existing account one."""
    from marketplace.accounts.service import create_admin_account
    from marketplace.core.errors import DomainError

    settings = _settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (12–128 characters): ")
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            user, created = create_admin_account(session, email=email, name=name, password=password)
    except DomainError as exc:
        detail = "; ".join(f"{name}: {message}" for name, message in exc.fields.items()) or exc.message
        raise click.ClickException(detail) from None
    click.echo(f"{'Created' if created else 'Promoted'} administrator {user.email}.")


def main() -> None:
    """Console-script entry point: a bad setting ends with one line, never a traceback."""
    try:
        cli(standalone_mode=True)
    except SettingsError as exc:
        click.echo(f"Error: configuration error: {exc}", err=True)
        sys.exit(2)
