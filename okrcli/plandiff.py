"""What changed in the plans and KPI definitions between two versions of a workspace.

Pure: file contents in, parsed definitions and changes out; no files, git or terminal.
``okrcli.gitrepo`` reads the revisions, ``okr diff`` and ``okr history`` use this module to
compare them, and the renderers print the result.

Plans are matched by period and team, never by path, so a renamed file is the same plan;
objectives and key results are matched by id within their period (ids are unique per
period), so one that moved to another team or objective shows up as moved, not as removed
and added.  A file that does not parse is reported with its diagnostics, and what it
would have held is not reported as removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from okrcli.diagnostics import Diagnostic
from okrcli.models import KPIFile, Plan, kr_type
from okrcli.periods import Period, parse_period
from okrcli.sourcemap import diagnostics_from_errors
from okrcli.yamlsource import parse_bytes

KR_FIELDS = ("objective", "title", "type", "start", "target", "weight", "owner", "kpi", "unit")
OBJECTIVE_FIELDS = ("team", "title", "owner", "aligns_to")
KPI_FIELDS = ("title", "owner", "unit", "direction", "cadence", "target", "red")
GOALPOST_FIELDS = ("start", "target")
# the fields whose changes ``okr history`` lists
KR_AUDIT_FIELDS = ("type", "start", "target", "weight")
KPI_AUDIT_FIELDS = ("direction", "cadence", "target", "red")


def fmt_value(value: Any) -> str:
    """A value as people write it: 300 not 300.0, 'none' for absent."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


# --- parsed definitions ------------------------------------------------------------------


@dataclass(frozen=True)
class KRDef:
    id: str
    objective: str
    title: str
    type: str | None  # declared or inferred
    start: float | None
    target: float | None
    weight: float
    owner: str | None
    kpi: str | None
    unit: str | None

    def summary(self) -> str:
        """``decrease 850 → 300 ms`` / ``milestone`` / ``keep_above 99.95 (kpi api-uptime)``."""
        kind = self.type or "?"
        unit = f" {self.unit}" if self.unit else ""
        if kind in ("increase", "decrease"):
            text = f"{kind} {fmt_value(self.start)} → {fmt_value(self.target)}{unit}"
        elif kind in ("keep_above", "keep_below"):
            text = f"{kind} {fmt_value(self.target)}{unit}"
        else:
            text = kind
        if self.kpi:
            text += f" (kpi {self.kpi})"
        return text


@dataclass(frozen=True)
class ObjectiveDef:
    id: str
    team: str
    title: str
    owner: str | None
    aligns_to: str | None
    key_results: tuple[str, ...]


@dataclass
class PlanDef:
    path: str
    period: str
    team: str
    objectives: dict[str, ObjectiveDef]
    key_results: dict[str, KRDef]


@dataclass(frozen=True)
class KPIDef:
    id: str
    path: str
    title: str
    owner: str | None
    unit: str | None
    direction: str
    cadence: str
    target: float | None
    red: float | None


@dataclass
class ParsedFile:
    """One plan or KPI file: its definitions, or the diagnostics that stopped them."""

    path: str
    plan: PlanDef | None = None
    kpis: list[KPIDef] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    period: str | None = None  # a plan's period (from its folder), when it can be told
    team: str | None = None  # a plan's team, when it can be told even from a broken file

    @property
    def broken(self) -> bool:
        return self.plan is None and self.kpis is None


