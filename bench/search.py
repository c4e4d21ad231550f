"""Benchmark search through the whole app: database, outbox, embedded index, service layer and HTTP API.

    .venv/bin/python -m bench.search              # 100 000 listings (takes a few minutes)
    .venv/bin/python -m bench.search --n 20000

What it does (issue #5, "Done means"), all in a fresh temporary data directory (PUENTE_DATA_DIR):

1. builds N realistic listings in a new SQLite database (migrations, then bulk inserts with SQLAlchemy Core)
   and the embedded index from it with `reindex_listings`: prints the insert rate and indexing docs/s;
2. measures the same queries (typos, prefixes, missing accents, facets and filters, pagination) through raw
   engine calls and through the service layer in this process, then through `GET /api/v1/search` of a real
   `python -m marketplace serve` on 127.0.0.1 (sequential keep-alive client, then concurrent clients):
   p50/p95/p99, the app's overhead as ratios to raw, throughput;
3. measures update-to-visible latency through the outbox: a listing's title changed in the database and its
   sync queued like the app does, then the HTTP search polled until the new title is found;
4. prints the peak memory of this process and of the server.

Listings reuse the vocabulary of bench/search_engine.py (HS 2022 descriptions in es/en/pt/fr, trade phrases,
countries of the Americas) but are generated with consistent companies, statuses and dates here.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/search.py` puts bench/ first on sys.path, where this very file would shadow the `search`
# package: the repository root goes before it (for `search` and `bench.search_engine`).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib.metadata import version
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.search_engine import COMPANY_WORDS, COUNTRIES, PHRASES, percentile, typo
from marketplace.centres.models import Centre
from marketplace.companies.models import Company
from marketplace.core.codes import CERTIFICATIONS, SECTORS
from marketplace.core.db import make_engine, session_scope
from marketplace.core.migrate import upgrade_to_head
from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.worker import Worker
from marketplace.listings.models import Listing
from marketplace.listings.service import listing_changed
from marketplace.search.engine import build_search_engine
from marketplace.search.service import SearchParams, search_listings
from marketplace.search.sync import reindex_listings
from search.engine import SearchEngine, SearchQuery, SearchResults
from search.taxonomy.hs import hs_taxonomy

REPO = Path(__file__).resolve().parent.parent
TARGET_HTTP_P95_MS = 50.0
TARGET_OVERHEAD = 1.5
TARGET_VISIBLE_S = 1.0
INSERT_BATCH = 5_000
SERVER_START_TIMEOUT_S = 90.0
VISIBLE_TIMEOUT_S = 15.0

# Which language a company of each country writes in (the others write Spanish).
COUNTRY_LANGUAGE = {
    "BR": "pt", "US": "en", "CA": "en", "JM": "en", "TT": "en", "BZ": "en", "BS": "en", "BB": "en", "GY": "en",
    "SR": "en", "GD": "en", "HT": "fr",
}  # fmt: skip
# Bigger economies have more companies on the portal.
COUNTRY_WEIGHT = {"MX": 12, "BR": 12, "CO": 10, "PE": 8, "AR": 7, "CL": 6, "US": 6, "EC": 5, "GT": 4, "CR": 4}
LEGAL_SUFFIX = {
    "MX": "S.A. de C.V.", "CO": "S.A.S.", "PE": "S.A.C.", "AR": "S.R.L.", "CL": "SpA", "BR": "Ltda.",
    "US": "LLC", "CA": "Inc.", "JM": "Ltd.", "TT": "Ltd.", "HT": "S.A.", "EC": "Cía. Ltda.",
}  # fmt: skip
TRADE_WORDS = {
    "es": ["Exportadora", "Alimentos", "Agroindustrial", "Comercializadora", "Textiles", "Artesanías", "Industrias"],
    "en": ["Exports", "Foods", "Trading", "Farms", "Textiles", "Crafts", "Industries"],
    "pt": ["Exportadora", "Alimentos", "Agroindústria", "Comercial", "Têxteis", "Artesanato", "Indústrias"],
    "fr": ["Exportations", "Aliments", "Commerce", "Fermes", "Textiles", "Artisanat", "Industries"],
}  # fmt: skip
BUYING = {"es": "Compramos", "en": "Buying", "pt": "Compramos", "fr": "Nous achetons"}
QUANTITY = {
    "offer": {"es": "Capacidad mensual", "en": "Monthly capacity", "pt": "Capacidade mensal",
              "fr": "Capacité mensuelle"},
    "request": {"es": "Volumen requerido", "en": "Volume needed", "pt": "Volume necessário",
                "fr": "Volume recherché"},
}  # fmt: skip
CITIES = ["Lima", "Medellín", "Guadalajara", "São Paulo", "Santiago", "Quito", "Mendoza", "Recife", "Toronto",
          "Miami", "San José", "Guatemala", "Asunción", "Montevideo", "Port-au-Prince", "Kingston"]  # fmt: skip
UNITS = ["kg", "t", "unit", "box", "container_20ft", "pallet", "l"]
INCOTERMS = ["FOB", "CIF", "EXW", "FCA", "DAP", "CFR"]
# Words too common in HS descriptions to be what someone searches for.
STOPWORDS = {
    "para", "with", "from", "pour", "dans", "sans", "other", "otros", "otras", "demás", "autres", "outros", "outras",
    "incluso", "including", "excepto", "except", "excluding", "whether", "mesmo", "même", "sauf", "those", "their",
    "compramos", "buying", "achetons", "nous", "partida", "heading", "subpartida", "posição", "position",
}  # fmt: skip


class BenchError(RuntimeError):
    """Something made a measurement impossible; the message says what."""


def section(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


# -- 1. data ------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    centres: list[dict[str, Any]]
    companies: list[dict[str, Any]]
    listings: list[dict[str, Any]]

    def active_ids(self, today: date) -> list[int]:
        """Listings search may show (published, not past their validity)."""
        return [
            row["id"]
            for row in self.listings
            if row["status"] == "published" and (row["valid_until"] is None or row["valid_until"] >= today)
        ]


def make_corpus(n: int, n_companies: int, rng: random.Random, now: datetime) -> Corpus:
    """Centres, companies and n listings as rows for the tables, with consistent relations and dates."""
    taxonomy = hs_taxonomy()
    by_chapter: dict[str, list[str]] = defaultdict(list)
    for code in taxonomy.codes():
        if code.level == 6:
            by_chapter[code.code[:2]].append(code.code)
    chapters = sorted(by_chapter)
    weights = [COUNTRY_WEIGHT.get(country, 2) for country in COUNTRIES]
    today = now.date()

    centres = [
        {"id": i, "external_key": None, "name": f"Centro de Desarrollo Empresarial {country}", "country": country,
         "city": rng.choice(CITIES), "network": "SBDC Américas", "requires_review": False, "created_at": now}
        for i, country in enumerate(["MX", "CO", "PE", "BR", "CL", "AR", "EC", "GT", "CR", "US", "DO", "PA"], 1)
    ]  # fmt: skip
    companies = []
    company_meta = []  # (language, chapters) per company, to keep its listings consistent
    for i in range(1, n_companies + 1):
        country = rng.choices(COUNTRIES, weights)[0]
        language = COUNTRY_LANGUAGE.get(country, "es")
        if country == "CA" and rng.random() < 0.25:
            language = "fr"
        name = f"{rng.choice(TRADE_WORDS[language])} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
        verified = rng.random() < 0.2
        companies.append(
            {
                "id": i,
                "external_key": None,
                "name": name,
                "legal_name": f"{name} {LEGAL_SUFFIX.get(country, 'S.A.')}",
                "tax_id": None,
                "country": country,
                "region": None,
                "city": rng.choice(CITIES),
                "size_class": rng.choices(["micro", "small", "medium"], [5, 3, 1])[0],
                "sectors": rng.sample(SECTORS, rng.randint(1, 2)),
                "languages": sorted({language, "en"}) if rng.random() < 0.4 else [language],
                "export_experience": rng.choice(["none", "occasional", "regular"]),
                "markets_served": rng.sample(COUNTRIES, rng.randint(0, 4)),
                "certifications": rng.sample(CERTIFICATIONS, rng.choice([0, 0, 1, 2])),
                "women_led": rng.random() < 0.3,
                "youth_led": rng.random() < 0.1,
                "website": None,
                "description": f"{name}: " + ", ".join(rng.sample(PHRASES[language], 2)) + ".",
                "contact_email": f"ventas{i}@example.org",
                "phone": None,
                "whatsapp": None,
                "verified_by_centre_id": rng.choice(centres)["id"] if verified else None,
                "verified_until": now + timedelta(days=rng.randint(30, 365)) if verified else None,
                "created_at": now - timedelta(days=rng.randint(200, 900)),
                "updated_at": now,
            }
        )
        company_meta.append((language, rng.sample(chapters, rng.randint(1, 3))))

    listings = []
    for i in range(1, n + 1):
        # A few companies post a lot, most post a little.
        company = companies[int(n_companies * rng.random() ** 2)]
        company_language, company_chapters = company_meta[company["id"] - 1]
        language = company_language if rng.random() < 0.8 else "en"
        kind = rng.choices(["offer", "request"], [3, 1])[0]
        hs_code = rng.choice(by_chapter[rng.choice(company_chapters)])
        label = taxonomy.label(hs_code, language)
        title = label if kind == "offer" else f"{BUYING[language]} {label[0].lower()}{label[1:]}"
        unit, quantity = rng.choice(UNITS), Decimal(rng.choice([1, 2, 5, 10, 20, 50, 100, 500, 1000]))
        incoterm = rng.choice(INCOTERMS)
        description = (
            f"{label}. {'. '.join(rng.sample(PHRASES[language], 3))}. "
            f"{QUANTITY[kind][language]}: {quantity} {unit}. Incoterm {incoterm} {company['city']}."
        )
        status = rng.choices(["published", "draft", "expired", "closed"], [88, 5, 4, 3])[0]
        published_at = None if status == "draft" else now - timedelta(minutes=rng.randint(10, 540 * 24 * 60))
        if status == "expired":
            valid_until = today - timedelta(days=rng.randint(1, 120))
        else:  # published listings are all still valid: the expiry job has nothing to do during the bench
            valid_until = None if rng.random() < 0.35 else today + timedelta(days=rng.randint(1, 365))
        created_at = (published_at or now) - timedelta(hours=rng.randint(0, 72))
        price = Decimal(rng.randint(50, 50_000)) / 10
        listings.append(
            {
                "id": i,
                "external_key": None,
                "company_id": company["id"],
                "kind": kind,
                "title": title[:200],
                "description": description[:8000],
                "language": language,
                "hs_code": hs_code,
                "unspsc_code": None,
                "quantity": quantity,
                "unit": unit,
                "min_order": quantity / 10 if kind == "offer" else None,
                "price_min": price if kind == "offer" else None,
                "price_max": price * 2 if kind == "offer" else None,
                "currency": "USD" if kind == "offer" else None,
                "incoterm": incoterm,
                "ship_to": rng.sample(COUNTRIES, rng.randint(1, 4))
                if kind == "offer" and rng.random() < 0.4
                else [],
                "accept_from": rng.sample(COUNTRIES, rng.randint(1, 3))
                if kind == "request" and rng.random() < 0.3
                else [],
                "certifications": rng.sample(CERTIFICATIONS, rng.choice([0, 0, 0, 1, 2])),
                "valid_until": valid_until,
                "status": status,
                "rejection_reason": None,
                "created_by_user_id": None,
                "created_by_advisor": False,
                "version": 1,
                "views": rng.randint(0, 300),
                "published_at": published_at,
                "created_at": created_at,
                "updated_at": created_at,
            }
        )
    return Corpus(centres=centres, companies=companies, listings=listings)


def bulk_insert(db: Engine, model: type, rows: list[dict[str, Any]]) -> float:
    """Insert rows with Core executemany in batches, in one transaction; returns the seconds taken."""
    table = model.__table__  # type: ignore[attr-defined]
    # Every column without a default must be given (the models may gain columns the bench does not know).
    required = {c.name for c in table.columns if not (c.nullable or c.default or c.server_default)}
    missing = required - set(rows[0])
    if missing:
        raise BenchError(f"{table.name} rows lack columns {sorted(missing)}")
    started = time.perf_counter()
    with db.begin() as connection:
        for at in range(0, len(rows), INSERT_BATCH):
            connection.execute(table.insert(), rows[at : at + INSERT_BATCH])
    return time.perf_counter() - started


def build_data(settings: Settings, args: argparse.Namespace, rng: random.Random) -> tuple[Engine, Corpus]:
    section(
        f"1. Data: {args.n:,} listings of {args.companies:,} companies in SQLite, then the embedded index"
    )
    db = make_engine(settings.database_url)
    upgrade_to_head(db)
    started = time.perf_counter()
    corpus = make_corpus(args.n, args.companies, rng, datetime.now(UTC))
    print(f"generated rows in {time.perf_counter() - started:.1f} s")
    bulk_insert(db, Centre, corpus.centres)
    seconds = bulk_insert(db, Company, corpus.companies)
    print(
        f"insert companies: {len(corpus.companies):,} rows in {seconds:.2f} s "
        f"= {len(corpus.companies) / seconds:,.0f} rows/s"
    )
    seconds = bulk_insert(db, Listing, corpus.listings)
    print(
        f"insert listings:  {len(corpus.listings):,} rows in {seconds:.2f} s "
        f"= {len(corpus.listings) / seconds:,.0f} rows/s"
    )
    active = len(corpus.active_ids(datetime.now(UTC).date()))
    print(f"statuses: {active:,} published and valid (indexed), {args.n - active:,} draft, expired or closed")

    engine = build_search_engine(settings)
    try:
        engine.ensure_indexes()
        started = time.perf_counter()
        count = reindex_listings(db, engine)
        seconds = time.perf_counter() - started
    finally:
        engine.close()
    if count != active:
        raise BenchError(f"reindex indexed {count} listings, expected {active}")
    print(
        f"reindex_listings (read from the database, build documents, tantivy rebuild and swap): "
        f"{count:,} docs in {seconds:.1f} s = {count / seconds:,.0f} docs/s"
    )
    return db, corpus


# -- 2. queries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    """One search as a visitor sends it: the query string of /api/v1/search, and the visitor's language."""

    category: str
    language: str
    params: tuple[tuple[str, str], ...]

    def form(self) -> dict[str, Any]:
        """The raw values SearchParams validates, gathered as marketplace.search.pages does."""
        raw: dict[str, Any] = {}
        for key, value in self.params:
            if key in ("country", "hs_chapter", "certification"):
                raw.setdefault(key, []).append(value)
            else:
                raw[key] = value
        return raw

    def describe(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.params)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def title_words(title: str) -> list[str]:
    words = "".join(c if c.isalpha() else " " for c in title.lower()).split()
    return list(dict.fromkeys(w for w in words if len(w) >= 4 and w not in STOPWORDS))  # unique, in order


