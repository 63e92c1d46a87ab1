"""Views: the scorecard and the alignment tree, built from an evaluated workspace.

``build_scorecard`` and ``build_tree`` turn the ``Evaluator``'s results into the plain
dataclasses of ``okrcli.viewdata`` (re-exported here); the renderers
(``okrcli.render.scorecard``, ``okrcli.render.tree``) only lay them out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, tzinfo

from okrcli import scoring
from okrcli.evaluate import Evaluator, KPIResult, KRResult, ObjectiveResult
from okrcli.periods import Period, best_period, quarter_of
from okrcli.timeutil import day_of
from okrcli.viewdata import (
    AlignmentTree,
    KPIRow,
    KRRow,
    ObjectiveRow,
    Scorecard,
    TeamGroup,
    TreeKR,
    TreeNode,
)
from okrcli.workspace import ObjectiveRef, Workspace

__all__ = [
    "AlignmentTree",
    "KPIRow",
    "KRRow",
    "ObjectiveRow",
    "Only",
    "Scorecard",
    "TeamGroup",
    "TreeKR",
    "TreeNode",
    "build_scorecard",
    "build_tree",
    "default_period",
]


# --- choosing what to show ---------------------------------------------------------------


def default_period(ws: Workspace, as_of: date) -> tuple[Period, str | None]:
    """The quarter containing ``as_of``; if it has no plans, the planned period that best
    stands in for it, with a note saying so (None when no fallback was needed)."""
    quarter = quarter_of(as_of, ws.fiscal_start, ws.named_by_end)
    planned = ws.periods()
    if quarter in planned or not planned:
        return quarter, None
    chosen, why = best_period(planned, as_of)
    note = f"no plans for {quarter}; showing {chosen}, {why} {as_of} (choose with --period)"
    return chosen, note


def team_order(ws: Workspace) -> list[str]:
    """Team ids from the top down (depth first, in the order of okr.yaml)."""
    teams = ws.settings.teams
    children: dict[str | None, list[str]] = {}
    for tid, t in teams.items():
        parent = t.parent if t.parent in teams else None
        children.setdefault(parent, []).append(tid)
    order: list[str] = []
    placed: set[str] = set()
    todo = list(reversed(children.get(None, [])))
    while todo:
        current = todo.pop()
        if current in placed:
            continue
        placed.add(current)
        order.append(current)
        todo.extend(reversed(children.get(current, [])))
    order.extend(t for t in teams if t not in placed)  # (a cycle is an error elsewhere)
    return order


def team_rank(ws: Workspace, team: str) -> int:
    """Where ``team`` stands in ``team_order`` (computed once per workspace)."""
    ranks: dict[str, int] | None = ws.__dict__.get("_team_ranks")
    if ranks is None:
        ranks = {t: i for i, t in enumerate(team_order(ws))}
        ws.__dict__["_team_ranks"] = ranks
    return ranks.get(team, len(ranks))


def team_name(ws: Workspace, team: str) -> str:
    found = ws.settings.teams.get(team)
    return found.name if found is not None and found.name else team


# --- building ------------------------------------------------------------------------------


def kr_row(ws: Workspace, r: KRResult) -> KRRow:
    kr = r.ref.kr
    unit = kr.unit
    if unit is None and kr.kpi is not None and kr.kpi in ws.kpis:
        unit = ws.kpis[kr.kpi].kpi.unit
    return KRRow(
        id=kr.id,
        title=kr.title,
        type=r.type,
        owner=r.ref.owner,
        unit=unit,
        start=r.start,
        target=r.target,
        current=r.current,
        progress=r.progress,
        attainment=r.attainment,
        expected=r.expected,
        status=r.status,
        confidence=r.confidence,
        updated=r.updated,
        kpi=kr.kpi,
        weight=kr.weight,
        updated_day=None if r.updated is None else day_of(r.updated, ws.zone),
        dropped=r.ref.dropped,
        note=r.note,
        owners=r.ref.owners,
        ambition=r.ref.ambition,
        due=r.ref.due,
        min=kr.min,
        max=kr.max,
        aligned=[o.id for o in sorted(r.ref.aligned, key=lambda o: team_rank(ws, o.team))],
    )


def objective_row(ws: Workspace, r: ObjectiveResult) -> ObjectiveRow:
    o = r.ref.objective
    return ObjectiveRow(
        id=o.id,
        title=o.title,
        team=r.ref.team,
        owner=r.ref.owner,
        aligns_to=o.aligns_to,
        progress=r.progress,
        expected=r.expected,
        status=r.status,
        key_results=[kr_row(ws, k) for k in r.key_results],
        rolled_up_from=[] if r.key_results else [c.id for c in r.children if not c.ref.dropped],
        dropped=r.ref.dropped,
        owners=r.ref.owners,
        ambition=r.ref.ambition,
    )


def kpi_row(r: KPIResult, zone: tzinfo) -> KPIRow:
    k = r.ref.kpi
    return KPIRow(
        id=k.id,
        title=k.title,
        owner=k.owner,
        unit=k.unit,
        direction=k.direction,
        cadence=k.cadence,
        value=r.value,
        target=k.target,
        red=k.red,
        status=r.status,
        stale=r.stale,
        updated=r.updated,
        trend=r.trend,
        addressed=r.addressed,
        declining=r.declining,
        needs_attention=r.needs_attention,
        status_source=r.status_source,
        status_note=r.status_note,
        min=k.min,
        max=k.max,
        tolerance=k.tolerance,
        updated_day=None if r.updated is None else day_of(r.updated, zone),
    )


# --- filters (--owner, --status) -----------------------------------------------------------

STATUSES = scoring.STATUSES


def owners_of(ws: Workspace) -> set[str]:
    """Everyone who owns an objective or KR (any of its owners), and every team lead (who
    answers for the team's KPIs)."""
    found: set[str] = set()
    for o in ws.objectives:
        found.update(o.owners)
    for k in ws.key_results:
        found.update(k.owners)
    found |= {t.lead for t in ws.settings.teams.values() if t.lead}
    return found


@dataclass(frozen=True)
class Only:
    """What a meeting asks to see: one owner's goals, goals of some statuses.  An
    objective is kept with the KRs that match, or when it matches itself."""

    owner: str | None = None
    statuses: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return self.owner is not None or self.statuses is not None

    def matches(self, owners: list[str], status: str | None) -> bool:
        if self.owner is not None and self.owner not in owners:
            return False
        return self.statuses is None or status in self.statuses

    def describe(self) -> str:
        parts = []
        if self.owner is not None:
            parts.append(f"owner {self.owner}")
        if self.statuses is not None:
            parts.append("status " + ", ".join(sorted(self.statuses)))
        return " · ".join(parts)


def _kpi_lead(ws: Workspace, team: str | None) -> str | None:
    found = ws.settings.teams.get(team) if team is not None else None
    return found.lead if found is not None else None


def _filtered(rows: list[ObjectiveRow], only: Only) -> list[ObjectiveRow]:
    kept = []
    for o in rows:
        krs = [k for k in o.key_results if only.matches(k.owners, k.status)]
        if krs or only.matches(o.owners, o.status):
            kept.append(dataclasses.replace(o, key_results=krs))
    return kept


def build_scorecard(
    ws: Workspace,
    period: Period,
    as_of: date,
    team: str | None = None,
    only: Only | None = None,
    *,
    evaluator: Evaluator | None = None,
) -> Scorecard:
    """Every objective of ``period`` (of ``team`` and the teams under it, if given), then
    the KPIs (owned by those teams, if given); with ``only``, what matches it.
    ``evaluator``: one of ``ws`` as of ``as_of`` to share (its results are cached), else
    a new one."""
    ev = evaluator or Evaluator(ws, as_of)
    teams = ws.teams_under(team) if team is not None else None
    by_team: dict[str, list[ObjectiveRef]] = {}
    for ref in ws.objectives_in(period):
        if teams is None or ref.team in teams:
            by_team.setdefault(ref.team, []).append(ref)
    order = team_order(ws)
    rank = {t: i for i, t in enumerate(order)}
    groups = [
        TeamGroup(
            id=t,
            name=team_name(ws, t),
            objectives=[objective_row(ws, ev.objective(ref)) for ref in refs],
        )
        for t, refs in sorted(by_team.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    ]
    kpis = [
        kpi_row(ev.kpi(ref, period), ws.zone)
        for ref in ws.kpis.values()
        if teams is None or ref.kpi.owner in teams
    ]
    if only:
        for g in groups:
            g.objectives = _filtered(g.objectives, only)
        groups = [g for g in groups if g.objectives]
        kpis = [
            k
            for k in kpis
            if (only.owner is None or only.owner in (k.owner, _kpi_lead(ws, k.owner)))
            and (only.statuses is None or k.status in only.statuses)
        ]
    days = min(max((as_of - period.first_day).days + 1, 0), period.total_days)
    return Scorecard(
        org=ws.settings.org,
        period=period,
        as_of=as_of,
        elapsed=scoring.elapsed(period, as_of),
        days_run=days,
        team=team,
        teams=groups,
        kpis=kpis,
        only=only.describe() if only else None,
    )


# --- the alignment tree ----------------------------------------------------------------------


def tree_periods(ws: Workspace, period: Period) -> set[Period]:
    """What a tree of ``period`` shows: a quarter with its year, or a year with its quarters."""
    if period.is_year:
        return {period} | {p for p in ws.periods() if p.year_period == period}
    return {period, period.year_period}


def prune(nodes: list[TreeNode], only: Only) -> list[TreeNode]:
    """The nodes that match ``only`` or lead to one that does (their context), without
    the branches that do not; iterative, so a deep chain cannot exhaust the stack."""
    keep: dict[int, bool] = {}
    order: list[TreeNode] = []
    todo = list(nodes)
    while todo:  # parents before children; walked backwards, children come first
        node = todo.pop()
        order.append(node)
        todo.extend(node.children)
        for kr in node.key_results:  # objectives hung under a key result
            todo.extend(kr.children)
    for node in reversed(order):
        node.children = [c for c in node.children if keep[id(c)]]
        for kr in node.key_results:
            kr.children = [c for c in kr.children if keep[id(c)]]
        node.key_results = [kr for kr in node.key_results if kr.children]
        keep[id(node)] = (
            bool(node.children) or bool(node.key_results) or only.matches(node.owners, node.status)
        )
    return [n for n in nodes if keep[id(n)]]


def build_tree(
    ws: Workspace,
    period: Period,
    as_of: date,
    only: Only | None = None,
    *,
    evaluator: Evaluator | None = None,
) -> AlignmentTree:
    ev = evaluator or Evaluator(ws, as_of)
    periods = tree_periods(ws, period)
    shown = [o for o in ws.objectives if o.period in periods]
    shown_ids = {id(o) for o in shown}
    rank = {t: i for i, t in enumerate(team_order(ws))}

    def key(ref: ObjectiveRef) -> tuple[int, date, bool]:
        return (rank.get(ref.team, len(rank)), ref.period.first_day, not ref.period.is_year)

    def in_time(ref: ObjectiveRef) -> tuple[date, bool, int]:
        return (ref.period.first_day, not ref.period.is_year, rank.get(ref.team, len(rank)))

    made: dict[int, TreeNode] = {}

    def node(ref: ObjectiveRef) -> TreeNode:
        """``ref``'s node with the nodes below it, those first (an explicit stack: an
        alignment chain may be thousands of objectives deep)."""
        stack: list[tuple[ObjectiveRef, bool]] = [(ref, False)]
        while stack:
            current, ready = stack.pop()
            if id(current) in made:
                continue
            if not ready:
                stack.append((current, True))
                below = [c for c in current.children if id(c) in shown_ids]
                for k in current.key_results:
                    below += [c for c in k.aligned if id(c) in shown_ids]
                stack.extend((c, False) for c in reversed(below) if id(c) not in made)
                continue
            r = ev.objective(current)
            kids = sorted((c for c in current.children if id(c) in shown_ids), key=in_time)
            krs = []
            for k in current.key_results:
                under = sorted((c for c in k.aligned if id(c) in shown_ids), key=in_time)
                if under or k.type == "rollup":
                    kr = ev.key_result(k)
                    krs.append(
                        TreeKR(k.id, k.kr.title, kr.type, kr.progress, kr.expected, kr.status,
                               [made[id(c)] for c in under if id(c) in made])
                    )  # fmt: skip
            made[id(current)] = TreeNode(
                id=current.id,
                title=current.objective.title,
                team=current.team,
                owner=current.owner,
                period=str(current.period),
                progress=r.progress,
                expected=r.expected,
                status=r.status,
                rolled_up=not current.key_results,
                children=[made[id(c)] for c in kids if id(c) in made],
                dropped=current.dropped,
                owners=current.owners,
                ambition=current.ambition,
                key_results=krs,
            )
        return made[id(ref)]

    teams = ws.settings.teams
    roots: list[TreeNode] = []
    unaligned: list[TreeNode] = []
    for ref in sorted(shown, key=key):
        if ref.parent is not None and id(ref.parent) in shown_ids:
            continue
        team = teams.get(ref.team)
        is_sub_team = team is not None and team.parent is not None and ref.parent is None
        (unaligned if is_sub_team else roots).append(node(ref))
    if only:
        roots, unaligned = prune(roots, only), prune(unaligned, only)
    return AlignmentTree(
        org=ws.settings.org, period=period, as_of=as_of, roots=roots, unaligned=unaligned
    )
