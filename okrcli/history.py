"""The history of one KR or KPI: every value over time, its forecast and, in git, every
commit that changed its definition.  Returns data; ``okr history`` prints it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

from okrcli.definitions import KPIDef, KRDef, ParsedFile, parse_file
from okrcli.errors import GitError, InputError, UsageError
from okrcli.evaluate import Evaluator, KPIResult, KRResult, Point
from okrcli.periods import Period, best_period, parse_period
from okrcli.suggest import suggest
from okrcli.timeutil import day_of as utc_day
from okrcli.workspace import KeyResultRef, KpiRef, Workspace

# the fields whose changes ``okr history`` lists
KR_AUDIT_FIELDS = ("type", "start", "target", "weight")
KPI_AUDIT_FIELDS = ("direction", "cadence", "target", "red")
GOALPOST_FIELDS = ("start", "target")


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
    period = None
    if period_text is not None:
        period = parse_period(period_text, ws.fiscal_start)
        if period is None:
            raise UsageError(f"--period takes a period like 2026-Q4 or 2026, not {period_text!r}")
    ev = Evaluator(ws, as_of)
    kr_periods = ws.key_result_periods(id_)
    kpi = ws.kpis.get(id_)
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
    raise InputError(f"no key result or KPI has the id '{id_}'{suggest(id_, known)}")


def _kr_history(ev: Evaluator, ref: KeyResultRef | None, as_of: date) -> History:
    assert ref is not None
    result = ev.key_result(ref)
    return History(ref.id, "key_result", as_of, ref.period, result.points, kr=result)


def _kpi_history(ev: Evaluator, ref: KpiRef, period: Period | None, as_of: date) -> History:
    result = ev.kpi(ref, period)
    points = result.points
    if period is not None:
        points = [p for p in points if period.contains(utc_day(p.at))]
    return History(ref.id, "kpi", as_of, period, points, kpi=result)


def definition_audit(ws: Workspace, history: History) -> Audit:
    """The commits that changed the definition, when the workspace is in git.

    Outside a repository gitpython is not even loaded.  The audit is kept in the result
    cache under what decides it (HEAD's commit, the working tree's files of the folder,
    the id and the day), so asking again about an unchanged repository reads no history.
    """
    from okrcli import gitrepo

    purpose = "the definition history"
    if gitrepo.git_dir(ws.root) is None:
        return Audit(False, note=str(gitrepo.not_a_repository(ws.root, purpose)))
    if history.kind == "kpi":
        folder, period = "kpis", None
    else:
        assert history.period is not None
        folder, period = f"okrs/{history.period}", history.period
    worktree = _worktree_bytes(ws.root, folder)
    kept = _kept_audit(ws.root, history, folder, worktree)
    if kept is not None:
        found = kept.get()
        if found is not None:
            return found
    try:
        repo = gitrepo.open_repo(ws.root, purpose=purpose)
        prefix = gitrepo.workspace_prefix(repo, ws.root)
    except GitError as e:
        return Audit(False, note=str(e))
    versions: list[tuple[str, datetime | None, str | None, dict[str, Any]]] = [
        (info.short, info.when, info.author, files)
        for info, files in gitrepo.walk_files(repo, prefix, folder, parse_file)
    ]
    note = None
    if not gitrepo.has_commits(repo):
        note = "the repository has no commits yet"
    shallow = gitrepo.is_shallow(repo)
    if shallow:
        note = "this is a shallow clone: changes before its oldest commit are not shown"
    now = datetime.combine(history.as_of, time(0), tzinfo=timezone.utc)
    current = {rel: parse_file(rel, data) for rel, data in worktree.items()}
    versions.append(("working tree", now, None, current))
    kind = "kpi" if history.kind == "kpi" else "key_result"
    entries = audit(versions, kind, history.id, period)
    result = Audit(True, entries, note, shallow)
    if kept is not None:
        kept.put(result)
    return result


def _worktree_bytes(root: Path, folder: str) -> dict[str, bytes]:
    from okrcli.layout import goal_files

    files = {}
    for rel, full in goal_files(root):
        if rel.startswith(folder + "/"):
            try:
                files[rel] = full.read_bytes()
            except OSError:
                continue
    return files


class _KeptAudit:
    """An audit in the result cache: one entry per workspace, for the last id asked."""

    def __init__(self, name: str, key: bytes) -> None:
        self.name, self.key = name, key

    def get(self) -> Audit | None:
        from okrcli import resultcache

        found = resultcache.get(self.name, self.key)
        try:
            available, rows, note, shallow = found  # type: ignore[misc]
            entries = [
                AuditEntry(sha, None if when is None else datetime.fromisoformat(when), *rest)
                for sha, when, *rest in rows
            ]
            return Audit(bool(available), entries, note, bool(shallow))
        except (TypeError, ValueError):
            return None

    def put(self, result: Audit) -> None:
        from okrcli import resultcache

        rows = [
            (e.sha, None if e.when is None else e.when.isoformat(), e.who, e.action, e.field,
             e.old, e.new, e.goalposts)
            for e in result.entries
        ]  # fmt: skip
        resultcache.put(self.name, self.key, (result.available, rows, result.note, result.shallow))


def _kept_audit(
    root: Path, history: History, folder: str, worktree: dict[str, bytes]
) -> _KeptAudit | None:
    from okrcli import gitrepo, resultcache

    if not resultcache.enabled():
        return None
    head = gitrepo.head_state(root)
    if head is None:
        return None
    files = [
        f"{rel}\0".encode() + resultcache.content_digest(data)
        for rel, data in sorted(worktree.items())
    ]
    key = resultcache.digest(
        "audit", head, str(root), history.kind, history.id, str(history.period),
        history.as_of.isoformat(), *files,
    )  # fmt: skip
    return _KeptAudit(resultcache.slot("audit", str(root)), key)


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
    files: dict[str, ParsedFile], kind: str, id_: str, period: str | None
) -> Definition | object | None:
    """The KR (of ``period``) or KPI named ``id_`` among ``files``; None when absent;
    ``_UNKNOWN`` when absent but a file that could hold it does not parse."""
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
    id_: str,
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