def make_queries(corpus: Corpus, count: int, rng: random.Random, today: date) -> list[BenchQuery]:
    """A mix of what visitors type: exact words, typos, prefixes, missing accents, filters, paging, sorting."""
    companies = {row["id"]: row for row in corpus.companies}
    published = [corpus.listings[i - 1] for i in corpus.active_ids(today)]
    accented = [row for row in published if strip_accents(row["title"]) != row["title"]]
    categories = ["exact", "typo", "prefix", "no accents", "filtered", "facets only", "paged", "newest"]
    queries = []
    while len(queries) < count:
        category = categories[len(queries) % len(categories)]
        row = rng.choice(accented if category == "no accents" and accented else published)
        words = title_words(row["title"]) or ["cafe"]
        params: list[tuple[str, str]] = []
        if category == "exact":
            text = " ".join(words[:2])
        elif category == "typo":
            long_words = [w for w in words if len(w) >= 5] or ["azucar"]
            text = " ".join([typo(long_words[0], rng), *long_words[1:2]])
        elif category == "prefix":  # as-you-type: the last word is still being typed
            text = " ".join([*words[:1], words[1][: rng.randint(3, 4)]]) if len(words) > 1 else words[0][:4]
        elif category == "no accents":
            text = strip_accents(" ".join(w for w in words if strip_accents(w) != w)[:40] or words[0])
        elif category == "filtered":
            text = words[0]
            company = companies[row["company_id"]]
            params.append(("kind", row["kind"]))
            params += [
                ("country", c)
                for c in sorted({company["country"], *rng.sample(COUNTRIES, rng.randint(0, 2))})
            ]
            if rng.random() < 0.4:
                params.append(("women_led", "true"))
            if rng.random() < 0.3:
                params.append(("verified", "true"))
            if rng.random() < 0.3:
                params.append(("hs_chapter", row["hs_code"][:2]))
            if rng.random() < 0.2 and row["certifications"]:
                params.append(("certification", row["certifications"][0]))
        elif category == "facets only":  # browsing: no words, facets clicked
            text = ""
            params.append(("country", rng.choice(COUNTRIES)))
            params.append(
                rng.choice([("hs_chapter", row["hs_code"][:2]), ("kind", "request"), ("women_led", "true")])
            )
        elif category == "paged":
            text = words[0][:5]
            params.append(("page", str(rng.randint(2, 5))))
        else:  # newest first
            text = words[0]
            params.append(("sort", "newest"))
        language = rng.choice(["es", "es", "en", "pt", "fr"])
        queries.append(BenchQuery(category, language, (("q", text), *params) if text else tuple(params)))
    return queries


