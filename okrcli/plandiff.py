"""What changed in the plans and KPI definitions between two versions of a workspace.

Pure: two ``okrcli.definitions.Snapshot`` s in, changes out; no files, git or terminal.
``okrcli.revisions`` reads the versions, the renderers print the result.

Plans are matched by period and team, never by path, so a renamed file is the same plan;
objectives and key results are matched by id within their period (ids are unique per
period), so one that moved to another team or objective shows up as moved, not as removed
and added.  A file that does not parse is reported with its diagnostics, and what it
would have held is not reported as removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from okrcli.definitions import KRDef, ObjectiveDef, Snapshot
from okrcli.machine import text as fmt_value
from okrcli.periods import Period, parse_period

KR_FIELDS = (
    "objective", "title", "type", "start", "target", "min", "max", "due", "weight", "owner",
    "kpi", "unit", "ambition",
)  # fmt: skip
OBJECTIVE_FIELDS = ("team", "title", "owner", "aligns_to", "ambition")
KPI_FIELDS = (
    "title", "owner", "unit", "direction", "cadence", "target", "red", "min", "max", "tolerance",
)  # fmt: skip
# what a KR is measured against: changed after its period began, the goal posts moved
GOALPOST_FIELDS = ("start", "target", "min", "max", "due")


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
    orphaned: int = 0  # a removed KR: the check-ins that name it and now belong to nothing

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
            "orphaned": self.orphaned,
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
            p = parse_period(period, self.b.fiscal_start, self.b.named_by_end)
            assert p is not None
            return (0, p.first_day, p.quarter is not None, team or "")

        return [(p, t, order[(p, t)]) for p, t in sorted(order, key=key)]


def _started(period: str, snap: Snapshot) -> Period | None:
    """The period, if ``snap.day`` is after its first day (so a change then moves goal
    posts)."""
    p = parse_period(period, snap.fiscal_start, snap.named_by_end)
    day = snap.day
    return p if p is not None and day > p.first_day else None


#: a journal record as the diff counts it: (id, the period it names or None, its day)
Record = tuple[str, str | None, date]


def compare(a: Snapshot, b: Snapshot, checkins: Sequence[Record] = ()) -> Diff:
    """Every change from ``a`` to ``b``.

    A change of a KR's start or target dated after its period's first day (by ``b.day``)
    is flagged as moving the goal posts.  An objective or KR whose ``was:`` names one that
    is gone is reported as renamed, not as removed and added.  ``checkins`` are the journal's
    records: a KR removed without a ``was:`` says how many of them it leaves orphaned.
    """
    changes: list[Change] = []
    notes = [*(f"{a.label}: {n}" for n in a.notes), *(f"{b.label}: {n}" for n in b.notes)]
    periods = sorted({p for p, _ in a.plans} | {p for p, _ in b.plans})
    for period in periods:
        changes.extend(_compare_period(a, b, period, notes, checkins))
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


def _renames(
    old: Mapping[str, Any], new: Mapping[str, Any], was: Callable[[Any], tuple[str, ...]]
) -> dict[str, str]:
    """new id -> old id, for items of ``new`` whose ``was:`` names an item only in ``old``."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for nid, item in new.items():
        if nid in old:
            continue
        for previous in was(item):
            if previous in old and previous not in new and previous not in taken:
                found[nid] = previous
                taken.add(previous)
                break
    return found


def _orphans(records: Sequence[Record], kid: str, period: str, snap: Snapshot) -> int:
    """How many records are for KR ``kid`` of ``period``: naming it, or dated inside it."""
    p = parse_period(period, snap.fiscal_start, snap.named_by_end)
    return sum(
        1
        for id_, named, day in records
        if id_ == kid
        and (named == period if named is not None else p is not None and p.contains(day))
    )


def _compare_period(
    a: Snapshot, b: Snapshot, period: str, notes: list[str], checkins: Sequence[Record]
) -> list[Change]:
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
    obj_renamed = _renames(obj_a, obj_b, lambda o: o.was)
    kr_renamed = _renames(kr_a, kr_b, lambda pair: pair[1].was)
    for oid, ob in obj_b.items():
        oa = obj_a.get(oid)
        if oa is None and oid in obj_renamed:
            old_id = obj_renamed[oid]
            oa = obj_a[old_id]
            out.append(
                Change("objective", oid, "renamed", period, ob.team, "id", old_id, oid,
                       detail=f"{old_id} → {oid}")
            )  # fmt: skip
        if oa is None:
            if not hidden(a, ob.team):
                out.append(Change("objective", oid, "added", period, ob.team, detail=ob.title))
            continue
        for name in OBJECTIVE_FIELDS:
            old, new = getattr(oa, name), getattr(ob, name)
            if old != new:
                action = "moved" if name == "team" else "changed"
                out.append(Change("objective", oid, action, period, ob.team, name, old, new))
    renamed_from = set(obj_renamed.values())
    for oid, oa in obj_a.items():
        if oid not in obj_b and oid not in renamed_from and not hidden(b, oa.team):
            out.append(Change("objective", oid, "removed", period, oa.team, detail=oa.title))

    started = _started(period, b)
    for kid, (team_b, kb) in kr_b.items():
        found = kr_a.get(kid)
        if found is None and kid in kr_renamed:
            old_id = kr_renamed[kid]
            found = kr_a[old_id]
            out.append(
                Change("key_result", kid, "renamed", period, team_b, "id", old_id, kid,
                       detail=f"{old_id} → {kid}")
            )  # fmt: skip
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
        new_name = {old: new for new, old in obj_renamed.items()}
        for name in KR_FIELDS:
            old, new = getattr(ka, name), getattr(kb, name)
            if old == new or (name == "objective" and new_name.get(old) == new):
                continue  # (an objective renamed with was: is the same objective)
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
    kr_renamed_from = set(kr_renamed.values())
    for kid, (team_a, ka) in kr_a.items():
        if kid not in kr_b and kid not in kr_renamed_from and not hidden(b, team_a):
            detail = f"{ka.title}: {ka.summary()} (objective {ka.objective})"
            orphaned = _orphans(checkins, kid, period, b)
            if orphaned:
                they = (
                    "1 check-in names it and now belongs"
                    if orphaned == 1
                    else (f"{orphaned} check-ins name it and now belong")
                )
                detail += (
                    f"; {they} to no KR: if it was renamed, add 'was: {kid}' to the KR it is now"
                )
            out.append(
                Change(
                    "key_result",
                    kid,
                    "removed",
                    period,
                    team_a,
                    detail=detail,
                    orphaned=orphaned,
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
