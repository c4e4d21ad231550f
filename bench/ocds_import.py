"""Benchmark `puente import ocds`: releases per second and peak memory on generated OCDS release packages.

    python bench/ocds_import.py                 # 200,000 releases, one per ocid (no merging), plus a
                                                # 50,000-release run to show memory does not grow with size
    python bench/ocds_import.py --releases 500000 --merge

Each run is a fresh process (so its peak RSS is its own) importing into a fresh SQLite database. `--merge`
also runs a file with 2 releases per ocid in shuffled order (compiled with ocdsmerge).
Target (issue #9): >= 2,000 releases/s without merging; peak memory independent of file size.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS = [
    "adquisición",
    "de",
    "equipos",
    "informáticos",
    "servicios",
    "limpieza",
    "café",
    "uniformes",
    "medicamentos",
    "obras",
    "pavimento",
]


def _release(number: int, stage: int) -> dict:
    rng = random.Random(number * 7 + stage)
    ocid = f"ocds-bench0-{number}"
    date = f"2030-01-{1 + stage:02d}T00:00:00Z"
    title = " ".join(rng.choice(WORDS) for _ in range(6))
    return {
        "ocid": ocid,
        "id": f"{ocid}-{stage}",
        "date": date,
        "tag": ["tender" if stage == 0 else "tenderUpdate"],
        "initiationType": "tender",
        "buyer": {"id": f"B{number % 500}", "name": f"Entidad compradora {number % 500}"},
        "parties": [
            {
                "id": f"B{number % 500}",
                "name": f"Entidad compradora {number % 500}",
                "roles": ["buyer"],
                "address": {"countryName": "Paraguay"},
            }
        ],
        "tender": {
            "id": str(number),
            "title": title.capitalize(),
            "description": f"{title} para la institución, proceso {number}",
            "status": "active" if stage else "planned",
            "value": {"amount": rng.randint(1000, 10**8), "currency": "PYG"},
            "tenderPeriod": {
                "startDate": "2030-01-01T00:00:00Z",
                "endDate": f"2030-0{2 + stage}-01T12:00:00Z",
            },
            "items": [
                {
                    "id": str(i),
                    "description": rng.choice(WORDS),
                    "quantity": rng.randint(1, 100),
                    "classification": {"scheme": "UNSPSC", "id": str(43211500 + i)},
                }
                for i in range(3)
            ],
        },
    }


def generate(path: Path, releases: int, *, merge: bool) -> None:
    """A release package written release by release (the generator's memory stays flat too)."""
    order = list(range(releases // 2)) if merge else range(releases)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '{"uri": "https://bench.example/package.json", "version": "1.1", '
            '"publisher": {"name": "Bench"}, "publishedDate": "2030-01-01T00:00:00Z", "releases": [\n'
        )
        first = True
        if merge:
            pairs = [(n, s) for n in order for s in (1, 0)]  # the newer release first: the importer sorts
            random.Random(1).shuffle(pairs)
            items = pairs
        else:
            items = ((n, 0) for n in order)
        for number, stage in items:
            handle.write(("" if first else ",\n") + json.dumps(_release(number, stage), ensure_ascii=False))
            first = False
        handle.write("\n]}\n")


def child(releases: int, merge: bool) -> None:
    from marketplace.core.db import make_engine
    from marketplace.core.migrate import upgrade_to_head
    from marketplace.procurement.importer import import_ocds

    with tempfile.TemporaryDirectory(prefix="puente-bench-") as directory:
        folder = Path(directory)
        data = folder / "package.json"
        generate(data, releases, merge=merge)
        size = data.stat().st_size
        engine = make_engine(f"sqlite:///{folder / 'puente.db'}")
        upgrade_to_head(engine)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_ocds(engine, [data])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert not report.errors, report.errors[:3]
        print(
            json.dumps(
                {
                    "releases": report.releases,
                    "notices": report.created,
                    "seconds": elapsed,
                    "file_mb": size / 2**20,
                    "rate": report.releases / elapsed,
                    "cpu_rate": report.releases / cpu,
                    "peak_mb": peak / 1024,
                    "before_mb": rss_before / 1024,
                }
            )
        )


def run(releases: int, merge: bool) -> dict:
    command = [sys.executable, __file__, "--child", "--releases", str(releases)] + (
        ["--merge"] if merge else []
    )
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=True)  # noqa: S603 (our own script)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--releases", type=int, default=200_000)
    parser.add_argument("--merge", action="store_true", help="also run 2 releases per ocid, shuffled")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.releases, args.merge)
        return
    runs = [("no merging", args.releases // 4, False), ("no merging", args.releases, False)]
    if args.merge:
        runs.append(("2 releases per ocid, merged", args.releases, True))
    print(
        f"{'scenario':30} {'releases':>9} {'file MB':>8} {'seconds':>8} {'releases/s':>11} {'per CPU-s':>10} "
        f"{'peak RSS MB':>12}"
    )
    for label, count, merge in runs:
        result = run(count, merge)
        print(
            f"{label:30} {result['releases']:>9,} {result['file_mb']:>8.0f} {result['seconds']:>8.1f} "
            f"{result['rate']:>11,.0f} {result['cpu_rate']:>10,.0f} {result['peak_mb']:>12.0f}"
        )
    print("target: >= 2,000 releases/s without merging; peak memory independent of file size")
    print(
        "(releases/s is wall-clock; 'per CPU-s' divides by this process's CPU time, steadier on a busy machine)"
    )


if __name__ == "__main__":
    main()
