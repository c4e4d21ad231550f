"""Read import files (CSV or JSON Lines, UTF-8) into raw rows that remember their line numbers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ImportFileError(ValueError):
    """The file as a whole cannot be read (missing, wrong type, not UTF-8, no header)."""


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, Any]
    format: str  # "jsonl" or "csv": lists are JSON arrays in one, ";"-separated text in the other


@dataclass(frozen=True)
class UnreadableRow:
    line: int
    reason: str


def read_rows(path: Path) -> Iterator[RawRow | UnreadableRow]:
    """Yield each row of a .jsonl or .csv file; a line that does not parse is yielded as UnreadableRow."""
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise ImportFileError(f"{path.name}: unknown file type {suffix or '(none)'}; use .jsonl or .csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path.name}: not UTF-8 (byte {exc.start})") from None
    if suffix == ".jsonl":
        yield from _jsonl_rows(text)
    else:
        yield from _csv_rows(text, path.name)


def _jsonl_rows(text: str) -> Iterator[RawRow | UnreadableRow]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            yield UnreadableRow(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(values, dict):
            yield UnreadableRow(number, "a line must hold one JSON object")
            continue
        yield RawRow(number, values, "jsonl")


def _csv_rows(text: str, name: str) -> Iterator[RawRow | UnreadableRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{name}: empty file (a header row is required)") from None
    except csv.Error as exc:
        raise ImportFileError(f"{name}: unreadable header ({exc})") from None
    if len(set(header)) != len(header):
        raise ImportFileError(f"{name}: a column name appears twice in the header")
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield UnreadableRow(reader.line_num, f"CSV error ({exc})")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield UnreadableRow(
                reader.line_num, f"{len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        yield RawRow(reader.line_num, dict(zip(header, cells, strict=True)), "csv")
