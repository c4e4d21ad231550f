"""The saved-search alerts job: new listings that fit a search become one notice each, mailed in the alerts
digest; listings published before the save, not fitting, or the user's own company's are left out; an engine
that is down loses nothing."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.service import enqueue
from marketplace.jobs.worker import Worker
from marketplace.listings.sync import queue_listing_sync
from marketplace.savedsearches.jobs import CHECK_EVERY, CHECK_JOB
from marketplace.savedsearches.models import SavedSearch
from marketplace.savedsearches.service import check_saved_searches
from marketplace.search.sync import sync_listing
from search.engine import SearchUnavailable
from tests.factories import make_company, make_listing
from tests.inquiries.tools import browser_of
from tests.notifications.test_alerts import digests
from tests.notifications.tools import BASE_URL, mails_to, notices_of, run_jobs, worker_settings
from tests.savedsearches.tools import buyer, owner_of, publish, saved, searches_of


def check(client: TestClient, session: Session, **kwargs) -> int:  # type: ignore[no-untyped-def]
    """Run the job's work two minutes from now (past the settling time of the listings just published)."""
    session.expire_all()
    kwargs.setdefault("now", utcnow() + timedelta(minutes=2))
    run = check_saved_searches(session, client.app.state.search, **kwargs)  # type: ignore[attr-defined]
    session.commit()
    return run.notices


