"""Benchmark the raw search engine: indexing rate, query latency, update-to-visible latency, peak memory.

    .venv/bin/python -m bench.search_engine                 # 100 000 listings, embedded engine
    .venv/bin/python -m bench.search_engine --n 20000

Listings are synthetic but realistic: titles and descriptions built from the real HS 2022 descriptions
in es/en/pt/fr (search/taxonomy) plus trade vocabulary in each language, 30 countries of the Americas,
certifications, dates. Queries mix exact words, typos, prefixes (as typed), facets and filters.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from search.documents import ListingDocument
from search.embedded import EmbeddedEngine
from search.engine import SearchQuery
from search.filters import ListingFilter
from search.taxonomy.hs import hs_taxonomy

COUNTRIES = [
    "AR",
    "BO",
    "BR",
    "CA",
    "CL",
    "CO",
    "CR",
    "DO",
    "EC",
    "GT",
    "HN",
    "JM",
    "MX",
    "NI",
    "PA",
    "PE",
    "PY",
    "SV",
    "TT",
    "US",
    "UY",
    "VE",
    "BZ",
    "BS",
    "BB",
    "GY",
    "SR",
    "HT",
    "CU",
    "GD",
]
CERTIFICATIONS = ["organic", "fair_trade", "haccp", "iso_9001", "globalgap", "kosher", "fsc", "b_corp"]
FACETS = ("kind", "country", "hs_chapter", "certifications", "women_led", "verified")
PHRASES = {
    "es": ["calidad de exportación", "producción artesanal", "entrega inmediata", "precio por contenedor",
           "buscamos proveedores confiables", "empresa familiar", "pedido mínimo negociable", "certificado"],
    "en": ["export quality", "handcrafted production", "immediate delivery", "price per container",
           "looking for reliable suppliers", "family business", "negotiable minimum order", "certified"],
    "pt": ["qualidade de exportação", "produção artesanal", "entrega imediata", "preço por contêiner",
           "procuramos fornecedores confiáveis", "empresa familiar", "pedido mínimo negociável",
           "certificado"],
    "fr": ["qualité export", "production artisanale", "livraison immédiate", "prix par conteneur",
           "nous cherchons des fournisseurs fiables", "entreprise familiale", "commande minimale négociable"],
}  # fmt: skip
COMPANY_WORDS = ["Andes", "Sol", "Maya", "Pampa", "Caribe", "Amazonia", "Norte", "Pacífico", "Verde", "Real"]


def make_documents(n: int, rng: random.Random) -> list[ListingDocument]:
    """n listings with HS-described titles in the four languages."""
    codes = [c for c in hs_taxonomy().codes() if c.level == 6]
    today = date(2025, 6, 1)
    documents = []
    for i in range(1, n + 1):
        code = rng.choice(codes)
        language = rng.choices(["es", "en", "pt", "fr"], weights=[5, 3, 3, 1])[0]
        title = hs_taxonomy().label(code.code, language)[:180]
        description = f"{title}. " + ". ".join(rng.sample(PHRASES[language], 3)) + "."
        documents.append(
            ListingDocument(
                id=i, kind=rng.choices(["offer", "request"], weights=[3, 1])[0], title=title,
                description=description, language=language, company_id=rng.randint(1, n // 5 + 1),
                company_name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} S.A.",
                country=rng.choice(COUNTRIES), published_at=1_700_000_000 + i * 60, version=1,
                hs_code=code.code, certifications=rng.sample(CERTIFICATIONS, rng.choice([0, 0, 1, 2])),
                women_led=rng.random() < 0.3, verified=rng.random() < 0.2,
                valid_until=today + timedelta(days=rng.randint(-60, 365)) if rng.random() < 0.7 else None,
            )
        )  # fmt: skip
    return documents


def typo(word: str, rng: random.Random) -> str:
    """One substituted letter (words of 5+ letters tolerate one typo)."""
    at = rng.randrange(1, len(word))
    return word[:at] + rng.choice("aeiourst") + word[at + 1 :]


def make_queries(documents: list[ListingDocument], count: int, rng: random.Random) -> list[SearchQuery]:
    """A mix: exact words, a typo, a prefix being typed, with and without facets and filters."""
    queries = []
    for _ in range(count):
        words = [w for w in rng.choice(documents).title.lower().replace(",", " ").split() if len(w) >= 5][:3]
        if not words:
            words = ["cafe"]
        kind = rng.randrange(4)
        if kind == 0:
            text = " ".join(words[:2])
        elif kind == 1:
            text = " ".join([typo(words[0], rng), *words[1:2]])
        elif kind == 2:
            text = " ".join([*words[:-1], words[-1][:3]])  # still typing the last word
        else:
            text = words[0][:4]
        filters = None
        if rng.random() < 0.4:
            filters = ListingFilter(countries=tuple(rng.sample(COUNTRIES, 3)), valid_on=date(2025, 6, 1))
        queries.append(SearchQuery(text=text, filters=filters, facets=FACETS if rng.random() < 0.7 else ()))
    return queries


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="listings to index")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    directory = Path(tempfile.mkdtemp(prefix="puente-bench-"))
    try:
        started = time.perf_counter()
        documents = make_documents(args.n, rng)
        print(f"generated {args.n} listings in {time.perf_counter() - started:.1f} s")
        engine = EmbeddedEngine(directory)
        engine.ensure_indexes()

        started = time.perf_counter()
        with engine.rebuild("listings") as build:
            for at in range(0, len(documents), args.batch):
                build.add(documents[at : at + args.batch])
        elapsed = time.perf_counter() - started
        print(
            f"indexing (rebuild, batches of {args.batch}): {args.n / elapsed:,.0f} docs/s ({elapsed:.1f} s)"
        )

        queries = make_queries(documents, args.queries, rng)
        for query in queries[:20]:  # warm the caches
            engine.search("listings", query)
        timings, totals = [], []
        for query in queries:
            t0 = time.perf_counter()
            totals.append(engine.search("listings", query).total)
            timings.append((time.perf_counter() - t0) * 1000)
        print(
            f"queries ({len(queries)}, typo/prefix/exact mix, 70% with 6 facets, 40% filtered): "
            f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
            f"p99 {percentile(timings, 99):.1f} ms, mean hits {statistics.mean(totals):,.0f}"
        )

        visible = []
        for i, original in enumerate(documents[:20]):
            marker = f"lote{'abcdefghijklmnopqrst'[i] * 6}"  # words no typo can confuse with each other
            doc = ListingDocument.from_dict({**original.to_dict(), "title": f"{marker} nuevo", "version": 2})
            t0 = time.perf_counter()
            engine.upsert("listings", [doc])
            while original.id not in engine.search("listings", SearchQuery(text=marker, highlight=False)).ids:
                pass
            visible.append((time.perf_counter() - t0) * 1000)
        print(
            f"update to visible (one upsert): p50 {percentile(visible, 50):.1f} ms, max {max(visible):.1f} ms"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:,.0f} MiB (includes the generated documents)")
        engine.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
