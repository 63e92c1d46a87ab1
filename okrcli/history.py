"""The history of one KR or KPI: every value over time, its forecast and, in git, every
commit that changed its definition.  Returns data; ``okr history`` prints it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from pathlib import Path
from typing import Any

from okrcli.definitions import KPIDef, KRDef, ParsedFile, may_define, parse_file
from okrcli.errors import GitError, InputError, UsageError
from okrcli.evaluate import Evaluator, KPIResult, KRResult, Point, Update
from okrcli.models import old_ids
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import Period, best_period
from okrcli.suggest import suggest
from okrcli.timeutil import UTC, day_of
from okrcli.workspace import KeyResultRef, KpiRef, Workspace

# the fields whose changes ``okr history`` lists
KR_AUDIT_FIELDS = ("type", "start", "target", "min", "max", "due", "weight", "ambition")
KPI_AUDIT_FIELDS = ("direction", "cadence", "target", "red", "min", "max", "tolerance")
GOALPOST_FIELDS = ("start", "target", "min", "max", "due")


@dataclass
class Audit:
    """The definition changes found in git, or why there are none to show."""

    available: bool
    entries: list[AuditEntry] = field(default_factory=list)
    note: str | None = None
    shallow: bool = False


@dataclass
class History:
    id: str
    kind: str  # key_result | kpi
    as_of: date
    period: Period | None
    points: list[Point]
    kr: KRResult | None = None
    kpi: KPIResult | None = None
    audit: Audit = field(default_factory=lambda: Audit(False))
    note: str | None = None  # which period was chosen, when the id recurs
    zone: tzinfo = UTC  # the organisation's time zone, in which times are shown
    updates: list[Update] = field(default_factory=list)  # status updates (no new value)

    @property
    def title(self) -> str:
        if self.kr is not None:
            return self.kr.ref.kr.title
        assert self.kpi is not None
        return self.kpi.ref.kpi.title

    @property
    def unit(self) -> str | None:
        if self.kr is not None:
            return self.kr.ref.kr.unit
        assert self.kpi is not None
        return self.kpi.ref.kpi.unit


def resolve(ws: Workspace, id_: str, period_text: str | None, as_of: date) -> History:
    history = _resolve(ws, id_, period_text, as_of)
    history.zone = ws.zone
    return history


def _resolve(ws: Workspace, id_: str, period_text: str | None, as_of: date) -> History:
    period = None
    if period_text is not None:
        period = ws.period(period_text)
        if period is None:
            raise UsageError(f"--period takes {PERIOD_FORM}, not {period_text!r}")
    ev = Evaluator(ws, as_of)
    kr_periods = ws.key_result_periods(id_)
    kpi = ws.kpis.get(id_)
    if not kr_periods and kpi is None:
        # an old id (was:): the history of the KR it was renamed to
        renamed = sorted(
            ((p, ref) for (p, old), ref in ws.renamed.items() if old == id_),
            key=lambda item: item[0].first_day,
        )
        chosen_ref = next((r for p, r in renamed if period is None or p == period), None)
        if chosen_ref is not None:
            history = _kr_history(ev, chosen_ref, as_of)
            history.note = f"'{id_}' was renamed to '{chosen_ref.id}' in {chosen_ref.period}"
            return history
    if period is not None and period in kr_periods:
        return _kr_history(ev, ws.key_result(id_, period), as_of)
    if period is None and kr_periods:
        chosen, _ = best_period(kr_periods, as_of)
        history = _kr_history(ev, ws.key_result(id_, chosen), as_of)
        if len(kr_periods) > 1:
            others = ", ".join(str(p) for p in sorted(kr_periods) if p != chosen)
            history.note = (
                f"{id_} is a key result of {chosen} and also of {others}; "
                f"showing {chosen} (choose with --period)"
            )
        return history
    if kpi is not None:
        return _kpi_history(ev, kpi, period, as_of)
    if period is not None and kr_periods:
        have = ", ".join(str(p) for p in sorted(kr_periods))
        raise InputError(f"{id_} is no key result of {period}; it is one of {have}")
    known = sorted({k.id for k in ws.key_results} | set(ws.kpis))
    raise InputError(f"no KR or KPI has the id '{id_}'{suggest(id_, known)}")


def _kr_history(ev: Evaluator, ref: KeyResultRef | None, as_of: date) -> History:
    assert ref is not None
    result = ev.key_result(ref)
    return History(
        ref.id, "key_result", as_of, ref.period, result.points, kr=result, updates=result.updates
    )


def _kpi_history(ev: Evaluator, ref: KpiRef, period: Period | None, as_of: date) -> History:
    result = ev.kpi(ref, period)
    points, updates = result.points, result.updates
    if period is not None:
        points = [p for p in points if period.contains(day_of(p.at, ev.zone))]
        updates = [u for u in updates if period.contains(day_of(u.at, ev.zone))]
    return History(ref.id, "kpi", as_of, period, points, kpi=result, updates=updates)


def _worktree_files(
    root: Path, folder: str, parse: Callable[[str, bytes], ParsedFile]
) -> dict[str, Any]:
    from okrcli.files import read_bytes
    from okrcli.layout import goal_files

    files = {}
    for rel, _full in goal_files(root):
        if rel.startswith(folder + "/"):
            data, _ = read_bytes(root, rel)
            if data is not None:  # a file okr does not read has no definitions to audit
                files[rel] = parse(rel, data)
    return files


def _worktree(
    repo: Any,
    prefix: str,
    root: Path,
    folder: str,
    versions: list[tuple[str, datetime | None, str | None, dict[str, Any]]],
    parse: Callable[[str, bytes], ParsedFile],
) -> dict[str, Any]:
    """The working tree's files of ``folder``: those of the newest commit when git sees no
    change under the folder (and no file is hidden from its status) and the folder holds
    the same goal files (an ignored one would be new), else read and parsed."""
    from okrcli import gitrepo
    from okrcli.layout import goal_files

    if versions:
        newest = versions[-1][3]
        here = {rel for rel, _ in goal_files(root) if rel.startswith(folder + "/")}
        if (
            here == set(newest)
            and not gitrepo.uncommitted(repo, prefix, [folder])
            and not gitrepo.hidden_from_status(repo, prefix, [folder])
        ):
            return newest
    return _worktree_files(root, folder, parse)


def _parser(names: tuple[str, ...]) -> Callable[[str, bytes], ParsedFile]:
    """``parse_file`` for the files that can define one of ``names``; every other file
    is one that defines nothing asked about, without being parsed (``may_define``)."""

    def parse(rel: str, data: bytes) -> ParsedFile:
        if may_define(data, names):
            return parse_file(rel, data)
        return ParsedFile.without_definitions(rel)

    return parse


def definition_audit(ws: Workspace, history: History) -> Audit:
    """The commits that changed the definition, when the workspace is in git."""
    from okrcli import gitrepo

    try:
        repo = gitrepo.open_repo(ws.root, purpose="the definition history")
        prefix = gitrepo.workspace_prefix(repo, ws.root)
    except GitError as e:
        return Audit(False, note=str(e))
    if history.kind == "kpi":
        folder, period = "kpis", None
    else:
        assert history.period is not None
        folder, period = f"okrs/{history.period}", history.period
    names = (history.id, *old_ids(history.kr.ref.kr)) if history.kr is not None else (history.id,)
    parse = _parser(names)
    versions: list[tuple[str, datetime | None, str | None, dict[str, Any]]] = [
        (info.short, info.when, info.author, files)
        for info, files in gitrepo.walk_files(repo, prefix, folder, parse)
    ]
    note = None
    if not gitrepo.has_commits(repo):
        note = "the repository has no commits yet"
    shallow = gitrepo.is_shallow(repo)
    if shallow:
        note = "this is a shallow clone: changes before its oldest commit are not shown"
    now = datetime.combine(history.as_of, time(0), tzinfo=timezone.utc)
    worktree = _worktree(repo, prefix, ws.root, folder, versions, parse)
    versions.append(("working tree", now, None, worktree))
    kind = "kpi" if history.kind == "kpi" else "key_result"
    entries = audit(versions, kind, names, period)
    return Audit(True, entries, note, shallow)


# --- the audit trail of one definition -----------------------------------------------------


@dataclass
class AuditEntry:
    """One commit that changed a KR's or KPI's definition."""

    sha: str
    when: datetime | None  # None for the working tree
    who: str | None
    action: str  # added | removed | changed
    field: str | None = None
    old: Any = None
    new: Any = None
    goalposts: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.sha,
            "when": self.when.isoformat() if self.when else None,
            "who": self.who,
            "action": self.action,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "goalposts": self.goalposts,
        }


Definition = KRDef | KPIDef
_UNKNOWN = object()


def find_definition(
    files: dict[str, ParsedFile], kind: str, id_: str | tuple[str, ...], period: str | None
) -> Definition | object | None:
    """The KR (of ``period``) or KPI named ``id_`` among ``files`` (with several names, a KR
    and the ids it had before: the first one found); None when absent; ``_UNKNOWN`` when
    absent but a file that could hold it does not parse."""
    if isinstance(id_, tuple):
        unknown_seen = False
        for name in id_:
            found = find_definition(files, kind, name, period)
            if found is _UNKNOWN:
                unknown_seen = True
            elif found is not None:
                return found
        return _UNKNOWN if unknown_seen else None
    unknown = False
    for path in sorted(files):
        parsed = files[path]
        if kind == "kpi":
            if not path.startswith("kpis/"):
                continue
            if parsed.kpis is None:
                unknown = True
                continue
            for k in parsed.kpis:
                if k.id == id_:
                    return k
        else:
            if parsed.period != period:
                continue
            if parsed.plan is None:
                unknown = True
                continue
            found = parsed.plan.key_results.get(id_)
            if found is not None:
                return found
    return _UNKNOWN if unknown else None


def audit(
    versions: Iterable[tuple[str, datetime | None, str | None, dict[str, ParsedFile]]],
    kind: str,
    id_: str | tuple[str, ...],
    period: Period | None,
) -> list[AuditEntry]:
    """Every version (sha, when, who, files), oldest first, that added, removed or changed
    the definition of KR ``id_`` of ``period`` (``kind`` 'key_result') or KPI ``id_``
    (``kind`` 'kpi').  A change of start or target made after the period's first day is
    flagged as moving the goal posts; versions where the file does not parse are skipped.
    """
    fields = KPI_AUDIT_FIELDS if kind == "kpi" else KR_AUDIT_FIELDS
    period_text = str(period) if period is not None else None
    entries: list[AuditEntry] = []
    last: Definition | None = None
    for sha, when, who, files in versions:
        found = find_definition(files, kind, id_, period_text)
        if found is _UNKNOWN:
            continue
        current = found if isinstance(found, (KRDef, KPIDef)) else None
        if current is None:
            if last is not None:
                entries.append(AuditEntry(sha, when, who, "removed"))
            last = None
            continue
        if last is None:
            entries.append(AuditEntry(sha, when, who, "added"))
            last = current
            continue
        if current.id != last.id:  # renamed (was:): one definition under a new id
            entries.append(AuditEntry(sha, when, who, "renamed", "id", last.id, current.id))
        day = when.date() if when is not None else None
        for name in fields:
            old, new = getattr(last, name), getattr(current, name)
            if old == new:
                continue
            flag = (
                kind != "kpi"
                and name in GOALPOST_FIELDS
                and period is not None
                and day is not None
                and day > period.first_day
            )
            entries.append(AuditEntry(sha, when, who, "changed", name, old, new, flag))
        last = current
    return entries