def test_a_new_listing_that_fits_is_notified_once_and_others_are_not(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    first_mark = saved(session, user, "q=cafe&country=CO", ago=timedelta(hours=1)).checked_up_to
    publish(client, session, title="Café verde de Huila", published_at=utcnow() - timedelta(hours=2))
    fits = publish(client, session, title="Café tostado en grano")
    publish(client, session, title="Miel de abeja")  # other words
    peru = make_company(session, name="Café del Cusco", country="PE")
    publish(client, session, company=peru, title="Café orgánico")  # another country
    publish(client, session, title="Café expirado", valid_until=utcnow().date() - timedelta(days=1))

    assert check(client, session) == 1
    (notice,) = notices_of(session, user)
    assert (notice.kind, notice.listing_id, notice.read_at) == ("saved_search", fits.id, None)
    (after,) = searches_of(session, user)
    assert after.last_run_at is not None and after.checked_up_to > first_mark

    # Every few minutes again: nothing new, nothing twice; even re-reading from the old mark adds nothing.
    assert check(client, session) == 0
    session.execute(update(SavedSearch).values(checked_up_to=first_mark))
    session.commit()
    assert check(client, session) == 0
    assert len(notices_of(session, user)) == 1
    page = browser_page(client, user.email)
    assert "New listing for your saved search: Café tostado en grano" in page


def browser_page(client: TestClient, email: str) -> str:
    return browser_of(client, email).get("/notifications").text


def test_the_users_own_companys_listings_are_not_news_to_them(client: TestClient, session: Session) -> None:
    company = make_company(session, name="Tostadores Andinos", country="CO")
    seller = owner_of(session, company, "ventas@andinos.example")
    saved(session, seller, "q=cafe", ago=timedelta(hours=1))
    publish(client, session, company=company, title="Café tostado")
    other = publish(client, session, title="Café molido")
    assert check(client, session) == 1
    assert [n.listing_id for n in notices_of(session, seller)] == [other.id]


def test_a_listing_not_yet_in_the_index_is_found_by_a_later_run(client: TestClient, session: Session) -> None:
    user = buyer(session)
    saved(session, user, "q=miel", ago=timedelta(hours=1))
    company = make_company(session, name="Mieles del Sur", country="AR")
    late = make_listing(session, company=company, title="Miel cruda")
    queue_listing_sync(session, late)  # published, waiting for the index (the sync job has not run)
    session.commit()
    assert check(client, session) == 0
    (search,) = searches_of(session, user)
    assert search.checked_up_to <= late.published_at  # the mark waits for the index  # type: ignore[operator]
    sync_listing(session, client.app.state.search, late.id)  # type: ignore[arg-type,attr-defined]
    session.execute(update(Job).values(status="done"))
    session.commit()
    assert check(client, session) == 1
    assert [n.listing_id for n in notices_of(session, user)] == [late.id]


class Outage:
    """The app's real engine; while `down`, a search fails the way an unreachable server does."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine
        self.down = False

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.engine, name)

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.down:
            raise SearchUnavailable("connection refused (simulated outage)")
        return self.engine.search(*args, **kwargs)


def test_the_periodic_job_fails_while_the_engine_is_down_and_catches_up_after(
    client: TestClient, session: Session, engine: Engine
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    search_engine = Outage(client.app.state.search)  # type: ignore[attr-defined]
    registry = default_registry(settings, search_engine=search_engine)  # type: ignore[arg-type]
    assert registry.periodic[CHECK_JOB].every == CHECK_EVERY
    worker = Worker(engine, registry, pause_between_jobs=0)
    user = buyer(session)
    mark = saved(session, user, "q=cacao", ago=timedelta(hours=1)).checked_up_to
    cacao = publish(
        client, session, title="Cacao fino de aroma", published_at=utcnow() - timedelta(minutes=10)
    )

    search_engine.down = True
    enqueue(session, CHECK_JOB, dedupe_key="test:check")
    session.commit()
    assert worker.drain().failed == 1
    assert notices_of(session, user) == []
    (unchanged,) = searches_of(session, user)
    assert (unchanged.checked_up_to, unchanged.last_run_at) == (mark, None)

    search_engine.down = False
    session.execute(update(Job).where(Job.kind == CHECK_JOB).values(run_after=utcnow()))  # its retry is due
    session.commit()
    assert worker.drain().succeeded == 1
    assert [n.listing_id for n in notices_of(session, user)] == [cacao.id]
    enqueue(session, CHECK_JOB, dedupe_key="test:check-again")
    session.commit()
    assert worker.drain().succeeded == 1
    assert len(notices_of(session, user)) == 1


def test_hits_are_mailed_in_the_alerts_digest_received_by_the_smtp_server(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    user = buyer(session)
    saved(session, user, "q=quinua", ago=timedelta(hours=1))
    bolivia = make_company(session, name="Andes Granos", country="BO")
    quinoa = publish(client, session, company=bolivia, title="Quinua real en grano")
    assert check(client, session) == 1
    assert digests(session, client) == 1
    run_jobs(engine, worker_settings(client, port, tmp_path))
    (mail,) = mails_to(inbox, user.email)
    text = mail.get_body(("plain",)).get_content()
    assert "New listings for your saved searches:" in text and "Quinua real en grano" in text
    assert f"{BASE_URL}/listings/{quinoa.id}" in text
    assert f'href="{BASE_URL}/listings/{quinoa.id}"' in mail.get_body(("html",)).get_content()
    assert mail["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe?token=")
    # Later runs of both jobs send nothing twice.
    assert check(client, session) == 0 and digests(session, client) == 0
    run_jobs(engine, worker_settings(client, port, tmp_path))
    assert len(mails_to(inbox, user.email)) == 1


def test_a_deactivated_account_is_told_nothing_and_gets_no_backlog_when_it_returns(
    client: TestClient, session: Session
) -> None:
    user = buyer(session)
    saved(session, user, "q=cacao", ago=timedelta(hours=1))
    user.is_active = False
    session.add(user)
    session.commit()
    publish(client, session, title="Cacao fino de aroma")
    assert check(client, session) == 0
    user.is_active = True
    session.add(user)
    session.commit()
    assert check(client, session) == 0
    assert notices_of(session, user) == []


def test_a_run_stops_at_its_budget_and_queues_the_rest_which_keep_their_marks(
    client: TestClient, session: Session, engine: Engine
) -> None:
    first, second = buyer(session), buyer(session, "otra@example.com")
    saved(session, first, "q=cacao", ago=timedelta(hours=2))
    mark = saved(session, second, "q=cacao", ago=timedelta(hours=1)).checked_up_to
    cacao = publish(client, session, title="Cacao fino de aroma")
    session.expire_all()
    run = check_saved_searches(
        session, client.app.state.search, now=utcnow() + timedelta(minutes=2), max_notices=1
    )  # type: ignore[attr-defined]
    session.commit()
    assert (run.notices, run.searches, run.more) == (1, 1, True)
    assert [n.listing_id for n in notices_of(session, first)] == [cacao.id]  # the least recently checked
    assert notices_of(session, second) == [] and searches_of(session, second)[0].checked_up_to == mark
    assert check(client, session, max_notices=1) == 1
    assert [n.listing_id for n in notices_of(session, second)] == [cacao.id]


def test_the_job_goes_on_at_once_in_a_new_run_when_one_stops_at_its_budget(
    client: TestClient, session: Session, engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from marketplace.savedsearches import service

    monkeypatch.setattr(service, "MAX_NOTICES_PER_RUN", 1)
    users = [buyer(session, f"comprador{n}@example.com") for n in range(3)]
    for user in users:
        saved(session, user, "q=cacao", ago=timedelta(hours=1))
    publish(client, session, title="Cacao fino de aroma", published_at=utcnow() - timedelta(minutes=10))
    registry = default_registry(client.app.state.settings, search_engine=client.app.state.search)  # type: ignore[attr-defined]
    enqueue(session, CHECK_JOB, dedupe_key="test:check")
    session.commit()
    # A run per search with news (then one that finds the others' marks only a little behind): no wait.
    assert Worker(engine, registry, pause_between_jobs=0).drain().succeeded >= 3
    assert [len(notices_of(session, user)) for user in users] == [1, 1, 1]
