"""The importer on the standard's variants, publishers' quirks and broken files: reported, never fatal."""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.procurement.importer import OcdsImportOptions, import_ocds
from marketplace.procurement.models import ProcurementNotice


def release(ocid: str, date: str, **parts) -> dict:  # type: ignore[no-untyped-def]
    return {
        "ocid": ocid,
        "id": f"{ocid}-{date}",
        "date": date,
        "tag": ["tender"],
        "initiationType": "tender",
        **parts,
    }


def tender(title: str = "Compra de uniformes escolares", **fields) -> dict:  # type: ignore[no-untyped-def]
    return {"id": "t1", "title": title, "status": "active", **fields}


def notices(session: Session) -> dict[str, ProcurementNotice]:
    session.commit()
    return {n.ocid: n for n in session.execute(select(ProcurementNotice)).scalars()}


def write(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def test_releases_are_merged_per_ocid_in_date_order_whatever_the_file_order(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    later = release("ocds-abc123-1", "2030-02-01T00:00:00Z", tender=tender(status="cancelled"))
    earlier = release(
        "ocds-abc123-1",
        "2030-01-01T00:00:00Z",
        buyer={"name": "Ministerio de Educación"},
        tender=tender(
            tenderPeriod={"endDate": "2030-03-01T12:00:00-03:00"},
            value={"amount": "1500000.50", "currency": "ars"},
            items=[{"id": "1", "description": "Guardapolvos", "classification": {"id": 53102710}}],
        ),
    )
    lines = tmp_path / "releases.jsonl"
    lines.write_text(json.dumps(later) + "\n\n" + json.dumps(earlier) + "\n", encoding="utf-8")
    report = import_ocds(engine, [lines], options=OcdsImportOptions(country="AR"))
    assert report.errors == [] and (report.releases, report.created) == (2, 1)
    found = notices(session)["ocds-abc123-1"]
    assert found.status == "cancelled"  # the newer release wins
    assert found.buyer_name == "Ministerio de Educación"  # kept from the older one (merged, not replaced)
    assert found.tender_end == datetime(2030, 3, 1, 15, 0, tzinfo=UTC)
    assert (str(found.value_amount), found.value_currency) == ("1500000.50", "ARS")
    # An integer classification id without a scheme that is a UNSPSC commodity code.
    assert found.classifications == ["unspsc:53102710"] and found.country == "AR"
    # Re-importing only the older release never takes the notice back.
    older_only = write(tmp_path / "old.json", earlier)
    again = import_ocds(engine, [older_only], options=OcdsImportOptions(country="AR"))
    assert (again.created, again.updated) == (0, 0)
    assert notices(session)["ocds-abc123-1"].status == "cancelled"


def test_packages_records_ocds_10_gzip_and_prefixless_ocids(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    # OCDS 1.0: no parties; the buyer carries its identifier and address.
    v10 = release(
        "ocds-zz0001-7",
        "2031-05-01T10:00:00",
        buyer={
            "name": "Prefeitura de Recife",
            "identifier": {"id": "123"},
            "address": {"countryName": "Brasil"},
        },
        tender=tender("Merenda escolar", tenderPeriod={"endDate": "2031-06-01T10:00:00"}),
    )
    write(folder / "release-package.json", {"uri": "x", "publisher": {"name": "TCE"}, "releases": [v10]})
    record = {
        "ocid": "42",  # published without its prefix
        "releases": [{"url": "https://example.org/r/42.json", "date": "2031-01-01", "tag": ["tender"]}],
        "compiledRelease": release(
            "42", "2031-01-02T00:00:00Z", tender=tender("Sillas de oficina", suitability={"sme": True})
        ),
    }
    with gzip.open(folder / "records.json.gz", "wt", encoding="utf-8") as handle:
        json.dump({"uri": "y", "version": "1.1", "records": [record]}, handle)
    # An array of bare releases, with a title missing (falls back to the first item) and undeclared fields.
    array = [
        release(
            "ocds-zz0001-8",
            "2031-02-01T00:00:00Z",
            customField={"anything": [1, 2]},
            tender={"id": "t", "items": [{"id": "1", "description": "Papel bond A4"}]},
        )
    ]
    write(folder / "array.json", array)
    report = import_ocds(engine, [folder], options=OcdsImportOptions(ocid_prefix="ocds-zz0001"))
    assert report.errors == [] and report.created == 3, report.problems
    found = notices(session)
    assert found["ocds-zz0001-7"].country == "BR" and found["ocds-zz0001-7"].buyer_id == "123"
    assert (
        found["ocds-zz0001-42"].sme_suitable is True and found["ocds-zz0001-42"].title == "Sillas de oficina"
    )
    assert found["ocds-zz0001-8"].title == "Papel bond A4" and found["ocds-zz0001-8"].value_amount is None


def test_bad_files_are_reported_with_their_position_and_the_others_import(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = release("ocds-good00-1", "2030-01-01T00:00:00Z", tender=tender("Compra de café"))
    text = json.dumps({"releases": [good, release("ocds-good00-2", "2030-01-01T00:00:00Z", tender=tender())]})
    (folder / "a_truncated.json").write_text(text[: len(text) - 40], encoding="utf-8")
    (folder / "b_error.json").write_text(
        "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", encoding="utf-8"
    )
    latin = release("ocds-latin1-1", "2030-01-01T00:00:00Z", tender=tender("Adquisición de señalética"))
    (folder / "c_latin1.json").write_bytes(json.dumps(latin, ensure_ascii=False).encode("latin-1"))
    (folder / "d_lines.jsonl").write_text('{"ocid": \n' + json.dumps(good) + "\n[1, 2]\n", encoding="utf-8")
    (folder / "e_empty.json").write_bytes(b"")
    write(folder / "f_good.json", release("ocds-good00-3", "2030-01-01T00:00:00Z", tender=tender("Sillas")))
    report = import_ocds(engine, [folder])
    by_file = {Path(p.file).name: p for p in report.errors}
    assert set(by_file) == {"a_truncated.json", "b_error.json", "d_lines.jsonl", "e_empty.json"}
    assert "truncated" in by_file["a_truncated.json"].message and by_file[
        "a_truncated.json"
    ].position.startswith("byte ")
    assert "HTML" in by_file["b_error.json"].message
    lines_problems = [p for p in report.problems if p.file.endswith("d_lines.jsonl")]
    assert [p.position for p in lines_problems] == ["line 1", "line 3"]  # bad JSON, then not an object
    encoding_note = next(p for p in report.problems if p.file.endswith("c_latin1.json"))
    assert not encoding_note.fatal and "not UTF-8" in encoding_note.message
    found = notices(session)
    # The truncated file's complete first release is kept; the wrongly encoded file is read correctly.
    assert set(found) == {"ocds-good00-1", "ocds-good00-3", "ocds-latin1-1"}
    assert found["ocds-latin1-1"].title == "Adquisición de señalética"
    assert report.files == 6 and report.files_failed == 4


def test_a_gzip_bomb_stops_at_the_size_limit(engine: Engine, session: Session, tmp_path: Path) -> None:
    # 2 GiB of spaces once decompressed, 2 MB on disk: the same 1 MiB gzip member repeated 2048 times.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = compressor.compress(b" " * (1 << 20)) + compressor.flush()
    bomb = tmp_path / "bomb.json.gz"
    with bomb.open("wb") as handle:
        for _ in range(2048):
            handle.write(member)
    good = write(tmp_path / "good.json", release("ocds-good00-9", "2030-01-01T00:00:00Z", tender=tender()))
    report = import_ocds(engine, [bomb, good], options=OcdsImportOptions(max_bytes=32 << 20))
    [problem] = report.errors
    assert problem.file.endswith("bomb.json.gz") and "size limit" in problem.message
    assert report.created == 1
    assert session.execute(select(func.count()).select_from(ProcurementNotice)).scalar_one() == 1


def test_urls_are_downloaded_and_a_failing_one_is_reported(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    import functools
    import http.server
    import threading

    served = tmp_path / "www"
    served.mkdir()
    package = {
        "releases": [release("ocds-web000-1", "2030-01-01T00:00:00Z", tender=tender("Compra de sillas"))]
    }
    with gzip.open(served / "package.json.gz", "wt", encoding="utf-8") as handle:
        json.dump(package, handle)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        report = import_ocds(engine, [f"{base}/package.json.gz", f"{base}/missing.json"])
    finally:
        server.shutdown()
    assert report.created == 1 and notices(session)["ocds-web000-1"].title == "Compra de sillas"
    [problem] = report.errors
    assert problem.file == f"{base}/missing.json" and "404" in problem.message
