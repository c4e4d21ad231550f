"""Measure the HS code picker: heading-level top-1/top-5 accuracy per language, query latency, build time.

    .venv/bin/python -m bench.hs_picker            # figures
    .venv/bin/python -m bench.hs_picker --misses   # also list the phrases whose heading is not first

The phrases are product names as MSME owners type them in a listing form, 20 per language, each with the HS
2022 heading (4 digits) a customs broker would pick; every heading was checked against the packaged table's
texts. A few phrases accept two headings where the product honestly spans both.
"""

from __future__ import annotations

import argparse
import statistics
import time

PHRASES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "es": [
        ("café tostado en grano", ("0901",)),
        ("aguacate hass", ("0804",)),
        ("camarón congelado", ("0306",)),
        ("miel de abeja", ("0409",)),
        ("quinua orgánica", ("1008",)),
        ("ron añejo", ("2208",)),
        ("granos de cacao fermentados", ("1801",)),
        ("rosas frescas cortadas", ("0603",)),
        ("banano fresco", ("0803",)),
        ("zapatos de cuero", ("6403",)),
        ("muebles de madera", ("9403",)),
        ("pimienta negra", ("0904",)),
        ("aceite de oliva extra virgen", ("1509",)),
        ("paneles solares", ("8541",)),
        ("cajas de cartón corrugado", ("4819",)),
        ("filtros de aceite para motor", ("8421",)),
        ("tequila", ("2208",)),
        ("azúcar de caña", ("1701",)),
        ("vino de mesa", ("2204",)),
        ("jabón artesanal", ("3401",)),
    ],
    "en": [
        ("green coffee beans", ("0901",)),
        ("fresh avocados", ("0804",)),
        ("frozen shrimp", ("0306",)),
        ("raw honey", ("0409",)),
        ("cotton t-shirts", ("6109",)),
        ("dark chocolate bars", ("1806",)),
        ("cut roses", ("0603",)),
        ("bananas", ("0803",)),
        ("leather handbags", ("4202",)),
        ("wooden furniture", ("9403",)),
        ("ground cinnamon", ("0906",)),
        ("lipstick", ("3304",)),
        ("plastic bottles", ("3923",)),
        ("brake pads", ("8708", "6813")),  # 6813 when sold unmounted (friction pads)
        ("solar panels", ("8541",)),
        ("frozen salmon fillets", ("0304",)),
        ("canned tuna", ("1604",)),
        ("dried mangoes", ("0804",)),
        ("pineapple juice", ("2009",)),
        ("wool sweaters", ("6110",)),
    ],
    "pt": [
        ("café torrado e moído", ("0901",)),
        ("abacates frescos", ("0804",)),
        ("camarão congelado", ("0306",)),
        ("mel orgânico", ("0409",)),
        ("castanha do pará", ("0801",)),
        ("cachaça", ("2208",)),
        ("suco de laranja", ("2009",)),
        ("carne bovina congelada", ("0202",)),
        ("soja em grão", ("1201",)),
        ("açúcar mascavo", ("1701",)),
        ("calçados de couro", ("6403",)),
        ("móveis de madeira", ("9403",)),
        ("vinho tinto", ("2204",)),
        ("pimenta do reino", ("0904",)),
        ("protetor solar", ("3304",)),
        ("embalagens plásticas", ("3923",)),
        ("pastilhas de freio", ("8708", "6813")),
        ("painéis solares fotovoltaicos", ("8541",)),
        ("flores tropicais", ("0603",)),
        ("farinha de mandioca", ("1106",)),
    ],
    "fr": [
        ("café torréfié", ("0901",)),
        ("avocats frais", ("0804",)),
        ("crevettes tropicales congelées", ("0306",)),
        ("miel de fleurs", ("0409",)),
        ("fèves de cacao", ("1801",)),
        ("rhum agricole", ("2208",)),
        ("vin rouge", ("2204",)),
        ("bananes", ("0803",)),
        ("chaussures en cuir", ("6403",)),
        ("meubles en bois", ("9403",)),
        ("vanille en gousses", ("0905",)),
        ("huiles essentielles", ("3301",)),
        ("rouge à lèvres", ("3304",)),
        ("sacs en plastique", ("3923",)),
        ("panneaux solaires", ("8541",)),
        ("pièces détachées automobiles", ("8708",)),
        ("fleurs coupées", ("0603",)),
        ("t-shirts en coton", ("6109",)),
        ("sirop d'érable", ("1702",)),
        ("noix de cajou", ("0801",)),
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--misses", action="store_true", help="list phrases whose heading is not ranked first"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of every phrase (default 20)")
    options = parser.parse_args()

    started = time.perf_counter()
    from search.taxonomy.hs_search import hs_index, suggest_hs

    hs_index()
    build_seconds = time.perf_counter() - started

    totals = {"top1": 0, "top5": 0, "n": 0}
    print(f"{'language':<10}{'phrases':>8}{'top-1':>9}{'top-5':>9}")
    misses: list[str] = []
    for language, phrases in PHRASES.items():
        top1 = top5 = 0
        for phrase, expected in phrases:
            headings = [s.code[:4] for s in suggest_hs(phrase, language, limit=5)]
            top1 += bool(headings) and headings[0] in expected
            top5 += any(h in expected for h in headings)
            if not headings or headings[0] not in expected:
                misses.append(f"  [{language}] {phrase!r}: expected {'/'.join(expected)}, got {headings}")
        totals["top1"] += top1
        totals["top5"] += top5
        totals["n"] += len(phrases)
        print(f"{language:<10}{len(phrases):>8}{top1 / len(phrases):>9.0%}{top5 / len(phrases):>9.0%}")
    n = totals["n"]
    print(f"{'all':<10}{n:>8}{totals['top1'] / n:>9.0%}{totals['top5'] / n:>9.0%}")

    latencies = []
    for _ in range(options.repeat):
        for language, phrases in PHRASES.items():
            for phrase, _expected in phrases:
                began = time.perf_counter()
                suggest_hs(phrase, language, limit=10)
                latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    p50 = statistics.median(latencies)
    print(f"query latency: p50 {p50:.2f} ms, p95 {p95:.2f} ms ({len(latencies)} queries)")
    print(f"index build (load table + index): {build_seconds:.2f} s")
    if options.misses and misses:
        print("not first:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
