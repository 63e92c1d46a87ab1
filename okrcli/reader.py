"""Reading: every goal file of a workspace into models that remember their places.

Reading never stops at the first problem: every file is read, every problem becomes a
diagnostic, and what was valid is kept (the valid objectives of a broken plan too), so
that linking (``okrcli.link``) and the rules (``okrcli.rules``) check whatever they can.
Plan and KPI files, and journal files in okr's own layout, are kept in the parse cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from okrcli import cache, resultcache
from okrcli.diagnostics import Diagnostic
from okrcli.journal import Row, split_journal
from okrcli.layout import MARKER, goal_files
from okrcli.models import (
    KPI,
    CheckinRecord,
    KeyResult,
    KPIFile,
    Objective,
    Plan,
    Settings,
)
from okrcli.periods import parse_period
from okrcli.sourcemap import diagnostics_from_errors
from okrcli.timeutil import instant
from okrcli.workspace import Checkin, KpiRef, PlanFile, Source, Workspace
from okrcli.yamlsource import MAX_FILE_BYTES, Document, MarkedList, locate, parse, read_document

_RECORDS = TypeAdapter(list[CheckinRecord])
_RECORD = TypeAdapter(CheckinRecord)


def validate(doc: Document, model: Any) -> Any:
    """The model built from ``doc``'s data, or None with diagnostics added to ``doc``."""
    data = doc.data
    if data is None:
        if doc.ok:
            doc.diagnostics.append(Diagnostic("wrong-type", doc.path, 1, 1, "the file is empty"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        doc.diagnostics.extend(
            diagnostics_from_errors(e.errors(include_url=False), data, doc.path, model)
        )
        return None
    except RecursionError:
        doc.diagnostics.append(Diagnostic("yaml-too-deep", doc.path, 1, 1, "nesting too deep"))
        return None


def _salvage(data: Any, key: str, model: Any) -> tuple[list[tuple[int, Any]], set[str]]:
    """The valid items of the list ``data[key]`` of a file that failed validation, with
    their indices, and the ids of the invalid ones (so that references to them are not
    reported a second time)."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], _ids_in(data)
    good, lost = [], set()
    for index, item in enumerate(items):
        try:
            good.append((index, model.model_validate(item)))
        except ValidationError:
            lost.update(_ids_in(item))
    return good, lost


def _ids_in(node: Any) -> set[str]:
    """Every string under an 'id' key in ``node`` (best effort, bounded by the loader)."""
    found: set[str] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, dict):
            if isinstance(current.get("id"), str):
                found.add(current["id"])
            todo.extend(current.values())
        elif isinstance(current, list):
            todo.extend(current)
    return found


def read_settings(ws: Workspace) -> None:
    doc = read_document(ws.root / MARKER, MARKER)
    settings = validate(doc, Settings)
    ws.diagnostics.extend(doc.diagnostics)
    ws.settings_data = doc.data
    if settings is not None:
        ws.settings = settings
        ws.settings_ok = True


# What one plan or KPI file gives, whatever the rest of the workspace holds: its valid
# objectives (or KPIs) with their places in the file, whether the file was valid as a
# whole, its own diagnostics, the ids in its invalid parts, and whether it could be read
# at all.  In plain data, so that ``okrcli.cache`` can keep it.


@dataclass
class FileRead:
    items: list[tuple[int, Any]]
    whole: bool
    diagnostics: list[Diagnostic]
    lost_ids: set[str]
    readable: bool
    team: str | None = None
    period: str | None = None
    data: Any = None  # the marked data, when the file was parsed in this run

    def to_cache(self) -> tuple[Any, ...]:
        return (
            [(i, m.model_dump()) for i, m in self.items],
            self.whole,
            [(d.code, d.file, d.line, d.column, d.message) for d in self.diagnostics],
            sorted(self.lost_ids),
            self.readable,
            self.team,
            self.period,
        )

    @classmethod
    def from_cache(cls, entry: tuple[Any, ...], build: Any) -> FileRead:
        items, whole, diagnostics, lost, readable, team, period = entry
        return cls(
            [(i, build(d)) for i, d in items],
            whole,
            [Diagnostic(*d) for d in diagnostics],
            set(lost),
            readable,
            team,
            period,
        )


def _objective(d: dict[str, Any]) -> Objective:
    krs = [KeyResult.model_construct(**k) for k in d["key_results"]]
    return Objective.model_construct(**{**d, "key_results": krs})


def _cached(
    kind: str,
    full: Path,
    rel: str,
    read: Callable[[Path, str], FileRead],
    build: Callable[[dict[str, Any]], Any],
) -> FileRead:
    try:
        raw = full.read_bytes()
    except OSError:
        return read(full, rel)
    entry = cache.key(kind, rel, raw)
    hit = cache.get(entry)
    if hit is not None:
        try:
            return FileRead.from_cache(hit, build)
        except (TypeError, ValueError, KeyError):
            pass  # an entry of another shape: read the file again
    result = read(full, rel)
    cache.put(entry, result.to_cache())
    return result


def _read_plan(full: Path, rel: str) -> FileRead:
    doc = read_document(full, rel)
    plan = validate(doc, Plan)
    data = doc.data
    if plan is not None:
        return FileRead(
            list(enumerate(plan.objectives)), True, doc.diagnostics, set(), True,
            plan.team, plan.period, data,
        )  # fmt: skip
    if not isinstance(data, dict) or not isinstance(data.get("team"), str):
        return FileRead([], False, doc.diagnostics, _ids_in(data), data is not None, data=data)
    # keep the valid objectives, so that their references are still checked
    good, lost = _salvage(data, "objectives", Objective)
    period = data.get("period")
    return FileRead(
        good, False, doc.diagnostics, lost, True, data["team"],
        str(period) if parse_period(period) else None, data,
    )  # fmt: skip


def _read_kpis(full: Path, rel: str) -> FileRead:
    doc = read_document(full, rel)
    kpi_file = validate(doc, KPIFile)
    if kpi_file is not None:
        return FileRead(list(enumerate(kpi_file.kpis)), True, doc.diagnostics, set(), True,
                        data=doc.data)  # fmt: skip
    good, lost = _salvage(doc.data, "kpis", KPI)
    return FileRead(good, False, doc.diagnostics, lost, doc.data is not None, data=doc.data)


def _take(ws: Workspace, read: FileRead) -> None:
    ws.diagnostics.extend(read.diagnostics)
    ws.unreadable_ids.update(read.lost_ids)
    if not read.readable:
        ws.incomplete = True


def read_plan(ws: Workspace, rel: str, full: Path) -> None:
    read = _cached("plan", full, rel, _read_plan, _objective)
    _take(ws, read)
    if read.team is None:
        return
    plan = Plan.model_construct(
        team=read.team, period=read.period, objectives=[o for _, o in read.items]
    )
    parts = rel.split("/")
    period = parse_period(parts[1], ws.fiscal_start) if len(parts) > 2 else None
    if period is None:
        ws.diagnostics.append(
            Diagnostic(
                "invalid-period",
                rel,
                1,
                1,
                "plan files live in okrs/<period>/ where <period> is a quarter like 2026-Q4 "
                "or a year like 2026; move this file",
            )
        )
    indices = None if read.whole else [i for i, _ in read.items]
    # positions are read again only when a diagnostic needs one (as after a cache hit):
    # a large organisation's marked plans would otherwise stay in memory for nothing
    ws.plans.append(PlanFile(rel, period, plan, Source(full, rel), indices))


def read_kpis(ws: Workspace, rel: str, full: Path) -> None:
    read = _cached("kpi", full, rel, _read_kpis, lambda d: KPI.model_construct(**d))
    _take(ws, read)
    source = Source(full, rel, read.data)
    for index, kpi in read.items:
        first = ws.kpis.get(kpi.id)
        if first is not None:
            line, column = locate(source.data, ("kpis", index, "id"))
            fl, _ = first.position("id")
            ws.diagnostics.append(
                Diagnostic(
                    "duplicate-id",
                    rel,
                    line,
                    column,
                    f"the KPI id '{kpi.id}' is already defined at {first.path}:{fl}; "
                    "KPI ids are unique in the workspace",
                )
            )
            continue
        ws.kpis[kpi.id] = KpiRef(kpi, rel, index, source)


# --- the journal ------------------------------------------------------------------------
#
# A journal file is read line by line (``journal_records``): okr's own one-line records by
# ``okrcli.journal``'s fast path, any other record by the YAML path on its own.  A file that
# is not a list of records line by line, or that has a problem, is read whole by the YAML
# path below, which alone produces diagnostics.


def read_journal(ws: Workspace, rel: str, full: Path, wanted: frozenset[str] | None = None) -> None:
    try:
        raw: bytes | None = full.read_bytes()
    except OSError:
        raw = None
    text = None
    key = b""
    if raw is not None and len(raw) <= MAX_FILE_BYTES:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and wanted is None:
            key = resultcache.digest("journal", rel, resultcache.content_digest(raw))
    del raw  # a large file's bytes need not outlive its text
    rows = None
    if text is not None:
        if wanted is None:
            rows = _cached_journal(ws.root, rel, key, text)
        else:
            rows = journal_records(rel, text, wanted)
    if rows is not None:
        del text  # nor its text its rows
        add_records(ws, rel, rows)
        return
    doc = read_document(full, rel)
    ws.diagnostics.extend(doc.diagnostics)
    data = doc.data
    if data is None:  # an empty journal file is fine; a broken one is reported above
        return
    ws.journal_data[rel] = data
    if not isinstance(data, MarkedList):
        line, column = getattr(data, "pos", (1, 1))
        ws.diagnostics.append(
            Diagnostic(
                "wrong-type",
                rel,
                line,
                column,
                "a check-in file is a list of records, one '- {at: ..., id: ..., value: ...}' "
                "per line",
            )
        )
        return
    try:
        records = _RECORDS.validate_python(data)
        good = list(enumerate(records))
    except ValidationError:
        good = []
        for index, item in enumerate(data):
            try:
                good.append((index, _RECORD.validate_python(item)))
            except ValidationError as e:
                ws.diagnostics.extend(
                    diagnostics_from_errors(
                        e.errors(include_url=False), data, rel, list[CheckinRecord], base=(index,)
                    )
                )
    add_records(
        ws,
        rel,
        [_row(data.items_at[i][0], i, r) for i, r in good if wanted is None or r.id in wanted],
    )


def journal_records(rel: str, text: str, wanted: frozenset[str] | None = None) -> list[Row] | None:
    """A row for every record of a journal file read in parts: okr's own lines by the
    fast path, any other record by the YAML path on its own.  None when the file must be
    read whole by the YAML path: it is not a list of records line by line, or a record
    has a problem (the whole file's reading then reports it in place)."""
    split = split_journal(text, wanted)
    if split is None:
        return None
    found, segments = split
    if not segments:
        return found
    for first, index, segment in segments:
        doc = parse(segment, rel)
        data = doc.data
        if doc.diagnostics or not isinstance(data, MarkedList) or len(data) != 1:
            return None
        try:
            r = _RECORD.validate_python(data[0])
        except ValidationError:
            return None
        if wanted is None or r.id in wanted:
            line = first + data.items_at[0][0] - 1
            found.append(_row(line, index, r))
    found.sort(key=lambda f: f[1])
    return found


def _row(line: int, index: int, r: CheckinRecord) -> Row:
    return (line, index, *instant(r.at), r.id, r.period, r.value, r.confidence, r.by, r.note)


def _cached_journal(root: Path, rel: str, key: bytes, text: str) -> list[Row] | None:
    """``journal_records(text)``, kept in the result cache under ``key`` (the digest of
    the file's bytes): one entry per journal file, replaced when the file changes."""
    name = resultcache.slot("journal", str(root), rel)
    hit = resultcache.get(name, key)
    if isinstance(hit, list):
        return hit
    rows = journal_records(rel, text)
    if rows is not None and resultcache.enabled():
        resultcache.put(name, key, rows)
    return rows


def add_records(ws: Workspace, rel: str, rows: list[Row]) -> None:
    """Append lean ``Checkin``s, sharing every repeated string and confidence.  ``rows``
    is emptied on the way (each row is let go once its record is made)."""
    append = ws.checkins.append
    share = ws.shared.setdefault
    path = share(rel, rel)
    taken: list[Any] = rows
    for n in range(len(taken)):
        line, index, ts, offset, id_, period, value, confidence, by, note = taken[n]
        taken[n] = None
        if confidence:  # by type and value: 1 stays an int, 0.7 one float (0 as written)
            confidence = share((type(confidence), confidence), confidence)
        append(
            Checkin(
                ts,
                offset,
                share(id_, id_),
                None if period is None else share(period, period),
                value,
                confidence,
                None if by is None else share(by, by),
                None if note is None else share(note, note),
                path,
                (line << 32) | index,
            )
        )
    taken.clear()


def ids_for(ws: Workspace, id_: str) -> frozenset[str]:
    """``id_`` and the KPIs that KRs of that id take their values from."""
    linked = {
        kr.kpi
        for pf in ws.plans
        for o in pf.plan.objectives
        for kr in o.key_results
        if kr.id == id_ and kr.kpi is not None
    }
    return frozenset({id_, *linked})


def read_workspace(root: Path, *, only: str | None = None) -> Workspace:
    """Every file of the workspace at ``root``, read and validated file by file."""
    ws = Workspace(root=root)
    read_settings(ws)
    journal = []
    for rel, full in goal_files(root):
        folder = rel.split("/", 1)[0]
        if folder == "okrs":
            read_plan(ws, rel, full)
        elif folder == "kpis":
            read_kpis(ws, rel, full)
        else:
            journal.append((rel, full))
    wanted = None if only is None else ids_for(ws, only)
    for rel, full in journal:
        read_journal(ws, rel, full, wanted)
    ws.shared.clear()  # the records keep what they share
    return ws
