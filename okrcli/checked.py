"""A workspace's validation kept between runs.

``okr validate`` on a workspace whose every file is, byte for byte, what it was at the
last run, on the same day, with the same okr and Python, gives the same diagnostics: they
are kept in the parse cache's folder (``okrcli.cache``: signed, private to the user,
``OKR_NO_CACHE=1`` turns it off) and the next such run answers from one pass that reads
and hashes the files, without parsing or checking anything.

What the answer depends on, and so what the *fingerprint* covers:

* every file okr reads: ``okr.yaml`` and every goal file (its path and its bytes, or why
  the safe reader refuses it: a link out of the workspace, a FIFO, a file too large);
* the day the lint rules judge against (stale KPIs, check-ins in the future): ``--as-of``,
  or today in the organisation's time zone, checked again on every answer;
* okr's code (every module) and Python's version (``cache.code_key``).

**After check-ins.**  When the definitions (``okr.yaml``, plans, KPIs) are unchanged and
the journal files only grew by whole lines in okr's one-line format (what ``okr checkin``
and ``okr import`` append), only the new records are checked, against what the last full
check kept of the definitions (which KR of which period an id names, its type, the KPIs
and their cadence and latest measurement).  This path only ever *confirms*: a new record
that would get any diagnostic, or anything it cannot judge, sends the run to the full
check, which alone reports.  A new measurement that makes a stale KPI fresh takes that
KPI's warning away, as the full check would.

While an append is unfinished (an intent file is present) nothing is answered or kept,
and an answer is kept only when the files did not change while they were checked.  The
workspace has one slot: a new answer replaces the old one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli import cache, scoring, timeutil, undo
from okrcli.diagnostics import Diagnostic
from okrcli.files import read_bytes
from okrcli.layout import MARKER, goal_files, journal_month

if TYPE_CHECKING:
    from okrcli.workspace import Workspace

_KIND = "validate"
_JOURNAL = "checkins/"
_EMPTY = hashlib.blake2b(b"", digest_size=20).hexdigest()


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


@dataclass
class Scan:
    """What the diagnostics of a workspace are made from: a digest of okr's code and the
    definitions (``okr.yaml``, plans, KPIs), and each journal file's size and digest."""

    definitions: str
    journals: dict[str, list[Any]] = field(default_factory=dict)  # rel -> [size, digest]

    @property
    def fingerprint(self) -> str:
        h = hashlib.blake2b(self.definitions.encode(), digest_size=20)
        for rel, (size, digest) in sorted(self.journals.items()):
            h.update(f"\0{rel}\0{size}\0{digest}".encode("utf-8", "surrogateescape"))
        return h.hexdigest()


def scan(root: Path) -> Scan | None:
    """Read and hash every file of the workspace at ``root``; None while an append is
    unfinished or the cache is off."""
    if cache.folder() is None or undo.pending(root):
        return None
    h = hashlib.blake2b(cache.code_key(), digest_size=20)
    journals: dict[str, list[Any]] = {}
    for rel in (MARKER, *(rel for rel, _ in goal_files(root))):
        raw, problem = read_bytes(root, rel)
        if rel.startswith(_JOURNAL):
            if raw is None:
                journals[rel] = [-1, "not read: " + (problem.message if problem else "")]
            else:
                journals[rel] = [len(raw), _digest(raw)]
            continue
        if raw is None:
            raw = b"\xffnot read: " + (problem.message.encode() if problem else b"")
        h.update(f"{rel}\0{len(raw)}\0".encode("utf-8", "surrogateescape"))
        h.update(raw)
    return Scan(h.hexdigest(), journals)


def _slot(root: Path) -> str:
    return cache.slot(_KIND, root, "")


def recall(root: Path, now: Scan, as_of: date | None) -> list[Diagnostic] | None:
    """The diagnostics of the workspace as ``now`` scanned it, from what the last check
    kept (unchanged files, or records appended since); None when a full check is needed."""
    entry = cache.get(_slot(root))
    if not isinstance(entry, dict) or not isinstance(entry.get("value"), dict):
        return None
    kept = entry["value"]
    try:
        day = date.fromisoformat(kept["day"])
        if day != (as_of or timeutil.today(timeutil.zone_or_utc(kept["zone"]))):
            return None
        found = [Diagnostic(code, f, int(line), int(column), message)
                 for code, f, line, column, message in kept["diagnostics"]]  # fmt: skip
        if entry.get("of") == now.fingerprint:
            return found
        if kept["definitions"] != now.definitions:
            return None
        answer = _appended(root, now, kept, day, found)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # an entry of another shape: check the files
    if answer is not None and scan(root) == now:
        _put(root, now, {**kept, "diagnostics": _rows(answer)})
    return answer