class _Recorder:
    """Stands in for the engine to capture the SearchQuery the service builds (so raw runs the same query)."""

    backend = "recorder"

    def __init__(self) -> None:
        self.query: SearchQuery | None = None

    def search(self, index: str, query: SearchQuery) -> SearchResults:
        self.query = query
        return SearchResults(hits=[], total=0, page=1, per_page=20, facets={})


def engine_query(query: BenchQuery, today: date) -> SearchQuery:
    recorder = _Recorder()
    search_listings(recorder, SearchParams.model_validate(query.form()), today=today, language=query.language)  # type: ignore[arg-type]
    assert recorder.query is not None
    return recorder.query


@dataclass
class Timings:
    """Per-query milliseconds and result totals of one way of searching."""

    label: str
    ms: list[float] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)

    def p(self, q: float) -> float:
        return percentile(self.ms, q)

    def line(self) -> str:
        return (
            f"{self.label:<26} p50 {self.p(50):6.1f} ms   p95 {self.p(95):6.1f} ms   p99 {self.p(99):6.1f} ms"
            f"   mean {statistics.mean(self.ms):6.1f} ms"
        )


def measure_in_process(
    engine: SearchEngine, queries: list[BenchQuery], today: date
) -> tuple[Timings, Timings]:
    """Raw engine calls and the service layer (validation + filters + engine), interleaved query by query."""
    prepared = [engine_query(q, today) for q in queries]

    def raw(i: int) -> int:
        return engine.search("listings", prepared[i]).total

    def service(i: int) -> int:
        params = SearchParams.model_validate(queries[i].form())
        return search_listings(engine, params, today=today, language=queries[i].language).total

    for i in range(len(queries)):  # a full pass to warm the caches, not measured
        raw(i)
    raw_t, service_t = Timings("raw engine.search"), Timings("service search_listings")
    for i in range(len(queries)):
        order = [(raw, raw_t), (service, service_t)]
        for call, timings in order if i % 2 else reversed(order):  # alternate which runs first
            started = time.perf_counter()
            timings.totals.append(call(i))
            timings.ms.append((time.perf_counter() - started) * 1000)
    return raw_t, service_t


