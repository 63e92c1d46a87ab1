"""Reading check-ins from a CSV file for ``okr import``: every row checked exactly as
``okr checkin`` checks one value (``okrcli.recording.make_entry``), every problem kept
with its line, nothing written here.

Columns: ``id,at,value`` (required) and ``confidence,by,note,period`` (optional); a header
row names them, in any order.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from okrcli.errors import InputError, OkrError
from okrcli.files import Refused, read_regular
from okrcli.recording import Entry, make_entry, parse_at
from okrcli.workspace import Workspace

REQUIRED = ("id", "at", "value")
OPTIONAL = ("confidence", "by", "note", "period")
MAX_BYTES = 64 * 1024 * 1024


def column_name(field: str) -> str:
    return f"column '{field}'"


class Problems:
    """Problems found in the CSV file, each with its line number."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))

    def lines(self) -> list[str]:
        """``FILE:LINE: message`` for every problem."""
        return [f"{self.shown}:{line}: {message}" for line, message in self.items]


def read_rows(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the row, cells by column) for every non-blank row of ``path``."""
    if not path.exists() and not path.is_symlink():
        raise InputError(f"no such file: {path}")
    try:
        text = read_regular(path, MAX_BYTES).decode("utf-8-sig")
    except Refused as r:
        raise InputError(f"{path}: {r.message}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{path} is empty; it needs a header row: id,at,value")
        columns = [h.strip().lower() for h in header]
        if not _check_header(columns, problems):
            return
        last = reader.line_num
        for cells in reader:
            first, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                problems.add(
                    first,
                    f"the row has {len(cells)} cells but the header names {len(columns)} columns",
                )
                continue
            yield first, dict(zip(columns, cells, strict=True))
    except csv.Error as e:
        problems.add(reader.line_num, f"not valid CSV: {e}")


def _check_header(columns: list[str], problems: Problems) -> bool:
    ok = True
    known = (*REQUIRED, *OPTIONAL)
    for name in columns:
        if name not in known:
            shown = name or "(empty)"
            problems.add(1, f"unknown column {shown!r}; the columns are {', '.join(known)}")
            ok = False
    for name, n in Counter(columns).items():
        if n > 1 and name in known:
            problems.add(1, f"column {name!r} appears {n} times")
            ok = False
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        problems.add(1, f"missing column(s): {', '.join(missing)} (id, at and value are required)")
        ok = False
    return ok


def check_rows(ws: Workspace, path: Path, problems: Problems, by: str | None) -> list[Entry]:
    entries = []
    for line, cells in read_rows(path, problems):
        try:
            for name in REQUIRED:
                if not cells[name].strip():
                    raise InputError(f"{column_name(name)} is empty")
            entries.append(
                make_entry(
                    ws,
                    id_=cells["id"],
                    value=cells["value"],
                    at=parse_at(cells["at"].strip(), column_name),
                    confidence=cells.get("confidence"),
                    note=cells.get("note") or None,
                    by=(cells.get("by") or "").strip() or by,
                    period=(cells.get("period") or "").strip() or None,
                    name=column_name,
                )
            )
        except OkrError as e:
            problems.add(line, str(e))
    return entries
