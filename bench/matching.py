"""Matching quality and speed on the demo data: lexical only, semantic only and hybrid, same vs cross language.

    .venv/bin/python bench/matching.py             # quality on the labelled set + latency per match
    .venv/bin/python bench/matching.py --scale     # also: 10k requests x 100k offers (synthetic vectors)

Corpus: every listing of seeds/ (152 offers, 118 requests in es/en/pt/fr) plus the buy requests written in
bench/matching_labels.py. Expectations are hand-labelled there (which offers fit which request). An offer
counts as relevant when it is labelled AND the business rules allow the pair (other country, ships to the
buyer, origin accepted, certifications held: those rules have their own tests); requests left with no
allowed relevant offer are skipped and counted.

Metrics at k=10 with binary relevance: recall@10, nDCG@10, MRR (1/rank of the first relevant offer, 0 when
none is returned), P@1; "same" / "cross" restrict the relevant offers to the request's language / the others.
"""

from __future__ import annotations

import argparse
import json
import math
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.matching_labels import EXTRA_REQUESTS, SEED_LABELS
from search.documents import ListingDocument
from search.embedded import EmbeddedEngine
from search.matching.embeddings import default_encoder
from search.matching.retrieval import find_matches, lexical_candidates, vector_item
from search.matching.scoring import MatchProfile, refusal, score_pair
from search.matching.vectors import VectorStore

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TODAY = date.today()
K = 10


def load_corpus() -> tuple[dict[int, MatchProfile], dict[str, int], dict[int, str]]:
    companies = {}
    for number, line in enumerate((SEEDS / "companies.jsonl").read_text().splitlines(), start=1):
        row = json.loads(line)
        companies[row["external_key"]] = (number, row["country"], row["name"])
    profiles: dict[int, MatchProfile] = {}
    ids: dict[str, int] = {}
    names: dict[int, str] = {}
    for number, line in enumerate((SEEDS / "listings.jsonl").read_text().splitlines(), start=1):
        row = json.loads(line)
        company_id, country, name = companies[row["company"]]
        profiles[number] = MatchProfile(
            id=number, kind=row["kind"], title=row["title"], description=row["description"],
            language=row["language"], company_id=company_id, country=country, hs_code=row.get("hs_code"),
            certifications=tuple(row.get("certifications") or ()), ship_to=tuple(row.get("ship_to") or ()),
            accept_from=tuple(row.get("accept_from") or ()),
            valid_until=TODAY + timedelta(days=int(row.get("valid_for_days") or 90)),
            quantity=_decimal(row.get("quantity")), min_order=_decimal(row.get("min_order")), unit=row.get("unit"),
        )  # fmt: skip
        ids[row["external_key"]] = number
        names[number] = name
    for offset, extra in enumerate(EXTRA_REQUESTS, start=1):
        number = 10_000 + offset
        profiles[number] = MatchProfile(
            id=number, kind="request", title=extra["title"], description=extra["description"],
            language=extra["language"], company_id=100_000 + offset, country=extra["country"], hs_code=extra["hs_code"],
        )  # fmt: skip
        ids[extra["key"]] = number
        names[number] = f"Bench buyer {offset}"
    return profiles, ids, names


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def document(profile: MatchProfile, company_name: str) -> ListingDocument:
    return ListingDocument(
        id=profile.id, kind=profile.kind, title=profile.title, description=profile.description,
        language=profile.language, company_id=profile.company_id, company_name=company_name,
        country=profile.country, published_at=0, version=1, hs_code=profile.hs_code,
        certifications=list(profile.certifications), ship_to=list(profile.ship_to),
        accept_from=list(profile.accept_from), valid_until=profile.valid_until,
    )  # fmt: skip