def http_client(base_url: str) -> httpx.Client:
    # trust_env=False: no proxy from the environment may sit between us and the loopback server.
    return httpx.Client(base_url=base_url, timeout=30.0, trust_env=False)


def http_search(client: httpx.Client, query: BenchQuery) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.get(
        "/api/v1/search", params=list(query.params), headers={"Accept-Language": query.language}
    )
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise BenchError(
            f"GET /api/v1/search?{query.describe()} answered {response.status_code}: {response.text[:300]}"
        )
    return elapsed, response.json()


def measure_http_sequential(base_url: str, queries: list[BenchQuery]) -> tuple[Timings, float]:
    """One keep-alive client, one request at a time; returns the timings and the requests per second."""
    timings = Timings("HTTP, 1 client")
    with http_client(base_url) as client:
        for query in queries:  # warm-up pass, not measured
            http_search(client, query)
        started = time.perf_counter()
        for query in queries:
            ms, body = http_search(client, query)
            timings.ms.append(ms)
            timings.totals.append(body["total"])
        wall = time.perf_counter() - started
    return timings, len(queries) / wall


def measure_http_floor(base_url: str, count: int) -> Timings:
    """GET /healthz: what any request costs (client, HTTP, middleware) before search does anything."""
    timings = Timings("HTTP floor: GET /healthz")
    with http_client(base_url) as client:
        for _ in range(20):
            client.get("/healthz")
        for _ in range(count):
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            timings.ms.append((time.perf_counter() - started) * 1000)
    return timings


