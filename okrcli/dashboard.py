"""The dashboard of a period as plain data: everything ``okr report`` shows.

It is assembled from the results other commands print, so the site and the terminal never
disagree: the scorecard (``okrcli.views.build_scorecard``, the data of
``okr scorecard --format json``), the alignment tree (``okrcli.views.build_tree``), the
``Evaluator``'s values and forecasts for the charts, and for an ended period the grades of
``okr close``.  Nothing here computes a figure of its own, prints, or knows about HTML;
``okrcli.render.html`` lays the data out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from okrcli import __version__, scoring
from okrcli.evaluate import Evaluator, Point
from okrcli.grading import Closing, KRGrade, ObjectiveGrade, TeamGrade
from okrcli.grading import grade as grade_period
from okrcli.periods import Period
from okrcli.timeutil import day_of as utc_day
from okrcli.views import (
    AlignmentTree,
    KPIRow,
    KRRow,
    ObjectiveRow,
    Scorecard,
    TreeNode,
    build_scorecard,
    build_tree,
    team_order,
)
from okrcli.workspace import Workspace

# why an item is on the "needs attention" list, most pressing first
RED_UNADDRESSED = "red_unaddressed"  # a red KPI that no KR of the period addresses
DECLINING_UNADDRESSED = "declining_unaddressed"  # worse three values running, unaddressed
OFF_TRACK = "off_track"  # a key result off track
STALE = "stale"  # a KPI whose latest value is older than 1.5 cadence intervals
NO_VALUE = "no_value"  # a KR or KPI (with a target) never measured
REASONS = (RED_UNADDRESSED, DECLINING_UNADDRESSED, OFF_TRACK, STALE, NO_VALUE)


@dataclass
class TeamLink:
    id: str
    name: str


@dataclass
class TeamPage:
    """One team of the report: its objectives (with their KRs) and the KPIs it owns."""

    id: str
    name: str
    lead: str | None
    ancestors: list[TeamLink]  # from the top of the report down to its parent
    children: list[TeamLink]  # sub-teams in the report
    objectives: list[ObjectiveRow]
    kpis: list[KPIRow]
    grade: TeamGrade | None = None


@dataclass
class KRDetail:
    """A key result with its values over the period, for its page and chart."""

    row: KRRow
    objective: ObjectiveRow
    team: TeamLink
    points: list[Point]  # the counted values, oldest first
    forecast: float | None  # projected value at the period's last day
    forecast_progress: float | None
    forecast_at: date  # the day the forecast is read at (the period's last day)
    first_day: date  # the period; the chart runs from first_day to last_day
    last_day: date
    grade: KRGrade | None = None


@dataclass
class KPIDetail:
    """A KPI with its values, for its page and chart."""

    row: KPIRow
    team: TeamLink | None  # the owning team, when it is in the report
    points: list[Point]  # the values the chart shows, oldest first
    first_day: date  # the chart's span: the period, widened to its last 8 values
    last_day: date
    linked: list[KRRow]  # KRs of the report that take their values from it


@dataclass
class Attention:
    """One item of the "needs attention" list."""

    reason: str  # one of REASONS
    kind: str  # "kr" or "kpi"
    id: str
    title: str
    team: str | None
    kpi: KPIRow | None = None
    kr: KRRow | None = None


@dataclass
class Grades:
    """The grades of an ended period (``okr close``), for the teams in the report."""

    closing: Closing
    headline: float | None  # the period's grade (None: nothing graded), or the team's
    band: str | None
    teams: dict[str, TeamGrade] = field(default_factory=dict)
    objectives: dict[str, ObjectiveGrade] = field(default_factory=dict)
    key_results: dict[str, KRGrade] = field(default_factory=dict)

    def distribution(self) -> dict[str, dict[str, int]]:
        return self.closing.distribution()


@dataclass
class Dashboard:
    scorecard: Scorecard
    tree: AlignmentTree
    teams: list[TeamPage]
    key_results: list[KRDetail]
    kpis: list[KPIDetail]
    attention: list[Attention]
    grades: Grades | None  # only once the period has ended (as-of after its last day)
    version: str = __version__
    # errors in the goal files, which the figures leave out (SPEC §6), and their files
    errors: int = 0
    error_files: list[str] = field(default_factory=list)

    @property
    def org(self) -> str:
        return self.scorecard.org

    @property
    def period(self) -> Period:
        return self.scorecard.period

    @property
    def as_of(self) -> date:
        return self.scorecard.as_of

    @property
    def team(self) -> str | None:
        return self.scorecard.team

    @property
    def ended(self) -> bool:
        return self.as_of > self.period.last_day


# --- building ------------------------------------------------------------------------------


def build_dashboard(
    ws: Workspace, period: Period, as_of: date, team: str | None = None
) -> Dashboard:
    """The dashboard of ``period`` as of ``as_of``, for ``team`` and the teams under it
    (the whole organisation when ``team`` is None)."""
    ev = Evaluator(ws, as_of)  # one evaluation, shared: every view shows the same results
    card = build_scorecard(ws, period, as_of, team, evaluator=ev)
    scope = ws.teams_under(team) if team is not None else set(ws.settings.teams)
    # teams with objectives that okr.yaml does not define (it could not be read): their
    # pages too, so that every team the scorecard shows has one
    undefined = [g.id for g in card.teams if g.id not in ws.settings.teams]
    scope.update(undefined)
    tree = _pruned(build_tree(ws, period, as_of, evaluator=ev), scope)
    teams = _team_pages(ws, card, scope, undefined)
    names = {t.id: TeamLink(t.id, t.name) for t in teams}

    refs = {(o.team, o.id): o for o in ws.objectives_in(period)}
    key_results = []
    for group in card.teams:
        for objective in group.objectives:
            ref = refs[(group.id, objective.id)]
            for kr_row, kr_ref in zip(objective.key_results, ref.key_results, strict=True):
                r = ev.key_result(kr_ref)
                key_results.append(
                    KRDetail(
                        row=kr_row,
                        objective=objective,
                        team=names.get(group.id, TeamLink(group.id, group.name)),
                        points=r.points,
                        forecast=r.forecast,
                        forecast_progress=r.forecast_progress,
                        forecast_at=period.last_day,
                        first_day=period.first_day,
                        last_day=period.last_day,
                    )
                )

    linked: dict[str, list[KRRow]] = {}
    for detail in key_results:
        if detail.row.kpi is not None:
            linked.setdefault(detail.row.kpi, []).append(detail.row)
    kpis = []
    for row in card.kpis:
        points = ev.kpi_points(row.id)
        first, last = _kpi_span(points, period)
        kpis.append(
            KPIDetail(
                row=row,
                team=names.get(row.owner) if row.owner is not None else None,
                points=[p for p in points if first <= utc_day(p.at) <= last],
                first_day=first,
                last_day=last,
                linked=linked.get(row.id, []),
            )
        )

    grades = None
    if as_of > period.last_day:
        grades = _grades(grade_period(ws, period, as_of), team, scope)
        for page in teams:
            page.grade = grades.teams.get(page.id)
        for detail in key_results:
            detail.grade = grades.key_results.get(detail.row.id)

    return Dashboard(
        scorecard=card,
        tree=tree,
        teams=teams,
        key_results=key_results,
        kpis=kpis,
        attention=needs_attention(card),
        grades=grades,
        errors=ws.errors,
        error_files=sorted({d.file for d in ws.diagnostics if d.severity == "error"}),
    )


def _kpi_span(points: list[Point], period: Period) -> tuple[date, date]:
    """The days a KPI's chart covers: the period, widened to show the KPI's last 8 values
    (its trend) and any value after the period's end."""
    recent = [utc_day(p.at) for p in points[-8:]]
    first = min([period.first_day, *recent])
    last = max([period.last_day, *recent])
    return first, last


