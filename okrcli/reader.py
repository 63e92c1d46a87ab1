"""Reading: every goal file of a workspace into models that remember their places.

Reading never stops at the first problem: every file is read, every problem becomes a
diagnostic, and what was valid is kept (the valid objectives of a broken plan too), so
that linking (``okrcli.link``) and the rules (``okrcli.rules``) check whatever they can.
Plan and KPI files, and journal files in okr's own layout, are kept in the parse cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from okrcli import cache, undo
from okrcli.diagnostics import Diagnostic
from okrcli.files import read_bytes
from okrcli.journal import Fields, split_journal
from okrcli.layout import MARKER, goal_files
from okrcli.models import (
    KPI,
    CheckinRecord,
    KeyResult,
    KPIFile,
    Objective,
    Plan,
    Settings,
    kr_type,
    old_ids,
    rebuild,
)
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import parse_period
from okrcli.sourcemap import diagnostics_from_errors
from okrcli.workspace import Checkin, KpiRef, PlanFile, Source, Workspace
from okrcli.yamlsource import (
    Document,
    MarkedList,
    locate,
    parse,
    parse_bytes,
    read_document,
    read_text,
)


@functools.cache
def _record() -> TypeAdapter[CheckinRecord]:
    """The check-in record's validator, built when a record first takes the YAML path (a
    journal read by the fast path or from the cache needs none)."""
    return TypeAdapter(CheckinRecord)


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
            kept = _pruned(item, model) if model is Objective else None
            if kept is None:
                lost.update(_ids_in(item))
                continue
            # the objective without its broken key results and fields: its own
            # references are still checked; the broken parts count as unreadable
            good.append((index, kept))
            lost.update(_ids_in(item) - _ids_in(kept.model_dump()))
    return good, lost


def _without_bad_keys(item: dict[str, Any], model: Any) -> tuple[Any, set[Any]]:
    """``item`` validated as ``model`` without the top-level keys its errors are in (then
    their defaults), and those keys; (None, keys) when even that does not validate."""
    try:
        return model.model_validate(item), set()
    except ValidationError as e:
        bad = {next(iter(err["loc"])) for err in e.errors(include_url=False) if err["loc"]}
    try:
        return model.model_validate({k: v for k, v in item.items() if k not in bad}), bad
    except ValidationError:
        return None, bad


def _pruned(item: Any, model: Any) -> Any:
    """``item`` (a mapping that failed validation as ``model``) without the parts the
    errors are in: broken entries of its ``key_results`` list and broken optional keys of
    its own; None when it does not validate even so (a required key is missing or bad)."""
    if not isinstance(item, dict):
        return None
    try:
        model.model_validate(item)
    except ValidationError as e:
        errors = e.errors(include_url=False)
    else:  # pragma: no cover - only called for an item that failed
        return None
    bad_keys: set[Any] = set()
    bad_krs: set[int] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if len(loc) >= 2 and loc[0] == "key_results" and isinstance(loc[1], int):
            bad_krs.add(loc[1])
        elif loc:
            bad_keys.add(loc[0])
    if bad_keys & {"id", "title"}:
        return None
    data = {k: v for k, v in item.items() if k not in bad_keys}
    if bad_krs and isinstance(data.get("key_results"), list):
        data["key_results"] = [kr for i, kr in enumerate(data["key_results"]) if i not in bad_krs]
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


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
    doc = read_document(ws.root, MARKER)
    settings = validate(doc, Settings)
    ws.diagnostics.extend(doc.diagnostics)
    ws.settings_data = doc.data
    if settings is not None:
        ws.settings = settings
        ws.settings_ok = True
    elif isinstance(doc.data, dict):
        # the settings without their broken keys (reported above): a typo in 'lint' must
        # not lose the teams, the calendar or the time zone for every report
        kept, bad = _without_bad_keys(doc.data, Settings)
        if kept is not None:
            ws.settings = kept
            ws.settings_ok = "teams" not in bad


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
    krs = [rebuild(KeyResult, k) for k in d["key_results"]]
    return rebuild(Objective, {**d, "key_results": krs})


def _cached(
    kind: str,
    root: Path,
    rel: str,
    read: Callable[[Document], FileRead],
    build: Callable[[dict[str, Any]], Any],
) -> FileRead:
    raw, problem = read_bytes(root, rel)
    if raw is None:  # not read (a link leading outside, a FIFO, too large…): not cached
        return read(Document(rel, diagnostics=[problem] if problem else []))
    entry, content = cache.slot(kind, root, rel), cache.content_id(raw)
    hit = cache.recall(entry, content)
    if hit is not None:
        try:
            return FileRead.from_cache(hit, build)
        except (TypeError, ValueError, KeyError):
            pass  # an entry of another shape: read the file again
    result = read(parse_bytes(raw, rel))
    cache.keep(entry, content, result.to_cache())
    return result


def _read_plan(doc: Document) -> FileRead:
    plan = validate(doc, Plan)
    data = doc.data
    if plan is not None:
        return FileRead(
            list(enumerate(plan.objectives)),
            True,
            doc.diagnostics,
            set(),
            True,
            plan.team,
            plan.period,
            data,
        )
    if not isinstance(data, dict) or not isinstance(data.get("team"), str):
        return FileRead([], False, doc.diagnostics, _ids_in(data), data is not None, data=data)
    # keep the valid objectives, so that their references are still checked
    good, lost = _salvage(data, "objectives", Objective)
    period = data.get("period")
    return FileRead(
        good, False, doc.diagnostics, lost, True, data["team"],
        str(period) if parse_period(period) else None, data,
    )  # fmt: skip


def _read_kpis(doc: Document) -> FileRead:
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


def read_plan(ws: Workspace, rel: str) -> None:
    read = _cached("plan", ws.root, rel, _read_plan, _objective)
    _take(ws, read)
    if read.team is None:
        return
    plan = Plan.model_construct(
        team=read.team, period=read.period, objectives=[o for _, o in read.items]
    )
    parts = rel.split("/")
    period = ws.period(parts[1]) if len(parts) > 2 else None
    if period is None:
        ws.diagnostics.append(
            Diagnostic(
                "invalid-period",
                rel,
                1,
                1,
                f"plan files live in okrs/<period>/ where <period> is {PERIOD_FORM}; "
                "move this file",
            )
        )
    indices = None if read.whole else [i for i, _ in read.items]
    # positions are read again when a diagnostic needs one (as after a cache hit)
    ws.plans.append(PlanFile(rel, period, plan, Source(ws.root, rel), indices))


def read_kpis(ws: Workspace, rel: str) -> None:
    read = _cached("kpi", ws.root, rel, _read_kpis, lambda d: rebuild(KPI, d))
    _take(ws, read)
    source = Source(ws.root, rel, read.data)
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

_ZERO = timedelta(0)


def read_journal(ws: Workspace, rel: str, wanted: frozenset[str] | None = None) -> None:
    raw, problem = read_bytes(ws.root, rel)
    if raw is None:
        ws.diagnostics.extend([problem] if problem else [])
        return
    # listed after the read: an append that began meanwhile is seen, and not half-seen
    raw = undo.visible(rel, raw, undo.pending(ws.root))
    entry = (cache.slot("journal", ws.root, rel), cache.content_id(raw)) if wanted is None else None
    text, problem = read_text(raw, rel)
    del raw  # the text is all that is needed from here on
    if text is None:
        ws.diagnostics.extend([problem] if problem else [])
        return
    if entry is not None and cache.folder() is None and _streamed(ws, rel, text):
        return
    fast = (
        journal_records(rel, text, wanted) if entry is None else _cached_journal(entry, rel, text)
    )
    if fast is not None:
        _add_checkins(ws, rel, fast)
        return
    doc = parse(text, rel)
    del text
    records, diagnostics = yaml_journal(doc, wanted)
    ws.diagnostics.extend(diagnostics)
    if doc.data is not None:
        ws.journal_data[rel] = doc.data
    _add_checkins(ws, rel, records)


def _streamed(ws: Workspace, rel: str, text: str) -> bool:
    """Whether the file, entirely in okr's one-line format, went straight into the
    workspace's check-ins a chunk at a time (with nothing to keep in the cache, no list of
    its records is made); if not, nothing of it is left there."""
    start = len(ws.checkins)
    split = split_journal(text, take=lambda found: _add_checkins(ws, rel, found))
    if split is not None and not split[1]:
        return True
    del ws.checkins[start:]  # another way to read it: the usual path reads it again
    return False


def yaml_journal(
    doc: Document, wanted: frozenset[str] | None = None
) -> tuple[list[tuple[int, int, Fields]], list[Diagnostic]]:
    """The YAML path: (line, index, record) of every valid record of a parsed journal
    file, and a diagnostic for everything else.  It reads any YAML; the fast path
    (``okrcli.journal.fast_journal``) reads okr's own layout and agrees with it on every
    input it accepts."""
    rel, data = doc.path, doc.data
    diagnostics = list(doc.diagnostics)
    if data is None:  # an empty journal file is fine; a broken one is reported above
        return [], diagnostics
    if not isinstance(data, MarkedList):
        line, column = getattr(data, "pos", (1, 1))
        diagnostics.append(
            Diagnostic(
                "wrong-type",
                rel,
                line,
                column,
                "a check-in file is a list of records, one '- {at: ..., id: ..., value: ...}' "
                "per line",
            )
        )
        return [], diagnostics
    # record by record, each reduced to its fields at once: no list of models in memory
    fields: list[tuple[int, int, Fields]] = []
    validate_record = _record().validate_python
    for index, item in enumerate(data):
        try:
            r = validate_record(item)
        except ValidationError as e:
            diagnostics.extend(
                diagnostics_from_errors(
                    e.errors(include_url=False), data, rel, list[CheckinRecord], base=(index,)
                )
            )
            continue
        if wanted is None or r.id in wanted:
            fields.append(
                (data.items_at[index][0], index, (r.at, r.id, r.period, r.value, r.confidence,
                                                  r.by, r.note, r.health))
            )  # fmt: skip
    return fields, diagnostics


def journal_records(
    rel: str, text: str, wanted: frozenset[str] | None = None
) -> list[tuple[int, int, Fields]] | None:
    """(line, index, record) of every record of a journal file read in parts: okr's own
    lines by the fast path, any other record by the YAML path on its own.  None when the
    file must be read whole by the YAML path: it is not a list of records line by line,
    or a record has a problem (the whole file's reading then reports it in place)."""
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
            r = _record().validate_python(data[0])
        except ValidationError:
            return None
        if wanted is None or r.id in wanted:
            line = first + data.items_at[0][0] - 1
            found.append(
                (line, index, (r.at, r.id, r.period, r.value, r.confidence, r.by, r.note, r.health))
            )
    found.sort(key=lambda f: f[1])
    return found


def _cached_journal(
    entry: tuple[str, str], rel: str, text: str
) -> list[tuple[int, int, Fields]] | None:
    """``journal_records(text)``, kept in the parse cache's slot for the file (``entry``:
    the slot and the digest of the bytes; times as ISO text)."""
    hit = cache.recall(*entry)
    if hit is not None:
        try:
            return [(n, i, (datetime.fromisoformat(f[0]), *f[1:])) for n, i, f in hit]
        except (TypeError, ValueError, IndexError):
            pass  # an entry of another shape: read the file again
    fast = journal_records(rel, text)
    if fast is not None and cache.folder() is not None:
        cache.keep(*entry, [(n, i, (f[0].isoformat(), *f[1:])) for n, i, f in fast])
    return fast


def _add_checkins(ws: Workspace, rel: str, records: list[tuple[int, int, Fields]]) -> None:
    """Append lean ``Checkin``s, sharing repeated ids, names, periods, days and confidences
    between records (``ws.shared``, let go once the workspace is read)."""
    append = ws.checkins.append
    share = ws.shared.setdefault
    zone = ws.zone  # a time without an offset, and every day, are the organisation's
    utc = zone is timezone.utc
    path = share(rel, rel)
    for line, index, (at, id_, period, value, confidence, by, note, health) in records:
        if at.tzinfo is None:
            at = at.replace(tzinfo=zone)
        if utc:
            day = at.date() if at.utcoffset() == _ZERO else at.astimezone(zone).date()
        else:
            day = at.astimezone(zone).date()
        if confidence is not None:  # by type and value: 1 stays an int, 0.7 one float
            confidence = share((type(confidence), confidence), confidence)
        append(
            Checkin(
                at,
                share(id_, id_),
                None if period is None else share(period, period),
                value,
                confidence,
                None if by is None else share(by, by),
                None if note is None else share(note, note),
                path,
                line,
                index,
                share(day, day),
                None if health is None else share(health, health),
            )
        )


def ids_for(ws: Workspace, id_: str) -> frozenset[str]:
    """The ids whose check-ins the figures of ``id_`` are made of: ``id_``, the ids a KR
    of that id had before or has now (``was:``), the KPIs that KRs of that id take their
    values from, and for a rollup KR, those of every KR of the objectives aligned to it
    (and to them, and so on)."""
    aligned: dict[str, list[Objective]] = {}
    krs: dict[str, list[KeyResult]] = {}
    for pf in ws.plans:
        for o in pf.plan.objectives:
            if o.aligns_to is not None:
                aligned.setdefault(o.aligns_to, []).append(o)
            for kr in o.key_results:
                for name in (kr.id, *old_ids(kr)):
                    krs.setdefault(name, []).append(kr)
    names = {id_}
    todo, seen, seen_objectives = [id_], set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for kr in krs.get(name, []):
            names.update((kr.id, *old_ids(kr)))
            if kr.kpi is not None:
                names.add(kr.kpi)
            if kr_type(kr) == "rollup":  # made of the objectives aligned to it
                below = list(aligned.get(kr.id, []))
                while below:
                    o = below.pop()
                    if o.id in seen_objectives:
                        continue
                    seen_objectives.add(o.id)
                    todo.extend(k.id for k in o.key_results)
                    below.extend(aligned.get(o.id, []))
    return frozenset(names)


def read_workspace(root: Path, *, only: str | None = None) -> Workspace:
    """Every file of the workspace at ``root``, read and validated file by file."""
    ws = Workspace(root=root)
    read_settings(ws)
    journal = []
    for rel, _full in goal_files(root):
        folder = rel.split("/", 1)[0]
        if folder == "okrs":
            read_plan(ws, rel)
        elif folder == "kpis":
            read_kpis(ws, rel)
        else:
            journal.append(rel)
    wanted = None if only is None else ids_for(ws, only)
    for rel in journal:
        read_journal(ws, rel, wanted)
    ws.shared.clear()  # the records keep what they share
    return ws