def measure_http_concurrent(
    base_url: str, queries: list[BenchQuery], clients: int, rounds: int
) -> tuple[Timings, float]:
    """`clients` threads, each with its own keep-alive client, sharing `rounds` passes over the queries."""
    work = iter([q for _ in range(rounds) for q in queries])
    lock = threading.Lock()
    timings = Timings(f"HTTP, {clients} clients")

    def client_loop() -> None:
        with http_client(base_url) as client:
            while True:
                with lock:
                    query = next(work, None)
                if query is None:
                    return
                ms, _ = http_search(client, query)
                timings.ms.append(ms)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client_loop) for _ in range(clients)]:
            future.result()
    wall = time.perf_counter() - started
    return timings, len(timings.ms) / wall


# -- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`python -m marketplace serve` on loopback, its output in a log file; stopped on leaving the block."""

    def __init__(self, data_dir: Path, environ: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.environ = environ
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        log = open(self.log_path, "wb")
        command = [
            sys.executable,
            "-m",
            "marketplace",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=REPO, env=self.environ, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        started = time.perf_counter()
        with http_client(self.base_url) as client:
            while time.perf_counter() - started < SERVER_START_TIMEOUT_S:
                if self.process.poll() is not None:
                    raise BenchError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
                try:
                    if client.get("/healthz").status_code == 200:
                        print(
                            f"server pid {self.process.pid} on {self.base_url}, "
                            f"ready in {time.perf_counter() - started:.1f} s"
                        )
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise BenchError(
            f"the server did not answer /healthz in {SERVER_START_TIMEOUT_S:.0f} s:\n{self.log_tail()}"
        )

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully: the worker thread stops
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no server log)"


# -- 4. update to visible -----------------------------------------------------------------------------


@dataclass
class UpdateSample:
    listing_id: int
    dedupe_key: str
    visible_ms: float
    queued_at: datetime
    claimed_ms: float = 0.0  # queued -> claimed by the worker
    run_ms: float = 0.0  # claimed -> done (read the listing, upsert into tantivy, commit)


def markers(count: int) -> Iterator[str]:
    """Words unique to each update, ≥ 3 letters apart from each other (beyond 2 typos) and from real words."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(count):
        yield f"lote{letters[i // len(letters) % len(letters)] * 3}{letters[i % len(letters)] * 3}"


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def measure_update_visible(
    db: Engine, base_url: str, listing_ids: list[int], rng: random.Random, count: int
) -> list[UpdateSample]:
    """Change a title like the app does (new version + outbox job, one transaction), poll search until seen.

    A random pause before each update samples every phase of the worker's idle poll: updating right after
    the previous one became visible would always land at the start of the worker's sleep.
    """
    samples = []
    with http_client(base_url) as client:
        for marker, listing_id in zip(markers(count), rng.sample(listing_ids, count), strict=True):
            time.sleep(rng.uniform(0, 1.0))
            with session_scope(db) as session:
                listing = session.get(Listing, listing_id, with_for_update=True)
                assert listing is not None
                listing.title = f"{marker} {listing.title}"[:200]
                listing_changed(session, listing)  # version + 1, queue_listing_sync in this transaction
                dedupe_key = f"listing:{listing_id}:v{listing.version}"
            committed = time.perf_counter()
            queued_at = datetime.now(UTC)
            query = BenchQuery("update", "es", (("q", marker), ("per_page", "5")))
            while True:
                _, body = http_search(client, query)
                if any(item["id"] == listing_id for item in body["items"]):
                    break
                if time.perf_counter() - committed > VISIBLE_TIMEOUT_S:
                    raise BenchError(
                        f"listing {listing_id} not visible {VISIBLE_TIMEOUT_S:.0f} s after its update"
                    )
                time.sleep(0.005)
            samples.append(
                UpdateSample(listing_id, dedupe_key, (time.perf_counter() - committed) * 1000, queued_at)
            )
    keys = [sample.dedupe_key for sample in samples]
    with session_scope(db) as session:
        found = session.execute(select(Job).where(Job.dedupe_key.in_(keys))).scalars()  # type: ignore[union-attr]
        jobs = {job.dedupe_key: job for job in found}
    for sample in samples:
        job = jobs.get(sample.dedupe_key)
        if job is None or job.locked_at is None or job.finished_at is None:
            raise BenchError(f"no finished job {sample.dedupe_key} in the jobs table")
        created, locked, finished = (naive_utc(t) for t in (job.created_at, job.locked_at, job.finished_at))
        sample.claimed_ms = (locked - created).total_seconds() * 1000
        sample.run_ms = (finished - locked).total_seconds() * 1000
    return samples


# -- 5. memory ----------------------------------------------------------------------------------------


def memory_mib(pid: int | str = "self") -> tuple[float, float]:
    """(peak, current) resident memory of a process in MiB, from /proc/<pid>/status (VmHWM, VmRSS)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmHWM"], values["VmRSS"]


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


# -- the report ---------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def print_query_figures(
    queries: list[BenchQuery],
    raw: Timings,
    service: Timings,
    http: Timings,
    concurrent: Timings,
    floor: Timings,
    rates: tuple[float, float],
) -> dict[str, float]:
    print(
        f"{len(queries)} queries, 6 facets counted and highlighting on (as the API does), each mode warmed up first;"
    )
    print("all modes side by side:")
    for timings in (raw, service, http, concurrent, floor):
        print("  " + timings.line())
    sequential_rate, concurrent_rate = rates
    print(
        f"  throughput: {sequential_rate:,.0f} req/s with 1 client, {concurrent_rate:,.0f} req/s with "
        f"{concurrent.label.split()[1]} clients ({os.cpu_count()} CPUs shared by server and clients)"
    )
    ratios = {
        "service/raw p50": service.p(50) / raw.p(50),
        "service/raw p95": service.p(95) / raw.p(95),
        "HTTP/raw p50": http.p(50) / raw.p(50),
        "HTTP/raw p95": http.p(95) / raw.p(95),
        "HTTP/raw mean": statistics.mean(http.ms) / statistics.mean(raw.ms),
    }
    per_query_http = statistics.median(h - r for h, r in zip(http.ms, raw.ms, strict=True))
    per_query_service = statistics.median(s - r for s, r in zip(service.ms, raw.ms, strict=True))
    print("  overhead: " + ", ".join(f"{name} {value:.2f}×" for name, value in ratios.items()))
    print(
        f"  overhead per query (median of differences): service {per_query_service:+.2f} ms, "
        f"HTTP {per_query_http:+.2f} ms, of which {floor.p(50):.2f} ms is what any request costs (GET /healthz p50)"
    )
    mismatched = sum(
        1 for a, b, c in zip(raw.totals, service.totals, http.totals, strict=True) if not a == b == c
    )
    print(f"  result totals identical in the three modes: {len(queries) - mismatched}/{len(queries)}")

    print("  by kind of query (HTTP, 1 client):")
    by_category: dict[str, list[int]] = defaultdict(list)
    for i, query in enumerate(queries):
        by_category[query.category].append(i)
    for category, indexes in by_category.items():
        ms = [http.ms[i] for i in indexes]
        totals = [http.totals[i] for i in indexes]
        found = sum(1 for t in totals if t) / len(totals)
        example = queries[indexes[0]].describe()
        print(
            f"    {category:<12} {len(indexes):>3} queries  p50 {percentile(ms, 50):5.1f} ms  "
            f"p95 {percentile(ms, 95):5.1f} ms  with results {found:4.0%}  "
            f"median hits {statistics.median(totals):>7,.0f}"
            f"   e.g. {example[:60]}"
        )
    return ratios