def period_of_path(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "okrs":
        return None
    period = parse_period(parts[1])
    return None if period is None else str(period)


def parse_file(path: str, data: bytes) -> ParsedFile:
    """Parse and validate one file of ``okrs/`` or ``kpis/`` (workspace-relative path)."""
    result = ParsedFile(path, period=period_of_path(path))
    doc = parse_bytes(data, path)
    result.diagnostics.extend(doc.diagnostics)
    if doc.data is None:
        if doc.ok:
            result.diagnostics.append(Diagnostic("wrong-type", path, 1, 1, "the file is empty"))
        return result
    is_plan = path.startswith("okrs/")
    if is_plan and isinstance(doc.data, dict) and isinstance(doc.data.get("team"), str):
        result.team = doc.data["team"]
    model: Any = Plan if is_plan else KPIFile
    try:
        validated = model.model_validate(doc.data)
    except ValidationError as e:
        result.diagnostics.extend(
            diagnostics_from_errors(e.errors(include_url=False), doc.data, path, model)
        )
        return result
    except RecursionError:
        result.diagnostics.append(Diagnostic("yaml-too-deep", path, 1, 1, "nesting too deep"))
        return result
    if doc.diagnostics:
        return result
    if not is_plan:
        result.kpis = [
            KPIDef(k.id, path, k.title, k.owner, k.unit, k.direction, k.cadence, k.target, k.red)
            for k in validated.kpis
        ]
        return result
    if result.period is None:
        result.diagnostics.append(
            Diagnostic(
                "invalid-period",
                path,
                1,
                1,
                "plan files live in okrs/<period>/ where <period> is a quarter like 2026-Q4 "
                "or a year like 2026; move this file",
            )
        )
        return result
    plan: Plan = validated
    objectives: dict[str, ObjectiveDef] = {}
    key_results: dict[str, KRDef] = {}
    for o in plan.objectives:
        objectives.setdefault(
            o.id,
            ObjectiveDef(
                o.id, plan.team, o.title, o.owner, o.aligns_to, tuple(k.id for k in o.key_results)
            ),
        )
        for k in o.key_results:
            key_results.setdefault(
                k.id,
                KRDef(
                    k.id,
                    o.id,
                    k.title,
                    kr_type(k),
                    k.start,
                    k.target,
                    k.weight,
                    k.owner,
                    k.kpi,
                    k.unit,
                ),
            )
    result.plan = PlanDef(path, result.period, plan.team, objectives, key_results)
    return result


def fiscal_start_of(data: bytes | None) -> int:
    """``fiscal_year_start`` from okr.yaml's bytes; 1 when absent or unreadable (the
    settings themselves are checked by ``okr validate``)."""
    if data is None:
        return 1
    doc = parse_bytes(data, "okr.yaml")
    value = doc.data.get("fiscal_year_start") if isinstance(doc.data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    return 1


# --- snapshots of a whole workspace ------------------------------------------------------


@dataclass
class Snapshot:
    """Every plan and KPI of one version of the workspace (a revision or the working tree)."""

    label: str
    day: date  # when its changes count as made: the commit's date, or today
    fiscal_start: int
    plans: dict[tuple[str, str], PlanDef] = field(default_factory=dict)  # (period, team)
    kpis: dict[str, KPIDef] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    broken_plans: set[tuple[str, str | None]] = field(default_factory=set)  # (period, team)
    broken_kpis: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def snapshot(files: dict[str, bytes], label: str, day: date) -> Snapshot:
    """A ``Snapshot`` of the workspace whose files are ``files`` (relative path -> bytes)."""
    snap = Snapshot(label, day, fiscal_start_of(files.get("okr.yaml")))
    for path in sorted(files):
        if path == "okr.yaml":
            continue
        parsed = parse_file(path, files[path])
        add_file(snap, parsed)
    snap.diagnostics.sort(key=Diagnostic.sort_key)
    return snap


def add_file(snap: Snapshot, parsed: ParsedFile) -> None:
    snap.diagnostics.extend(parsed.diagnostics)
    if parsed.path.startswith("kpis/"):
        if parsed.kpis is None:
            snap.broken_kpis = True
            return
        for k in parsed.kpis:
            snap.kpis.setdefault(k.id, k)
        return
    if parsed.plan is None:
        if parsed.period is not None:
            snap.broken_plans.add((parsed.period, parsed.team))
        return
    key = (parsed.plan.period, parsed.plan.team)
    first = snap.plans.get(key)
    if first is not None:
        snap.notes.append(
            f"{parsed.path} is a second plan of team '{key[1]}' for {key[0]} "
            f"(after {first.path}); it is not compared"
        )
        return
    snap.plans[key] = parsed.plan


# --- changes -------------------------------------------------------------------------------


@dataclass
class Change:
    """One change: something added, removed, moved, or one field changed (old → new)."""

    kind: str  # plan | objective | key_result | kpi
    id: str
    action: str  # added | removed | changed | moved
    period: str | None = None  # None for KPIs
    team: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    detail: str = ""
    goalposts: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "action": self.action,
            "period": self.period,
            "team": self.team,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "detail": self.detail,
            "goalposts": self.goalposts,
        }


@dataclass
class Diff:
    a: Snapshot
    b: Snapshot
    changes: list[Change]
    notes: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def goalposts(self) -> list[Change]:
        return [c for c in self.changes if c.goalposts]

    def groups(self) -> list[tuple[str | None, str | None, list[Change]]]:
        """(period, team, changes) in time order of periods, teams by name; KPIs last."""
        order: dict[tuple[str | None, str | None], list[Change]] = {}
        for c in self.changes:
            order.setdefault((c.period, c.team), []).append(c)

        def key(item: tuple[str | None, str | None]) -> tuple[Any, ...]:
            period, team = item
            if period is None:
                return (1, date.max, True, "")
            p = parse_period(period, self.b.fiscal_start)
            assert p is not None
            return (0, p.first_day, p.quarter is not None, team or "")

        return [(p, t, order[(p, t)]) for p, t in sorted(order, key=key)]


def _started(period: str, fiscal_start: int, day: date) -> Period | None:
    """The period, if ``day`` is after its first day (so a change then moves goal posts)."""
    p = parse_period(period, fiscal_start)
    return p if p is not None and day > p.first_day else None


def compare(a: Snapshot, b: Snapshot) -> Diff:
    """Every change from ``a`` to ``b``.

    A change of a KR's start or target dated after its period's first day (by ``b.day``)
    is flagged as moving the goal posts.
    """
    changes: list[Change] = []
    notes = [*(f"{a.label}: {n}" for n in a.notes), *(f"{b.label}: {n}" for n in b.notes)]
    periods = sorted({p for p, _ in a.plans} | {p for p, _ in b.plans})
    for period in periods:
        changes.extend(_compare_period(a, b, period, notes))
    changes.extend(_compare_kpis(a, b, notes))
    return Diff(a, b, changes, notes)


def _unreadable(snap: Snapshot, period: str, team: str) -> bool:
    return (period, team) in snap.broken_plans or (period, None) in snap.broken_plans


def _items(
    snap: Snapshot, period: str
) -> tuple[dict[str, ObjectiveDef], dict[str, tuple[str, KRDef]]]:
    objectives: dict[str, ObjectiveDef] = {}
    krs: dict[str, tuple[str, KRDef]] = {}
    for (p, team), plan in sorted(snap.plans.items()):
        if p != period:
            continue
        for oid, o in plan.objectives.items():
            objectives.setdefault(oid, o)
        for kid, k in plan.key_results.items():
            krs.setdefault(kid, (team, k))
    return objectives, krs


def _compare_period(a: Snapshot, b: Snapshot, period: str, notes: list[str]) -> list[Change]:
    out: list[Change] = []
    teams = sorted({t for p, t in a.plans if p == period} | {t for p, t in b.plans if p == period})
    skipped: set[tuple[str, str]] = set()
    for team in teams:
        pa, pb = a.plans.get((period, team)), b.plans.get((period, team))
        if pa is None and pb is not None:
            if _unreadable(a, period, team):
                skipped.add((a.label, team))
                continue
            out.append(Change("plan", team, "added", period, team, detail=pb.path))
        elif pb is None and pa is not None:
            if _unreadable(b, period, team):
                skipped.add((b.label, team))
                continue
            out.append(Change("plan", team, "removed", period, team, detail=pa.path))
        elif pa is not None and pb is not None and pa.path != pb.path:
            out.append(
                Change(
                    "plan",
                    team,
                    "moved",
                    period,
                    team,
                    field="path",
                    old=pa.path,
                    new=pb.path,
                    detail=f"{pa.path} → {pb.path}",
                )
            )
    for label, team in sorted(skipped):
        notes.append(
            f"{label}: the plan of team '{team}' for {period} has errors and is not compared"
        )

    def hidden(snap: Snapshot, team: str) -> bool:
        # an item missing from a side whose plan of that team could not be read is unknown
        return _unreadable(snap, period, team) and (period, team) not in snap.plans

    obj_a, kr_a = _items(a, period)
    obj_b, kr_b = _items(b, period)
    for oid, ob in obj_b.items():
        oa = obj_a.get(oid)
        if oa is None:
            if not hidden(a, ob.team):
                out.append(Change("objective", oid, "added", period, ob.team, detail=ob.title))
            continue
        for name in OBJECTIVE_FIELDS:
            old, new = getattr(oa, name), getattr(ob, name)
            if old != new:
                action = "moved" if name == "team" else "changed"
                out.append(Change("objective", oid, action, period, ob.team, name, old, new))
    for oid, oa in obj_a.items():
        if oid not in obj_b and not hidden(b, oa.team):
            out.append(Change("objective", oid, "removed", period, oa.team, detail=oa.title))

    started = _started(period, b.fiscal_start, b.day)
    for kid, (team_b, kb) in kr_b.items():
        found = kr_a.get(kid)
        if found is None:
            if not hidden(a, team_b):
                out.append(
                    Change(
                        "key_result",
                        kid,
                        "added",
                        period,
                        team_b,
                        detail=f"{kb.title}: {kb.summary()} (objective {kb.objective})",
                    )
                )
            continue
        ka = found[1]
        for name in KR_FIELDS:
            old, new = getattr(ka, name), getattr(kb, name)
            if old == new:
                continue
            action = "moved" if name == "objective" else "changed"
            flag = name in GOALPOST_FIELDS and started is not None
            detail = (
                f"{period} began {started.first_day.isoformat()}"
                if flag and started is not None
                else ""
            )
            out.append(
                Change("key_result", kid, action, period, team_b, name, old, new, detail, flag)
            )
    for kid, (team_a, ka) in kr_a.items():
        if kid not in kr_b and not hidden(b, team_a):
            out.append(
                Change(
                    "key_result",
                    kid,
                    "removed",
                    period,
                    team_a,
                    detail=f"{ka.title}: {ka.summary()} (objective {ka.objective})",
                )
            )
    return out


def _compare_kpis(a: Snapshot, b: Snapshot, notes: list[str]) -> list[Change]:
    out: list[Change] = []
    for kid, kb in b.kpis.items():
        ka = a.kpis.get(kid)
        if ka is None:
            if a.broken_kpis:
                continue
            detail = f"{kb.title} ({kb.direction}, {kb.cadence}, target {fmt_value(kb.target)})"
            out.append(Change("kpi", kid, "added", detail=detail))
            continue
        for name in KPI_FIELDS:
            old, new = getattr(ka, name), getattr(kb, name)
            if old != new:
                out.append(Change("kpi", kid, "changed", field=name, old=old, new=new))
    for kid, ka in a.kpis.items():
        if kid not in b.kpis and not b.broken_kpis:
            out.append(Change("kpi", kid, "removed", detail=ka.title))
    for snap in (a, b):
        if snap.broken_kpis:
            notes.append(
                f"{snap.label}: a KPI file has errors; KPIs missing from it are not reported "
                "as added or removed"
            )
    return out


# --- the audit trail of one definition (okr history) -----------------------------------


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
