"""Reading check-ins from a CSV file for ``okr import``: every row checked exactly as
``okr checkin`` checks one value (``okrcli.recording.make_entry``), every problem kept
with its line, nothing written here.

Columns: ``id,at,value`` (required) and ``confidence,by,note,period,health`` (optional); a
header row names them, in any order, in any case.  Cells are separated by commas, semicolons
(as spreadsheets write CSV where the comma is the decimal mark) or tabs: which one is told
from the file (``csv.Sniffer``, limited to those three).  ``value`` may be empty for a status
update (a note, a confidence or a health instead).  The file may be standard input (``-``).

Records identical to ones already in the journal (or earlier in the same file) are not
imported again (``dedupe``), so running the same import twice adds nothing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from okrcli.errors import InputError, OkrError
from okrcli.recording import Entry, make_entry, parse_at
from okrcli.workspace import Workspace

REQUIRED = ("id", "at", "value")
OPTIONAL = ("confidence", "by", "note", "period", "health")
STDIN = "-"
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


def _read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or of standard input for ``-``; bounded by MAX_BYTES."""
    if str(path) == STDIN:
        import sys

        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(MAX_BYTES + 1) if stream is not None else sys.stdin.read().encode()
        if len(data) > MAX_BYTES:
            raise InputError(f"standard input is larger than {MAX_BYTES} bytes")
        return bytes(data)
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path} is larger than {MAX_BYTES} bytes")
    return path.read_bytes()


def read_rows(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the row, cells by column) for every non-blank row of ``path``."""
    try:
        text = _read_bytes(path).decode("utf-8-sig")
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
            for name in ("id", "at"):
                if not cells[name].strip():
                    raise InputError(f"{column_name(name)} is empty")
            value = cells["value"]
            entries.append(
                make_entry(
                    ws,
                    id_=cells["id"],
                    value=value if value.strip() else None,
                    at=parse_at(cells["at"].strip(), column_name),
                    confidence=cells.get("confidence"),
                    note=cells.get("note") or None,
                    by=(cells.get("by") or "").strip() or by,
                    period=(cells.get("period") or "").strip() or None,
                    health=(cells.get("health") or "").strip() or None,
                    name=column_name,
                )
            )
        except OkrError as e:
            problems.add(line, str(e))
    return entries


def record_key(
    at: datetime, kind: str, id_: str, period: str | None, record: dict[str, Any]
) -> tuple[Any, ...]:
    """What makes two records the same check-in: the moment, the KR (of a period) or KPI,
    and everything they say."""
    return (
        at.astimezone(timezone.utc),
        kind,
        id_,
        period,
        record.get("value"),
        record.get("confidence"),
        record.get("health"),
        record.get("by"),
        record.get("note"),
    )


def dedupe(ws: Workspace, entries: list[Entry]) -> tuple[list[Entry], int]:
    """The entries not already in the journal (nor earlier in ``entries``), and how many
    were left out."""
    seen = {
        record_key(
            c.at,
            c.kind or "",
            c.target_id or c.id,
            None if c.target_period is None else str(c.target_period),
            {"value": c.value, "confidence": c.confidence, "health": c.health, "by": c.by,
             "note": c.note},
        )
        for c in ws.checkins
        if c.kind is not None
    }  # fmt: skip
    fresh: list[Entry] = []
    for e in entries:
        period = None if e.target.period is None else str(e.target.period)
        key = record_key(e.at, e.target.kind, e.target.id, period, e.record)
        if key in seen:
            continue
        seen.add(key)
        fresh.append(e)
    return fresh, len(entries) - len(fresh)