def run(args: argparse.Namespace, data_dir: Path) -> None:
    rng = random.Random(args.seed)
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PUENTE_", "MEILI_", "DATABASE_URL", "SMTP_"))
    }
    environ |= {
        "PUENTE_DATA_DIR": str(data_dir),
        "PUENTE_ENV": "development",
        "PUENTE_SEARCH_BACKEND": "embedded",
    }
    settings = Settings.from_env(environ)
    print(f"load average at start: {load_average()} (other work on this machine skews the figures)")
    print(
        f"data dir {data_dir}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
        f"embedded engine (tantivy {version('tantivy')})"
    )

    db, corpus = build_data(settings, args, rng)
    today = datetime.now(UTC).date()
    queries = make_queries(corpus, args.queries, rng, today)

    section("2. Query latency: raw engine and service layer in this process")
    engine = build_search_engine(settings)
    try:
        raw, service = measure_in_process(engine, queries, today)
    finally:
        engine.close()
    print("  " + raw.line())
    print("  " + service.line())

    section(
        f"3. Query latency through GET /api/v1/search of `python -m marketplace serve` on loopback "
        f"(1 client, then {args.clients} concurrent)"
    )
    with Server(data_dir, environ) as server:
        assert server.process is not None
        http, sequential_rate = measure_http_sequential(server.base_url, queries)
        floor = measure_http_floor(server.base_url, len(queries))
        concurrent, concurrent_rate = measure_http_concurrent(
            server.base_url, queries, args.clients, args.rounds
        )
        ratios = print_query_figures(
            queries, raw, service, http, concurrent, floor, (sequential_rate, concurrent_rate)
        )

        section(
            f"4. Update to visible through the outbox ({args.updates} title changes, server's embedded worker)"
        )
        samples = measure_update_visible(db, server.base_url, corpus.active_ids(today), rng, args.updates)
        visible = [s.visible_ms for s in samples]
        claimed = [s.claimed_ms for s in samples]
        job_run = [s.run_ms for s in samples]
        print(
            f"  commit -> found by GET /api/v1/search: p50 {percentile(visible, 50):.0f} ms, "
            f"p95 {percentile(visible, 95):.0f} ms, max {max(visible):.0f} ms"
        )
        print(
            f"    of which queued -> claimed by the worker: p50 {percentile(claimed, 50):.0f} ms, "
            f"max {max(claimed):.0f} ms"
        )
        print(
            f"    of which the job (read listing, tantivy upsert, commit): p50 {percentile(job_run, 50):.0f} ms, "
            f"max {max(job_run):.0f} ms"
        )
        server_memory = memory_mib(server.process.pid)
    db.dispose()

    section("5. Peak memory (VmHWM)")
    bench_memory = memory_mib()
    print(
        f"  bench process: peak {bench_memory[0]:,.0f} MiB (holds the generated rows and its own index reader)"
    )
    print(
        f"  server process: peak {server_memory[0]:,.0f} MiB, {server_memory[1]:,.0f} MiB resident at the end"
    )

    print(f"  load average at the end: {load_average()} (1, 5, 15 min; {os.cpu_count()} CPUs)")

    section("Targets (issue #5)")
    http_p95 = http.p(95)
    overhead = max(
        ratios["HTTP/raw p50"], ratios["HTTP/raw p95"], ratios["service/raw p50"], ratios["service/raw p95"]
    )
    worst_visible = max(visible) / 1000
    print(
        f"  query p95 through HTTP ≤ {TARGET_HTTP_P95_MS:.0f} ms: {http_p95:.1f} ms (1 client), "
        f"{concurrent.p(95):.1f} ms ({args.clients} clients) .. {verdict(http_p95 <= TARGET_HTTP_P95_MS)}"
    )
    print(
        f"  overhead ≤ {TARGET_OVERHEAD}× raw (worst of the p50/p95 ratios): {overhead:.2f}× .. "
        f"{verdict(overhead <= TARGET_OVERHEAD)}"
    )
    print(
        f"  update visible ≤ {TARGET_VISIBLE_S:.0f} s (every update): max {worst_visible:.2f} s, "
        f"p50 {percentile(visible, 50) / 1000:.2f} s .. {verdict(worst_visible <= TARGET_VISIBLE_S)}"
    )
    poll = next(f.default for f in fields(Worker) if f.name == "poll_interval")
    if worst_visible > TARGET_VISIBLE_S or percentile(claimed, 50) > 100:
        print(
            f"  why: this bench queues its edits from its own process, so the server's worker finds them\n"
            f"  at its next look at the jobs table (Worker.poll_interval = {poll} s; measured p50\n"
            f"  {percentile(claimed, 50):.0f} ms); edits made through the portal wake the in-process worker at\n"
            f"  once (marketplace/jobs/service.py JOB_QUEUED). The job itself takes "
            f"{percentile(job_run, 50):.0f} ms.\n"
            f"  A separate `puente worker` would need LISTEN/NOTIFY on PostgreSQL to do the same."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="listings to create (default 100000)")
    parser.add_argument("--companies", type=int, help="companies (default n/25, at least 100)")
    parser.add_argument("--queries", type=int, default=320, help="queries in the mix (at least 200)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument(
        "--rounds", type=int, default=2, help="passes over the queries by the concurrent clients"
    )
    parser.add_argument("--updates", type=int, default=20, help="update-to-visible samples")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the data directory (printed) at the end")
    args = parser.parse_args()
    args.companies = args.companies or max(100, args.n // 25)
    if (
        args.n < 1000
        or args.queries < 200
        or not 1 <= args.updates <= 600
        or args.clients < 1
        or args.rounds < 1
    ):
        parser.error("need --n ≥ 1000, --queries ≥ 200, 1 ≤ --updates ≤ 600, --clients ≥ 1, --rounds ≥ 1")

    data_dir = Path(tempfile.mkdtemp(prefix="puente-bench-search-"))
    started = time.perf_counter()
    try:
        run(args, data_dir)
    except BenchError as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        if args.keep:
            print(f"\ndata kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nbench done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
