"""Read OCDS files as a stream of releases, records and compiled releases, whatever their packaging.

Accepts release packages, record packages, bare releases, bare records, arrays of any of these and JSON
Lines of any of these, plain or gzip-compressed, OCDS 1.0 and 1.1. Nothing is held in memory beyond one
release or record at a time (ijson for `.json`, one line at a time for `.jsonl`). What cannot be read is
yielded as an `OcdsProblem` with the file and the position, and reading goes on where it can.
"""

from __future__ import annotations

import codecs
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import ijson
from ijson.common import ObjectBuilder

CHUNK = 64 * 1024
DEFAULT_MAX_BYTES = 512 * 1024 * 1024  # decompressed; a gzip bomb stops here
SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz", ".gz")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class OcdsProblem:
    """Something that could not be imported, with where it was."""

    file: str
    position: str  # "byte 1234", "line 7", "releases[12]", "" for the whole file
    message: str
    fatal: bool = True  # False: a warning, the data was still read

    def __str__(self) -> str:
        where = f"{self.file}" + (f" ({self.position})" if self.position else "")
        return f"{where}: {self.message}"


@dataclass
class OcdsEntry:
    """One release, record or compiled release read from a file."""

    kind: Literal["release", "record"]
    data: dict[str, Any]
    position: str
    package: dict[str, Any] = field(default_factory=dict)  # publisher, version, uri… of the enclosing package


class SizeLimitExceeded(Exception):
    pass


class _LimitedReader:
    """A binary stream that refuses to give more than `limit` bytes (decompressed) and counts them."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw = raw
        self._limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(CHUNK if size is None or size < 0 else size)
        self.count += len(data)
        if self.count > self._limit:
            raise SizeLimitExceeded(self.count)
        return data


class _Transcoder:
    """Decode a byte stream in `encoding` and give it back as UTF-8 bytes (for ijson).

    Never returns more than asked: ijson reads into a buffer of the size it asks for, and UTF-8 can be
    longer than the original encoding.
    """

    def __init__(self, raw: _LimitedReader, encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        while len(self._pending) < size and not self._done:
            chunk = self._raw.read(CHUNK)
            self._done = not chunk
            self._pending += self._decoder.decode(chunk, final=self._done).encode("utf-8")
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the OCDS-looking files inside folders named (recursively, in name order)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(SUFFIXES):
                    yield child
        else:
            yield path


def _open(path: Path, limit: int) -> _LimitedReader:
    handle = path.open("rb")
    magic = handle.read(2)
    handle.seek(0)
    raw: IO[bytes] = gzip.GzipFile(fileobj=handle) if magic == b"\x1f\x8b" else handle  # type: ignore[assignment]
    return _LimitedReader(raw, limit)


def _is_lines(path: Path) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith((".jsonl", ".ndjson"))


def sniff_encoding(path: Path, limit: int) -> tuple[str, str | None]:
    """The file's encoding and, when it is not UTF-8, a note for the report. Reads the file once, to the limit."""
    reader = _open(path, limit)
    try:
        head = reader.read(CHUNK)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                while reader.read(CHUNK):
                    pass
                return (
                    encoding,
                    None if encoding == "utf-8-sig" else f"encoded as {encoding.upper()}; converted",
                )
        if len(head) >= 4 and head[1:2] == b"\x00" and head[0:1] != b"\x00":
            return "utf-16-le", "encoded as UTF-16-LE without a byte order mark; converted"
        if len(head) >= 4 and head[0:1] == b"\x00" and head[1:2] != b"\x00":
            return "utf-16-be", "encoded as UTF-16-BE without a byte order mark; converted"
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        chunk = head
        while chunk:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return "cp1252", f"not UTF-8 (invalid byte at {offset + exc.start}); read as Windows-1252"
            offset += len(chunk)
            chunk = reader.read(CHUNK)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252", "not UTF-8 (cut in the middle of a character); read as Windows-1252"
        return "utf-8", None
    finally:
        reader._raw.close()


def _first_byte(path: Path, limit: int, encoding: str) -> bytes:
    reader = _open(path, limit)
    try:
        stream = reader if encoding == "utf-8" else _Transcoder(reader, encoding)
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                return b""
            stripped = chunk.lstrip()
            if stripped:
                return stripped[:1]
    finally:
        reader._raw.close()


