"""Reading check-ins from a CSV file for ``okr import``: every row checked exactly as
``okr checkin`` checks one value (``okrcli.recording.make_entry``), every problem kept
with its line, nothing written here.

Columns: ``id,at,value`` (required) and ``confidence,by,note,period`` (optional); a header
row names them, in any order, in any case.  Cells are separated by commas, semicolons (as
spreadsheets write CSV where the comma is the decimal mark) or tabs: which one is told from
the file (``csv.Sniffer``, limited to those three).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from okrcli.errors import InputError, OkrError
from okrcli.recording import Entry, make_entry, parse_at
from okrcli.workspace import Workspace

REQUIRED = ("id", "at", "value")
OPTIONAL = ("confidence", "by", "note", "period")
MAX_BYTES = 64 * 1024 * 1024
DELIMITERS = ",;\t"

# Column names people use for okr's columns (compared in lower case).
HINTS = {
    "date": "at", "day": "at", "when": "at", "time": "at", "timestamp": "at",
    "datetime": "at", "measured": "at", "measured_at": "at",
    "kr": "id", "kpi": "id", "key_result": "id", "key result": "id", "kr_id": "id",
    "kpi_id": "id", "metric": "id", "target": "id",
    "val": "value", "number": "value", "measurement": "value", "amount": "value",
    "conf": "confidence", "author": "by", "who": "by", "owner": "by", "user": "by",
    "comment": "note", "notes": "note", "comments": "note", "quarter": "period",
}  # fmt: skip


def delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon or tab, as ``csv.Sniffer`` reads the
    first lines; when it cannot tell, the one of the three the header row holds most of
    (a comma when none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    try:
        found = csv.Sniffer().sniff(text[:16384], delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found is not None and counts[found] > 0:
        return found
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


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
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path} is larger than {MAX_BYTES} bytes")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a CSV file") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{path} is empty; it needs a header row: id,at,value")
        columns = [h.strip().lower() for h in header]
        if not _check_header(columns, [h.strip() for h in header], problems):
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


def _check_header(columns: list[str], written: list[str], problems: Problems) -> bool:
    """Whether the header names okr's columns; one message per problem otherwise (a column
    that is another name for a missing one is one problem, not two)."""
    from okrcli.suggest import closest, suggest

    ok = True
    known = (*REQUIRED, *OPTIONAL)
    named = set(columns)
    meant: set[str] = set()
    for name, shown in zip(columns, written, strict=True):
        if name in known:
            continue
        ok = False
        free = [k for k in known if k not in named]
        hint = HINTS.get(name)
        if hint is not None and hint in free:
            near = f"; did you mean '{hint}'?"
            meant.add(hint)  # reported here, not again as missing
        else:
            near = suggest(name, free) if name else ""
            meant.update(closest(name, free, n=1) if name else [])
        label = f"'{shown}'" if shown else "(empty)"
        problems.add(1, f"unknown column {label}{near} (the columns are {', '.join(known)})")
    for name, n in Counter(columns).items():
        if n > 1 and name in known:
            problems.add(1, f"column '{name}' appears {n} times; keep one")
            ok = False
    missing = [name for name in REQUIRED if name not in named and name not in meant]
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