def keep(root: Path, now: Scan, ws: Workspace, day: date) -> None:
    """Keep the diagnostics of ``ws``, fully checked on ``day`` from the files ``now``
    scanned, with what checking appended records needs; unless the files changed
    meanwhile."""
    if scan(root) != now:
        return
    krs: dict[str, list[list[Any]]] = {}
    for k in ws.key_results:
        krs.setdefault(k.id, []).append(_kr_row(k.period, k))
    for (period, old), k in ws.renamed.items():
        krs.setdefault(old, []).append(_kr_row(period, k))
    latest: dict[str, date] = {}
    for c in ws.checkins:
        measurement = c.kind == "kpi" and c.value is not None and c.day <= day
        if measurement and (c.id not in latest or c.day > latest[c.id]):
            latest[c.id] = c.day
    value: dict[str, Any] = {
        "day": day.isoformat(),
        "zone": ws.settings.timezone,
        "fiscal": [ws.fiscal_start, ws.named_by_end],
        "definitions": now.definitions,
        "kpis": {
            kid: [ref.kpi.cadence, latest[kid].isoformat() if kid in latest else None]
            for kid, ref in ws.kpis.items()
        },
        "krs": krs,
        "diagnostics": _rows(ws.diagnostics),
    }
    _put(root, now, value)


def _put(root: Path, now: Scan, value: dict[str, Any]) -> None:
    value["journals"] = now.journals
    cache.keep(_slot(root), now.fingerprint, value)


def _rows(found: list[Diagnostic]) -> list[list[Any]]:
    return [[d.code, d.file, d.line, d.column, d.message] for d in found]


def _kr_row(period: Any, k: Any) -> list[Any]:
    """What checking a value for KR ``k`` of ``period`` needs."""
    return [
        str(period),
        period.first_day.toordinal(),
        period.last_day.toordinal(),
        period.total_days,
        k.type or "milestone",
        k.kr.kpi is not None,
    ]


def _appended(
    root: Path, now: Scan, kept: dict[str, Any], today: date, found: list[Diagnostic]
) -> list[Diagnostic] | None:
    """``found`` as it stands once the records appended since the last check are
    checked; None when any of them needs the full check (see the module's doc)."""
    from okrcli.journal import only_records, split_journal
    from okrcli.periods import parse_period

    zone = timeutil.zone_or_utc(kept["zone"])
    fiscal_start, named_by_end = kept["fiscal"]
    kpis: dict[str, list[Any]] = kept["kpis"]
    krs: dict[str, list[list[Any]]] = kept["krs"]
    old_journals: dict[str, list[Any]] = kept["journals"]
    if set(old_journals) - set(now.journals):
        return None  # a journal file went away
    measured: dict[str, date] = {}
    for rel, (size, digest) in now.journals.items():
        old_size, old_digest = old_journals.get(rel, [0, _EMPTY])
        if (size, digest) == (old_size, old_digest):
            continue
        if size < old_size or old_size < 0:
            return None
        raw, _ = read_bytes(root, rel)
        if raw is None or len(raw) != size or _digest(raw[:old_size]) != old_digest:
            return None
        if old_size and raw[old_size - 1 : old_size] != b"\n":
            return None  # not whole lines after whole lines
        month = journal_month(rel)
        try:
            before, tail = raw[:old_size].decode("utf-8"), raw[old_size:].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not only_records(before):
            return None  # new lines could change how the old ones read: check it all
        if month is None or (old_size == 0 and tail.startswith("\ufeff")):
            return None
        split = split_journal(tail)
        if split is None or split[1]:
            return None  # something the YAML path reads
        for _, _, (at, id_, period, value, _conf, _by, _note, health) in split[0]:
            day = _day(at, zone)
            if day > today or (day.year, day.month) != month:
                return None
            kpi = kpis.get(id_)
            if kpi is not None:
                if period is not None or isinstance(value, bool):
                    return None
                if value is not None and (id_ not in measured or day > measured[id_]):
                    measured[id_] = day
                continue
            rows = krs.get(id_)
            if not rows or health is not None:
                return None
            row = _kr_of(rows, period, day, fiscal_start, named_by_end, parse_period)
            if row is None:
                return None
            kind, linked = row[4], row[5]
            if linked:
                return None
            if value is not None:
                if kind == "milestone":
                    if not isinstance(value, bool) and not 0 <= value <= 1:
                        return None
                elif isinstance(value, bool):
                    return None
    fresh: set[str] = set()
    for kid, newest in measured.items():
        cadence, last = kpis[kid]
        previous = date.fromisoformat(last) if last is not None else None
        if previous is not None and newest <= previous:
            continue
        if scoring.is_stale(newest, today, cadence):
            return None  # still stale, with another message: the full check says it
        kpis[kid] = [cadence, newest.isoformat()]
        if previous is not None and scoring.is_stale(previous, today, cadence):
            fresh.add(f"KPI '{kid}' is ")
    if fresh:
        found = [
            d
            for d in found
            if not (d.code == "stale-kpi" and any(d.message.startswith(f) for f in fresh))
        ]
    return found


def _kr_of(
    rows: list[list[Any]],
    period: str | None,
    day: date,
    fiscal_start: int,
    named_by_end: bool,
    parse_period: Any,
) -> list[Any] | None:
    """The row of the KR a record resolves to (``link.TargetResolver``'s rule), or None
    where the resolver would report a problem."""
    ordinal = day.toordinal()
    if period is not None:
        named = parse_period(period, fiscal_start, named_by_end)
        text = None if named is None else str(named)
        for row in rows:
            if row[0] == text:
                return row if ordinal >= row[1] else None  # dated before its period
        return None
    containing = [row for row in rows if row[1] <= ordinal <= row[2]]
    if not containing:
        return None
    return min(containing, key=lambda row: row[3])  # the narrowest; the first on a tie


def _day(at: datetime, zone: Any) -> date:
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at.astimezone(zone).date()