def metrics(ranked: list[int], relevant: set[int]) -> dict[str, float]:
    top = ranked[:K]
    if not relevant:
        return {}
    gains = [1.0 if i in relevant else 0.0 for i in top]
    dcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), K)))
    first = next((rank for rank, i in enumerate(ranked) if i in relevant), None)
    return {
        "recall@10": sum(gains) / min(len(relevant), K),
        "ndcg@10": dcg / ideal,
        "mrr": 0.0 if first is None else 1 / (first + 1),
        "p@1": gains[0] if gains else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true", help="also time 10k requests against 100k offers")
    parser.add_argument("--scale-sample", type=int, default=500, help="requests actually timed in --scale")
    parser.add_argument(
        "--publish", action="store_true", help="also time publish -> stored matches in the app"
    )
    args = parser.parse_args()

    profiles, ids, names = load_corpus()
    offers = {i: p for i, p in profiles.items() if p.kind == "offer"}
    requests = {i: p for i, p in profiles.items() if p.kind == "request"}
    labels = {ids[k]: {ids[o] for o in v} for k, v in SEED_LABELS.items()}
    labels.update({ids[e["key"]]: {ids[o] for o in e["relevant"]} for e in EXTRA_REQUESTS})
    languages = {p.language for p in profiles.values()}
    print(f"corpus: {len(offers)} offers, {len(requests)} requests, languages {sorted(languages)}; "
          f"{len(labels)} labelled requests, {sum(map(len, labels.values()))} labelled pairs")  # fmt: skip

    encoder = default_encoder()
    started = time.perf_counter()
    encoder.encode(["warm up"])
    load_s = time.perf_counter() - started
    store = VectorStore(None, encoder=encoder)
    started = time.perf_counter()
    store.ensure([vector_item(p) for p in profiles.values()])
    encode_s = time.perf_counter() - started
    print(f"model load {load_s:.2f} s; encoded {len(profiles)} listings in {encode_s:.2f} s "
          f"({len(profiles) / encode_s:.0f} texts/s)")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        engine = EmbeddedEngine(Path(tmp) / "index")
        engine.ensure_indexes()
        engine.upsert("listings", [document(p, names[p.id]) for p in profiles.values()])
        results: dict[str, list[dict]] = {"lexical": [], "semantic": [], "hybrid": []}
        latencies = []
        skipped = 0
        for request_id, labelled in labels.items():
            request = profiles[request_id]
            allowed = {o for o in labelled if refusal(request, offers[o], today=TODAY) is None}
            if not allowed:
                skipped += 1
                continue

            def rules_ok(i: int, request: MatchProfile = request) -> bool:
                return refusal(request, offers[i], today=TODAY) is None

            lexical = [
                i for i in lexical_candidates(engine, request, today=TODAY) if i in offers and rules_ok(i)
            ]
            vector = store.get(request_id)
            semantic = [i for i, _ in store.nearest(vector, kind="offer", k=len(offers)) if rules_ok(i)]  # type: ignore[arg-type]
            started = time.perf_counter()
            hybrid = [
                p.offer_id
                for p in find_matches(request, store=store, load=lambda ids: {i: profiles[i] for i in ids if i in profiles},
                                      today=TODAY, engine=engine)
            ]  # fmt: skip
            latencies.append((time.perf_counter() - started) * 1000)
            same = {o for o in allowed if offers[o].language == request.language}
            for mode, ranked in (("lexical", lexical), ("semantic", semantic), ("hybrid", hybrid)):
                row = {
                    "all": metrics(ranked, allowed),
                    "same": metrics(ranked, same),
                    "cross": metrics(ranked, allowed - same),
                }
                results[mode].append(row)
        engine.close()

    print(
        f"evaluated {len(results['hybrid'])} requests ({skipped} skipped: no labelled offer allowed by the rules)\n"
    )
    print(f"{'mode':<9} {'split':<6} {'n':>3}  {'recall@10':>9} {'nDCG@10':>8} {'MRR':>6} {'P@1':>6}")
    for mode, rows in results.items():
        for split in ("all", "same", "cross"):
            values = [r[split] for r in rows if r[split]]
            if not values:
                continue
            mean = {m: statistics.fmean(v[m] for v in values) for m in values[0]}
            print(f"{mode:<9} {split:<6} {len(values):>3}  {mean['recall@10']:>9.3f} {mean['ndcg@10']:>8.3f} "
                  f"{mean['mrr']:>6.3f} {mean['p@1']:>6.3f}")  # fmt: skip
    latencies.sort()
    print(f"\nhybrid latency per match (lexical engine + vectors + rules + scoring, {len(profiles)} listings): "
          f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms")  # fmt: skip
    trap_report(profiles, ids, store)
    if args.scale:
        scale(store, profiles, sample=args.scale_sample)
    if args.publish:
        publish_latency()


def trap_report(profiles: dict[int, MatchProfile], ids: dict[str, int], store: VectorStore) -> None:
    """The issue's example: "café tostado en grano" must find roasted coffee in en and pt before green coffee."""
    request = profiles[ids["li-cl-cafeterias-barrio-italia-1"]]
    # Rules relaxed (a buyer in AR, every offer shipping anywhere) so that only the ranking is shown.
    request = MatchProfile(**{**request.__dict__, "country": "AR"})
    vector = store.get(request.id)
    scored = []
    coffee = [
        p for p in profiles.values() if p.kind == "offer" and p.hs_code and p.hs_code.startswith("0901")
    ]
    for offer in coffee:
        offer = MatchProfile(**{**offer.__dict__, "ship_to": ()})
        similarity = float(store.get(offer.id) @ vector)  # type: ignore[operator]
        pair = score_pair(request, offer, semantic=similarity, today=TODAY, allow_domestic=True)
        scored.append((pair.score if pair else 0.0, offer))
    scored.sort(key=lambda item: -item[0])
    print(f'\n"{request.title}" against every coffee offer (hybrid score, rules relaxed):')
    for score, offer in scored:
        kind = "roasted" if offer.hs_code == "090121" else "green"
        print(f"  {score:5.2f}  {kind:<7} [{offer.language}] {offer.title[:70]}")


def scale(store: VectorStore, profiles: dict[int, MatchProfile], *, sample: int) -> None:
    """10k buy requests against 100k offers: synthetic vectors (seed vectors + noise), semantic top-50 + scoring."""
    rng = np.random.default_rng(7)
    seed_offers = [p for p in profiles.values() if p.kind == "offer"]
    base = np.vstack([store.get(p.id) for p in seed_offers])  # type: ignore[misc]
    n_offers, n_requests = 100_000, 10_000
    picks = rng.integers(0, len(seed_offers), n_offers)
    matrix = base[picks] + rng.normal(0, 0.02, (n_offers, base.shape[1])).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    big = VectorStore(None, encoder=store.encoder)
    big._matrix = matrix.astype(np.float32)  # bench shortcut: fill the store without encoding 100k texts
    big._meta = [{"id": i, "version": 1, "kind": "offer", "fp": ""} for i in range(n_offers)]
    big._row = {i: i for i in range(n_offers)}
    big._kinds = np.ones(n_offers, dtype=np.int8)
    requests = [p for p in profiles.values() if p.kind == "request"]
    timings = []
    for number in range(sample):
        request = requests[number % len(requests)]
        started = time.perf_counter()
        nearest = big.nearest(store.get(request.id), kind="offer", k=50)  # type: ignore[arg-type]
        for offer_id, similarity in nearest:
            offer = seed_offers[picks[offer_id]]
            score_pair(
                request, MatchProfile(**{**offer.__dict__, "id": offer_id}), semantic=similarity, today=TODAY
            )
        timings.append(time.perf_counter() - started)
    per = statistics.fmean(timings)
    print(f"\nscale: {n_requests} requests x {n_offers} offers (semantic top-50 + rules + scoring, 1 process): "
          f"{per * 1000:.1f} ms per request (mean of {sample}), projected {per * n_requests:.0f} s for all "
          f"{n_requests}; vector matrix {matrix.nbytes / 2**20:.0f} MiB")  # fmt: skip


def publish_latency() -> None:
    """The app end to end (SQLite, embedded index, jobs): seed the demo, then publish one buy request and time
    until its matches are stored (the worker runs the search sync and the matching job queued with it)."""
    from sqlalchemy import select

    from marketplace.companies.models import Company
    from marketplace.core.db import make_engine, session_scope
    from marketplace.core.migrate import upgrade_to_head
    from marketplace.core.models import utcnow
    from marketplace.core.settings import Settings
    from marketplace.imports.demo import seed_demo
    from marketplace.jobs.registry import default_registry
    from marketplace.jobs.worker import Worker
    from marketplace.listings.models import Listing
    from marketplace.listings.service import listing_changed
    from marketplace.matching.models import Match
    from marketplace.search.engine import build_search_engine

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"PUENTE_DATA_DIR": tmp})
        db = make_engine(settings.database_url)
        upgrade_to_head(db)
        with session_scope(db) as session:
            seed_demo(session, SEEDS, today=utcnow().date(), password=secrets.token_urlsafe(16))
        search = build_search_engine(settings)
        search.ensure_indexes()
        worker = Worker(db, default_registry(settings, search_engine=search))
        started = time.perf_counter()
        stats = worker.drain()
        seeded_s = time.perf_counter() - started
        with session_scope(db) as session:
            pairs = session.execute(select(Match.id)).all()
        print(f"\napp: seeded demo drained in {seeded_s:.1f} s ({stats.succeeded} jobs: search sync + matching "
              f"for every listing, model load included); {len(pairs)} matches stored")  # fmt: skip
        timings = []
        for number in range(5):
            with session_scope(db) as session:
                company = session.execute(select(Company).where(Company.country == "AR")).scalars().first()
                listing = Listing(
                    company_id=company.id, kind="request", title=f"Café torrado em grãos para cafeterias {number}",  # type: ignore[union-attr]
                    description="Procuramos café torrado em grãos, pacotes de 1 kg.", language="pt",
                    hs_code="090121", status="published", published_at=utcnow(),
                )  # fmt: skip
                session.add(listing)
                session.flush()
                listing_changed(session, listing)
                listing_id = listing.id
            started = time.perf_counter()
            worker.drain()
            timings.append(time.perf_counter() - started)
            with session_scope(db) as session:
                found = session.execute(select(Match.id).where(Match.request_listing_id == listing_id)).all()
        print(f"app: publish -> matches stored (jobs run back to back): mean {statistics.fmean(timings) * 1000:.0f} ms,"
              f" max {max(timings) * 1000:.0f} ms over {len(timings)} requests; last one got {len(found)} matches")  # fmt: skip
        search.close()
        db.dispose()


if __name__ == "__main__":
    main()