def _team_pages(
    ws: Workspace, card: Scorecard, scope: set[str], undefined: list[str]
) -> list[TeamPage]:
    teams = ws.settings.teams
    objectives = {g.id: g.objectives for g in card.teams}
    kpis: dict[str, list[KPIRow]] = {}
    for row in card.kpis:
        if row.owner is not None:
            kpis.setdefault(row.owner, []).append(row)
    order = [t for t in team_order(ws) if t in scope]
    pages = []
    for tid in order:
        definition = teams[tid]
        ancestors: list[TeamLink] = []
        parent, seen = definition.parent, {tid}
        while parent is not None and parent in scope and parent not in seen:
            seen.add(parent)
            ancestors.insert(0, TeamLink(parent, _name(ws, parent)))
            parent = teams[parent].parent if parent in teams else None
        pages.append(
            TeamPage(
                id=tid,
                name=_name(ws, tid),
                lead=definition.lead,
                ancestors=ancestors,
                children=[TeamLink(c, _name(ws, c)) for c in order if teams[c].parent == tid],
                objectives=objectives.get(tid, []),
                kpis=kpis.get(tid, []),
            )
        )
    for tid in undefined:
        pages.append(
            TeamPage(
                id=tid,
                name=tid,
                lead=None,
                ancestors=[],
                children=[],
                objectives=objectives.get(tid, []),
                kpis=kpis.get(tid, []),
            )
        )
    return pages


