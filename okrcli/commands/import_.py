"""``okr import FILE.csv``: append many check-ins from a CSV file, all or nothing.

Columns: ``id,at,value`` (required) and ``confidence,by,note,period`` (optional); a header
row names them, in any order.  Every row is checked exactly as ``okr checkin`` checks one
value; if any row is bad, every bad row is reported as ``FILE:LINE: message`` and nothing
is written.  Otherwise the records are appended, one append per journal file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from okrcli.commands.checkin import (
    Entry,
    commit,
    commit_message,
    default_by,
    entry_value,
    make_entry,
    now_utc,
    parse_at,
    report_written,
    write_entries,
)
from okrcli.errors import EXIT_ERRORS, EXIT_OK, InputError, OkrError
from okrcli.output import err, out
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

    def report(self) -> None:
        for line, message in self.items:
            err(f"{self.shown}:{line}: {message}")


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


def summary(entries: list[Entry]) -> list[str]:
    """Per id, in order of appearance: how many values, and the latest of them."""
    by_id: dict[str, list[Entry]] = {}
    for e in entries:
        by_id.setdefault(e.record["id"], []).append(e)
    lines = []
    for id_, group in by_id.items():
        last = max(group, key=lambda e: e.at)
        n = len(group)
        lines.append(
            f"{id_}: {n} value{'s' if n != 1 else ''}, latest {entry_value(last)} "
            f"at {last.record['at']}"
        )
    return lines


def run(root: str | None, file: Path, *, commit_it: bool = False) -> int:
    from okrcli.commands.common import load

    ws = load(root)
    if commit_it:
        from okrcli.gitrepo import prepare_commit

        prepare_commit(ws.root)
    problems = Problems(str(file))
    entries = check_rows(ws, file, problems, default_by(ws.root))
    if problems.items:
        problems.report()
        bad = len({line for line, _ in problems.items if line > 1})
        what = f"{bad} bad row{'s' if bad != 1 else ''}" if bad else "a bad header row"
        err(f"okr: {what} in {file}; nothing was imported")
        return EXIT_ERRORS
    if not entries:
        raise InputError(f"{file} has no rows to import")
    written = write_entries(ws.root, entries)
    for line in summary(entries):
        out(line)
    out(f"imported {len(entries)} check-in{'s' if len(entries) != 1 else ''} from {file}")
    report_written(ws, entries, written, now_utc().date(), changes=False)
    if commit_it:
        commit(ws.root, written, commit_message("import", entries))
    return EXIT_OK
