"""``okr validate`` from the results of earlier runs, when the files allow it.

A full check reads, links and checks everything (``okrcli.loader``).  Its results are
kept in the result cache (``okrcli.resultcache``) in three layers, each keyed by the
digests of exactly the bytes it was derived from (and by the day it was judged on):

1. the whole workspace: every file's digest -> the diagnostics.  An unchanged workspace
   costs one pass that reads and hashes its files.
2. the definitions (``okr.yaml``, plans, KPIs) -> their diagnostics, and what deciding a
   check-in's target needs: each KR id's periods (as day numbers), which KRs are
   milestones or linked to a KPI, the KPI ids, each KPI's cadence and place.
3. each journal file, with the definitions -> its diagnostics and, per KPI, the day of
   its latest value (for staleness).

When only journal files changed (a check-in), layer 2 and the other files' layer 3 still
hold; a changed journal file is read and its records resolved against layer 2 here,
without loading the workspace.  Anything unusual in it (a record that would get a
diagnostic, a file the YAML path must read whole) sends the run down the full path, so
this path only ever confirms what the full check would find.  Rules that read the check-ins
(``okrcli.rules.JOURNAL_RULES``) are the ones computed again here (staleness); a test
keeps every other rule away from the check-ins.

This module loads neither pydantic nor (unless a changed journal file holds hand-written
records) YAML on the quick path.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli import resultcache
from okrcli.diagnostics import Diagnostic
from okrcli.journal import Row, month_days, plain_row, split_journal
from okrcli.layout import MARKER, goal_files
from okrcli.periods import parse_period
from okrcli.scoring import is_stale
from okrcli.timeutil import EPOCH_ORDINAL

if TYPE_CHECKING:
    from okrcli.workspace import Workspace

US_PER_DAY = 86_400_000_000
# files up to this size are hashed by content (well above what the loader reads at all)
HASHED_BYTES = 256 * 1024 * 1024
Diag = tuple[str, str, int, int, str]  # a Diagnostic as plain data
# a journal file's diagnostics; each KPI's latest day; and (definitions key, size, content
# digest, records, lines) of the file it was found for, or None when it was read whole
Meta = tuple[bytes, int, bytes, int, int]
JournalResult = tuple[list[Diag], dict[str, int], Meta | None]


def stale_kpi(
    kid: str, cadence: str, last: date, today: date, path: str, pos: tuple[int, int]
) -> Diagnostic | None:
    """The stale-kpi warning of KPI ``kid`` whose latest value is from ``last``, or None."""
    if not is_stale(last, today, cadence):
        return None
    return Diagnostic(
        "stale-kpi",
        path,
        pos[0],
        pos[1],
        f"KPI '{kid}' is {cadence} but its latest value is from "
        f"{last} ({(today - last).days} days ago); check in a fresh value",
    )


class FileState:
    """One goal file as the hash pass saw it."""

    __slots__ = ("data", "digest", "rel")

    def __init__(self, rel: str, digest: bytes, data: bytes | None) -> None:
        self.rel, self.digest, self.data = rel, digest, data


def _state(root: Path, rel: str) -> FileState:
    """Read and hash one file, never blocking on something that is not a regular file."""
    full = root / rel
    try:
        info = os.lstat(full)
    except OSError as e:
        return FileState(rel, resultcache.digest("missing", str(e.errno)), None)
    kind = stat.S_IFMT(info.st_mode)
    link = os.readlink(full) if kind == stat.S_IFLNK else ""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(full, flags)
    except OSError as e:
        return FileState(rel, resultcache.digest("unopened", link, str(e.errno)), None)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or opened.st_size > HASHED_BYTES:
            what = f"{kind}:{stat.S_IFMT(opened.st_mode)}:{opened.st_size}"
            return FileState(rel, resultcache.digest("special", link, what), None)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError as e:
        return FileState(rel, resultcache.digest("unread", link, str(e.errno)), None)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return FileState(rel, resultcache.digest("file", link, resultcache.content_digest(data)), data)


class Check:
    """One run of ``okr validate`` over the workspace at ``root``, judged as of ``today``."""

    def __init__(self, root: Path, today: date) -> None:
        self.root, self.today = root, today
        self.enabled = resultcache.enabled()
        self.files: list[FileState] = []
        self.whole_key = self.defs_key = b""
        if self.enabled:
            self._hash_pass()

    def _hash_pass(self) -> None:
        rels = [MARKER] + [rel for rel, _ in goal_files(self.root)]
        self.files = [_state(self.root, rel) for rel in rels]
        day = self.today.isoformat()
        listing = [
            b"%s\0%s" % (f.rel.encode("utf-8", "surrogateescape"), f.digest) for f in self.files
        ]
        self.whole_key = resultcache.digest("whole", day, *listing)
        defs = [x for f, x in zip(self.files, listing, strict=True) if not _is_journal(f.rel)]
        self.defs_key = resultcache.digest("definitions", day, *defs)

    def _slot(self, kind: str, *names: str) -> str:
        return resultcache.slot(kind, str(self.root), *names)

    # --- reading the layers ------------------------------------------------------------
    def cached(self) -> list[Diagnostic] | None:
        """The workspace's diagnostics from earlier results, or None (check in full)."""
        if not self.enabled:
            return None
        whole = resultcache.get(self._slot("whole"), self.whole_key)
        if whole is not None:
            found = _diagnostics(whole)
            if found is not None:
                return found
        defs = resultcache.get(self._slot("definitions"), self.defs_key)
        if not isinstance(defs, dict):
            return None
        try:
            return self._from_layers(defs)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # an entry of another shape: check in full

    def _from_layers(self, defs: dict[str, Any]) -> list[Diagnostic] | None:
        diagnostics = _diagnostics(defs["diagnostics"])
        if diagnostics is None:
            return None
        latest: dict[str, int] = {}
        fresh: list[tuple[str, bytes, Any]] = []
        for f in self.files:
            if not _is_journal(f.rel):
                continue
            name = self._slot("journal-check", f.rel)
            key = resultcache.digest("journal-check", self.defs_key, f.digest)
            kept = resultcache.get(name, key)
            if kept is None:
                kept = self._resolve(f, defs, resultcache.peek(name))
                if kept is None:
                    return None  # a record that needs the full check (or a file read whole)
                fresh.append((name, key, kept))
            found, days, _ = kept
            own = _diagnostics(found)
            if own is None:
                return None
            diagnostics += own
            for kid, day in days.items():
                if day > latest.get(kid, -(10**9)):
                    latest[kid] = day
        diagnostics += self._stale(defs["kpis"], latest)
        ignore = set(defs["ignore"])
        diagnostics = [d for d in diagnostics if d.code not in ignore]
        diagnostics.sort(key=Diagnostic.sort_key)
        for name, key, kept in fresh:
            resultcache.put(name, key, kept)
        resultcache.put(self._slot("whole"), self.whole_key, _plain(diagnostics))
        return diagnostics

    def _resolve(self, f: FileState, defs: dict[str, Any], before: Any) -> JournalResult | None:
        """A changed journal file's result, when its records resolve to a KR or KPI without
        any diagnostic; else None.  When the file only grew by whole lines since the result
        ``before`` (an append: what okr checkin does), only the new lines are read."""
        data = f.data
        if data is None:
            return None
        found: list[Diag] = []
        days: dict[str, int] = {}
        start, count, lines = 0, 0, 0
        grown = _grown(data, self.defs_key, before)
        if grown is not None and grown[2] is not None:
            found, days = grown[0], grown[1]
            _, start, _, count, lines = grown[2]
        try:
            text = data[start:].decode("utf-8-sig" if not start else "utf-8")
        except UnicodeDecodeError:
            return None
        split = split_journal(text)
        if split is None:
            return None
        rows = split[0]
        if split[1]:
            from okrcli.yamlsource import MarkedList, parse

            for first, index, segment in split[1]:  # hand-written records, each on its own
                doc = parse(segment, f.rel)
                item = doc.data
                if doc.diagnostics or not isinstance(item, MarkedList) or len(item) != 1:
                    return None
                row = plain_row(item[0], first + item.items_at[0][0] - 1, index)
                if row is None:
                    return None
                rows.append(row)
        if not self._all_resolve(rows, defs, f.rel, days):
            return None
        meta = (
            self.defs_key,
            len(data),
            resultcache.content_digest(data),
            count + len(rows),
            lines + text.count("\n"),
        )
        return found, days, meta

    def _all_resolve(
        self, rows: list[Row], defs: dict[str, Any], rel: str, days: dict[str, int]
    ) -> bool:
        """Whether every row resolves without a diagnostic (``days`` gets each KPI's
        latest day)."""
        kpi_ids: set[str] = set(defs["kpi_ids"])
        windows: dict[str, list[tuple[int, int, str, bool, bool]]] = defs["windows"]
        fiscal_start: int = defs["fiscal_start"]
        today = self.today.toordinal() - EPOCH_ORDINAL
        month = month_days(rel)
        for row in rows:
            ts, id_, period, value = row[2], row[4], row[5], row[6]
            d = ts // US_PER_DAY
            if d > today or (month is not None and not month[0] <= d <= month[1]):
                return False  # a future or misfiled record: its warning comes from the full path
            if id_ in kpi_ids:
                if period is not None or value.__class__ is bool:
                    return False
                if d > days.get(id_, -(10**9)):
                    days[id_] = d
                continue
            spans = windows.get(id_)
            if not spans:
                return False
            if period is None:
                chosen = next((w for w in spans if w[0] <= d <= w[1]), None)
            else:
                named = parse_period(period, fiscal_start)
                chosen = next((w for w in spans if named is not None and str(named) == w[2]), None)
            if chosen is None or chosen[4]:  # no KR, or one linked to a KPI (a warning)
                return False
            if chosen[3]:  # a milestone: true/false or a fraction
                if value.__class__ is not bool and not 0 <= value <= 1:
                    return False
            elif value.__class__ is bool:
                return False
        return True

    def _stale(self, kpis: dict[str, Any], latest: dict[str, int]) -> list[Diagnostic]:
        found = []
        for kid, (cadence, path, line, column) in kpis.items():
            day = latest.get(kid)
            if day is None:
                continue
            d = stale_kpi(
                kid,
                cadence,
                date.fromordinal(day + EPOCH_ORDINAL),
                self.today,
                path,
                (line, column),
            )
            if d is not None:
                found.append(d)
        return found

    # --- keeping the layers after a full check -----------------------------------------
    def store(self, ws: Workspace) -> None:
        """Keep the results of a full check of ``ws`` (read after the hash pass), when no
        file changed in between."""
        if not self.enabled or not self.files:
            return
        again = Check(self.root, self.today)
        if again.whole_key != self.whole_key:
            return  # a file changed while it was checked: keep nothing
        journal = {f.rel for f in self.files if _is_journal(f.rel)}
        by_file: dict[str, list[Diag]] = {rel: [] for rel in journal}
        defs: list[Diag] = []
        for d in ws.diagnostics:
            plain = (d.code, d.file, d.line, d.column, d.message)
            if d.file in by_file:
                by_file[d.file].append(plain)
            elif d.code != "stale-kpi":
                defs.append(plain)
        today = self.today.toordinal() - EPOCH_ORDINAL
        days: dict[str, dict[str, int]] = {rel: {} for rel in journal}
        records = dict.fromkeys(journal, 0)
        for c in ws.checkins:
            if c.path in records:
                records[c.path] += 1
            t = c.target
            if t is None or t[0] != "kpi" or c.path not in days:
                continue
            day = c.ts // US_PER_DAY
            own = days[c.path]
            if day <= today and day > own.get(c.id, -(10**9)):
                own[c.id] = day
        resultcache.put(self._slot("definitions"), self.defs_key, _definitions(ws, defs))
        for f in self.files:
            if f.rel not in journal:
                continue
            meta: Meta | None = None
            if f.data is not None and f.rel not in ws.journal_data:  # read line by line
                digest = resultcache.content_digest(f.data)
                meta = (self.defs_key, len(f.data), digest, records[f.rel], f.data.count(b"\n"))
            key = resultcache.digest("journal-check", self.defs_key, f.digest)
            value = (by_file[f.rel], days[f.rel], meta)
            resultcache.put(self._slot("journal-check", f.rel), key, value)
        resultcache.put(self._slot("whole"), self.whole_key, _plain(ws.diagnostics))