def _entries_of_value(value: Any, position: str, package: dict[str, Any]) -> Iterator[OcdsEntry | str]:
    """The releases and records in one JSON value (a package, a release, a record); strings are problems."""
    if not isinstance(value, dict):
        yield f"{position}: not a JSON object"
        return
    if "records" in value and "ocid" not in value:
        meta = {k: v for k, v in value.items() if k not in ("records", "releases")}
        records = value["records"]
        if not isinstance(records, list):
            yield f"{position}: 'records' is not a list"
            return
        for index, record in enumerate(records):
            yield OcdsEntry("record", record, f"{position}records[{index}]", meta)
    elif "releases" in value and "ocid" not in value:
        meta = {k: v for k, v in value.items() if k not in ("records", "releases")}
        releases = value["releases"]
        if not isinstance(releases, list):
            yield f"{position}: 'releases' is not a list"
            return
        for index, release in enumerate(releases):
            yield OcdsEntry("release", release, f"{position}releases[{index}]", meta)
    elif "ocid" in value and ("releases" in value or "compiledRelease" in value):
        yield OcdsEntry("record", value, position.rstrip(" ") or "record", package)
    elif "ocid" in value:
        yield OcdsEntry("release", value, position.rstrip(" ") or "release", package)
    else:
        yield f"{position}: neither an OCDS package, a release nor a record (no ocid)"


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[OcdsEntry | OcdsProblem]:
    """Every release and record in one file, and the problems met (the file goes on after a bad line)."""
    name = str(path)
    if not path.exists():
        yield OcdsProblem(name, "", "no such file")
        return
    try:
        encoding, note = sniff_encoding(path, max_bytes)
    except SizeLimitExceeded:
        yield OcdsProblem(
            name, f"byte {max_bytes}", f"larger than the size limit of {max_bytes} bytes; not imported"
        )
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield OcdsProblem(name, "", f"cannot be read: {exc}")
        return
    if note:
        yield OcdsProblem(name, "", note, fatal=False)
    first = _first_byte(path, max_bytes, encoding)
    if not first:
        yield OcdsProblem(name, "", "empty file")
        return
    if first == b"<":
        yield OcdsProblem(name, "byte 0", "an HTML or XML page, not JSON (an error page saved as a file?)")
        return
    if first not in (b"{", b"["):
        yield OcdsProblem(name, "byte 0", f"not JSON (starts with {first!r})")
        return
    package = None if _is_lines(path) or first != b"{" else _package_head(path, max_bytes, encoding)
    reader = _open(path, max_bytes)
    stream: Any = reader if encoding == "utf-8" else _Transcoder(reader, encoding)
    try:
        if _is_lines(path):
            yield from _read_lines(name, stream)
        elif package is not None:
            yield from _read_package(name, stream, reader, *package)
        else:
            yield from _read_document(name, stream, reader)
    except SizeLimitExceeded:  # pragma: no cover - sniff_encoding read the same bytes first
        yield OcdsProblem(name, f"byte {max_bytes}", "larger than the size limit; the rest was not imported")
    finally:
        reader._raw.close()


def _package_head(path: Path, limit: int, encoding: str) -> tuple[str, dict[str, Any]] | None:
    """For a release or record package: the key of its array and the metadata before it; else None.

    Reads only the head of the file. Packages (nearly every large file) are then streamed with ijson's C
    item builder, several times faster than building releases from parse events in Python.
    """
    reader = _open(path, limit)
    stream: Any = reader if encoding == "utf-8" else _Transcoder(reader, encoding)
    meta: dict[str, Any] = {}
    try:
        events = ijson.parse(stream, use_float=True)
        next(events)
        key = None
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                key = value
                if key == "ocid":
                    return None  # a bare release or record
                continue
            if prefix == "" and event == "end_map":
                return None
            if key in ("releases", "records") and event == "start_array":
                return key, meta
            meta[key] = _build_value(event, value, events)  # type: ignore[index]
    except (ijson.JSONError, StopIteration, SizeLimitExceeded):
        return None  # the full reading reports it
    finally:
        reader._raw.close()
    return None


def _read_package(
    name: str, stream: Any, reader: _LimitedReader, key: str, meta: dict[str, Any]
) -> Iterator[OcdsEntry | OcdsProblem]:
    kind: Literal["release", "record"] = "release" if key == "releases" else "record"
    count = 0
    try:
        for index, item in enumerate(ijson.items(stream, f"{key}.item", map_type=dict, use_float=True)):
            if not isinstance(item, dict):
                yield OcdsProblem(name, f"{key}[{index}]", "not a JSON object")
                continue
            count += 1
            yield OcdsEntry(kind, item, f"{key}[{index}]", meta)
    except ijson.IncompleteJSONError as exc:
        yield OcdsProblem(
            name,
            f"byte {reader.count}",
            f"the JSON ends too early (truncated file?) after {count} release(s) or record(s): {exc}",
        )
    except ijson.JSONError as exc:
        yield OcdsProblem(name, f"byte {reader.count}", f"not valid JSON: {exc}")