def _name(ws: Workspace, team: str) -> str:
    found = ws.settings.teams.get(team)
    return found.name if found is not None and found.name else team


def _pruned(tree: AlignmentTree, scope: set[str]) -> AlignmentTree:
    """The tree with only what leads to the teams in ``scope``: their objectives, and the
    objectives above them as context."""

    def keep(node: TreeNode) -> TreeNode | None:
        children = [k for k in (keep(c) for c in node.children) if k is not None]
        krs = []  # key results objectives hang under: kept while they lead somewhere
        for kr in node.key_results:
            below = [k for k in (keep(c) for c in kr.children) if k is not None]
            if below:
                krs.append(dataclasses.replace(kr, children=below))
        if node.team not in scope and not children and not krs:
            return None
        return dataclasses.replace(node, children=children, key_results=krs)

    def prune(nodes: list[TreeNode]) -> list[TreeNode]:
        return [k for k in (keep(n) for n in nodes) if k is not None]

    return dataclasses.replace(tree, roots=prune(tree.roots), unaligned=prune(tree.unaligned))


def _grades(closing: Closing, team: str | None, scope: set[str]) -> Grades:
    if team is not None:
        closing = dataclasses.replace(closing, teams=[t for t in closing.teams if t.team in scope])
    chosen = next((t for t in closing.teams if t.team == team), None)
    headline, band = (chosen.grade, chosen.band) if chosen else (closing.grade, closing.band)
    return Grades(
        closing=closing,
        headline=headline,
        band=band,
        teams={t.team: t for t in closing.teams},
        objectives={o.id: o for o in closing.objectives},
        key_results={k.id: k for k in closing.key_results},
    )


def needs_attention(card: Scorecard) -> list[Attention]:
    """What a review should look at first: red or declining KPIs that no KR addresses,
    key results off track, and values overdue (stale KPIs; KRs and KPIs with a target that
    were never measured).  Ordered by reason, then as in the scorecard."""
    found: list[Attention] = []
    for k in card.kpis:
        if k.needs_attention:
            reason = RED_UNADDRESSED if k.status == scoring.RED else DECLINING_UNADDRESSED
            found.append(Attention(reason, "kpi", k.id, k.title, k.owner, kpi=k))
        if k.stale:
            found.append(Attention(STALE, "kpi", k.id, k.title, k.owner, kpi=k))
        elif k.status == scoring.NO_DATA:
            found.append(Attention(NO_VALUE, "kpi", k.id, k.title, k.owner, kpi=k))
    for o in card.objectives:
        for r in o.key_results:
            if r.status == scoring.OFF_TRACK:
                found.append(Attention(OFF_TRACK, "kr", r.id, r.title, o.team, kr=r))
            elif r.status == scoring.NO_DATA:
                found.append(Attention(NO_VALUE, "kr", r.id, r.title, o.team, kr=r))
    rank = {reason: i for i, reason in enumerate(REASONS)}
    return sorted(found, key=lambda a: rank[a.reason])