def _grown(data: bytes, defs_key: bytes, before: Any) -> JournalResult | None:
    """The earlier result ``before`` of a journal file, when that file read line by line
    and ``data`` is its bytes with whole lines appended, with the same definitions."""
    if not (isinstance(before, tuple) and len(before) == 3 and isinstance(before[2], tuple)):
        return None
    found, days, meta = before
    if len(meta) != 5 or meta[0] != defs_key or not isinstance(days, dict):
        return None
    size = meta[1]
    if not (0 < size < len(data) and data[size - 1 : size] == b"\n"):
        return None
    if resultcache.content_digest(data[:size]) != meta[2]:
        return None
    return list(found), dict(days), meta


def _definitions(ws: Workspace, diagnostics: list[Diag]) -> dict[str, Any]:
    """What layer 2 keeps of a checked workspace."""
    from okrcli.link import TargetResolver

    resolver = TargetResolver(ws)
    windows: dict[str, list[tuple[int, int, str, bool, bool]]] = {}
    for id_, periods in resolver.periods_of.items():
        spans = []
        for p in sorted(dict.fromkeys(periods), key=lambda p: p.total_days):
            kref = ws.key_result(id_, p)
            assert kref is not None
            spans.append(
                (
                    p.first_day.toordinal() - EPOCH_ORDINAL,
                    p.last_day.toordinal() - EPOCH_ORDINAL,
                    str(p),
                    kref.type == "milestone",
                    kref.kr.kpi is not None,
                )
            )
        windows[id_] = spans
    kpis = {}
    for kid, ref in ws.kpis.items():
        line, column = ref.position("id")
        kpis[kid] = (ref.kpi.cadence, ref.path, line, column)
    return {
        "diagnostics": diagnostics,
        "ignore": sorted(ws.settings.lint.ignore),
        "kpis": kpis,
        "kpi_ids": sorted(ws.kpis),
        "windows": windows,
        "fiscal_start": ws.fiscal_start,
    }


def _is_journal(rel: str) -> bool:
    return rel.startswith("checkins/")


def _plain(diagnostics: Iterable[Diagnostic]) -> list[Diag]:
    return [(d.code, d.file, d.line, d.column, d.message) for d in diagnostics]


def _diagnostics(plain: Any) -> list[Diagnostic] | None:
    from okrcli.diagnostics import CODES

    if not isinstance(plain, list):
        return None
    found = []
    for item in plain:
        if not (isinstance(item, tuple) and len(item) == 5 and item[0] in CODES):
            return None
        found.append(Diagnostic(*item))
    return found