def _read_lines(name: str, stream: Any) -> Iterator[OcdsEntry | OcdsProblem]:
    buffer = b""
    number = 0
    while True:
        chunk = stream.read(CHUNK)
        buffer += chunk
        lines = buffer.split(b"\n")
        buffer = lines.pop() if chunk else b""
        for line in lines:
            number += 1
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield OcdsProblem(
                    name, f"line {number}", f"not valid JSON ({exc.args[0] if exc.args else exc})"
                )
                continue
            for item in _entries_of_value(value, f"line {number} ", {}):
                yield (
                    OcdsProblem(name, f"line {number}", item.split(": ", 1)[1])
                    if isinstance(item, str)
                    else item
                )
        if not chunk:
            return


def _read_document(name: str, stream: Any, reader: _LimitedReader) -> Iterator[OcdsEntry | OcdsProblem]:
    """One JSON document: an object (package, release, record) or an array of them, streamed with ijson."""
    events = ijson.parse(stream, use_float=True)
    top: dict[str, Any] = {}
    count = 0
    try:
        prefix, event, value = next(events)
        if event == "start_array":  # an array of releases, records or packages
            for index, item in enumerate(_array_items(events, "")):
                for entry in _entries_of_value(item, f"[{index}] ", {}):
                    count += 1
                    yield (
                        OcdsProblem(name, f"[{index}]", entry.split(": ", 1)[1])
                        if isinstance(entry, str)
                        else entry
                    )
            return
        if event != "start_map":
            yield OcdsProblem(name, "byte 0", "not a JSON object or array")
            return
        key: str | None = None
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                key = value
                continue
            if prefix == "" and event == "end_map":
                break
            assert key is not None
            if key in ("releases", "records") and event == "start_array":
                kind: Literal["release", "record"] = "release" if key == "releases" else "record"
                index = 0
                for item in _array_items(events, key):
                    position = f"{key}[{index}]"
                    index += 1
                    if not isinstance(item, dict):
                        yield OcdsProblem(name, position, "not a JSON object")
                        continue
                    count += 1
                    yield OcdsEntry(kind, item, position, top)
                top[key] = None  # streamed: seen, not kept
            else:
                top[key] = _build_value(event, value, events)
    except ijson.IncompleteJSONError as exc:
        yield OcdsProblem(
            name,
            f"byte {reader.count}",
            f"the JSON ends too early (truncated file?) after {count} release(s) or record(s): {exc}",
        )
        return
    except ijson.JSONError as exc:
        yield OcdsProblem(name, f"byte {reader.count}", f"not valid JSON: {exc}")
        return
    except StopIteration:
        yield OcdsProblem(name, "", "empty document")
        return
    if "ocid" in top:
        if top.get("compiledRelease") is not None:  # a bare record: its embedded releases were streamed above
            yield OcdsEntry(
                "record", {"ocid": top["ocid"], "compiledRelease": top["compiledRelease"]}, "record", {}
            )
        elif "releases" not in top and "records" not in top:
            yield OcdsEntry("release", top, "release", {})
    elif count == 0 and "releases" not in top and "records" not in top:
        yield OcdsProblem(name, "", "neither an OCDS package, a release nor a record (no ocid)")


def _build_value(event: str, value: Any, events: Iterator) -> Any:
    """Build the JSON value that starts with this event from the following ones."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ObjectBuilder(map_type=dict)
    builder.event(event, value)
    depth = 1
    for _, inner_event, inner_value in events:
        builder.event(inner_event, inner_value)
        if inner_event in ("start_map", "start_array"):
            depth += 1
        elif inner_event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return builder.value
    raise ijson.IncompleteJSONError("incomplete JSON content")


def _array_items(events: Iterator, key: str) -> Iterator[Any]:
    """The items of the array whose start_array was just read (prefix `key`), one at a time."""
    for _prefix, event, value in events:
        if event == "end_array" and _prefix == key:
            return
        yield _build_value(event, value, events)
    raise ijson.IncompleteJSONError("incomplete JSON content")
