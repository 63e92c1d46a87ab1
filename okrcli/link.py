"""Linking: the references between files resolved into one connected workspace.

Every objective and KR gets its place in the index (duplicates reported), each objective
its parent (dangling references and cycles reported), each check-in its KR (and period)
or KPI.  ``TargetResolver`` is the one rule that says which KR or KPI a value is for: the
journal's records and a new ``okr checkin`` are resolved by it alike.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Literal

from okrcli.diagnostics import Diagnostic
from okrcli.journal import is_month, month_days
from okrcli.models import kr_type
from okrcli.periods import Period, parse_period
from okrcli.suggest import Suggester
from okrcli.workspace import (
    US_PER_DAY,
    Checkin,
    KeyResultRef,
    ObjectiveRef,
    PlanFile,
    Target,
    Workspace,
    day_number,
    target_of,
)
from okrcli.yamlsource import Pos


class Report:
    """Adds a diagnostic to the workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def __call__(self, code: str, path: str, pos: Pos, message: str) -> None:
        self.ws.diagnostics.append(Diagnostic(code, path, pos[0], pos[1], message))


def link(ws: Workspace, today: date) -> None:
    """Resolve every reference of ``ws`` in place; problems become diagnostics."""
    report = Report(ws)
    link_plans(ws, report)
    link_alignment(ws, report)
    link_checkins(ws, report, today)


def link_plans(ws: Workspace, report: Report) -> None:
    """Teams, periods, duplicate plans and duplicate ids; builds the objective index."""
    teams = ws.settings.teams
    plan_of: dict[tuple[Period, str], PlanFile] = {}
    team_names = Suggester(teams)
    ids_seen: dict[tuple[Period, str], ObjectiveRef | KeyResultRef] = {}
    for pf in ws.plans:
        plan = pf.plan
        if ws.settings_ok and plan.team not in teams:
            report(
                "unknown-team",
                pf.path,
                pf.position("team"),
                f"team '{plan.team}' is not defined in okr.yaml{team_names.suggest(plan.team)}",
            )
        if pf.period is None:
            continue
        if plan.period is not None:
            declared = parse_period(plan.period, ws.fiscal_start)
            if declared != pf.period:
                report(
                    "period-mismatch",
                    pf.path,
                    pf.position("period"),
                    f"period: {plan.period} disagrees with the folder okrs/{pf.period}/; "
                    "move the file or correct the key",
                )
        other = plan_of.get((pf.period, plan.team))
        if other is not None:
            report(
                "duplicate-plan",
                pf.path,
                pf.position("team"),
                f"team '{plan.team}' already has a plan for {pf.period} in {other.path}; "
                "keep one plan file per team and period",
            )
        else:
            plan_of[(pf.period, plan.team)] = pf
        for oi, obj in enumerate(plan.objectives):
            oref = ObjectiveRef(obj, plan.team, pf.period, pf, pf.objective_index(oi))
            _claim_id(ws, report, ids_seen, oref, pf.period, "objective")
            ws.objectives.append(oref)
            for ki, kr in enumerate(obj.key_results):
                kref = KeyResultRef(kr, oref, ki, kr_type(kr))
                _claim_id(ws, report, ids_seen, kref, pf.period, "KR")
                oref.key_results.append(kref)
                ws.key_results.append(kref)


def _claim_id(
    ws: Workspace,
    report: Report,
    seen: dict[tuple[Period, str], ObjectiveRef | KeyResultRef],
    ref: ObjectiveRef | KeyResultRef,
    period: Period,
    what: str,
) -> None:
    """Record that ``ref`` defines its id in ``period``; report duplicates and KPI clashes.
    Positions are looked up only for a problem, so a clean workspace needs none."""
    id_ = ref.id
    first = seen.get((period, id_))
    path = _path_of(ref)
    if first is not None:
        report(
            "duplicate-id",
            path,
            ref.position("id"),
            f"the id '{id_}' is already used in {period} at {_path_of(first)}:"
            f"{first.position('id')[0]}; objective and key result ids are unique within a "
            "period across all teams",
        )
        return
    seen[(period, id_)] = ref
    kpi = ws.kpis.get(id_)
    if kpi is not None:
        report(
            "id-clash",
            path,
            ref.position("id"),
            f"the {what} id '{id_}' is also a KPI id ({kpi.path}:{kpi.position('id')[0]}); "
            "one id names one thing: rename one of them",
        )


def _path_of(ref: ObjectiveRef | KeyResultRef) -> str:
    return ref.plan.path if isinstance(ref, ObjectiveRef) else ref.objective.plan.path


def link_alignment(ws: Workspace, report: Report) -> None:
    by_id: dict[tuple[Period, str], ObjectiveRef] = {}
    for o in ws.objectives:
        by_id.setdefault((o.period, o.id), o)
    # one index of names per scope (a period with its year), built when first needed
    scopes: dict[tuple[Period, Period], Suggester] = {}
    for o in ws.objectives:
        target = o.objective.aligns_to
        if target is None:
            continue
        parent = by_id.get((o.period, target))
        if parent is None and not o.period.is_year:
            parent = by_id.get((o.period.year_period, target))
        if parent is None and ws.may_exist(target):
            continue
        if parent is None:
            scope = f"{o.period}" if o.period.is_year else f"{o.period} or {o.period.year_period}"
            around = (o.period, o.period.year_period)
            known = scopes.get(around)
            if known is None:
                known = scopes[around] = Suggester(i for (p, i) in by_id if p in around)
            report(
                "unknown-objective",
                o.plan.path,
                o.position("aligns_to"),
                f"objective '{o.id}' aligns to '{target}', which is no objective of {scope}"
                f"{known.suggest(target)}",
            )
            continue
        o.parent = parent
    # cycles: follow parents; an objective whose chain returns to itself is in a cycle.
    # Each objective is walked once: a chain that reaches a finished one stops there.
    reported: set[int] = set()
    finished: set[int] = set()
    for o in ws.objectives:
        chain: list[ObjectiveRef] = []
        on_chain: dict[int, int] = {}  # id -> place in chain
        current: ObjectiveRef | None = o
        while current is not None and id(current) not in finished:
            if id(current) in on_chain:
                cycle = chain[on_chain[id(current)] :]
                reported.update(id(c) for c in cycle)
                names = " -> ".join(c.id for c in cycle) + f" -> {cycle[0].id}"
                report(
                    "alignment-cycle",
                    cycle[0].plan.path,
                    cycle[0].position("aligns_to"),
                    f"objectives align in a cycle: {names}; break it by aligning one of them "
                    "upwards",
                )
                break
            on_chain[id(current)] = len(chain)
            chain.append(current)
            current = current.parent
        finished.update(on_chain)
    for o in ws.objectives:
        if o.parent is not None and id(o) not in reported:
            o.parent.children.append(o)
    for o in ws.objectives:
        if id(o) in reported:
            o.parent = None


def link_checkins(ws: Workspace, report: Report, today: date) -> None:
    """Resolve each check-in to its KR or KPI; report what cannot be resolved.

    How the records of one id (and named period) resolve is worked out once
    (``TargetResolver.plan``); each record then costs a few integer comparisons."""
    resolver = TargetResolver(ws)
    plans: dict[tuple[str, str | None], Plan] = {}
    months: dict[str, tuple[int, int] | None] = {}
    today_n = day_number(today)
    check_value = resolver.check_value
    for c in ws.checkins:
        key = (c.id, c.period)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = resolver.plan(c.id, c.period)
        d = c.ts // US_PER_DAY
        try:
            if plan.error is not None:
                raise plan.error
            if plan.kpi is not None:
                if c.value.__class__ is bool:
                    raise Unresolved(
                        "checkin-value",
                        "value",
                        f"KPI '{c.id}' takes a number, not {str(c.value).lower()}",
                    )
                c.target = plan.kpi
            else:
                windows = plan.windows
                window: Window | None = windows[0]  # most ids are planned in one period
                if not windows[0][0] <= d <= windows[0][1]:
                    window = next((w for w in windows[1:] if w[0] <= d <= w[1]), None)
                if window is None:
                    raise resolver.outside(c.id, _date(d))
                chosen, kref = window[2], window[3]
                check_value(kref, c.value)
                if kref.kr.kpi is not None:
                    report(
                        "checkin-linked-kr",
                        c.path,
                        ws.journal_position(c.path, c.index, "id", c.line),
                        f"KR '{c.id}' takes its values from KPI '{kref.kr.kpi}', so this "
                        f"check-in is not used; check in '{kref.kr.kpi}' instead",
                    )
                c.target = chosen
        except Unresolved as u:
            if u.code:
                report(
                    u.code, c.path, ws.journal_position(c.path, c.index, u.field, c.line), u.message
                )
            continue
        if d > today_n:
            report(
                "future-checkin",
                c.path,
                ws.journal_position(c.path, c.index, "at", c.line),
                f"the check-in for '{c.id}' is dated {c.at.isoformat()}, after today ({today})",
            )
        path = c.path
        if path not in months:
            months[path] = month_days(path)
        month = months[path]
        if month is not None and not month[0] <= d <= month[1]:
            _misfiled(ws, report, c)


def _date(day: int) -> date:
    return date.fromordinal(day + 719163)


Window = tuple[int, int, Target, KeyResultRef]  # first and last day numbers, target, KR


class Plan:
    """How the records of one id (with one named period, or none) resolve: an error, a
    KPI, or the KR windows (first day, last day as day numbers; narrowest period
    first) with the target and the KR each stands for."""

    __slots__ = ("error", "kpi", "windows")

    def __init__(
        self,
        error: Unresolved | None = None,
        kpi: Target | None = None,
        windows: list[Window] | None = None,
    ) -> None:
        self.error, self.kpi, self.windows = error, kpi, windows or []


class Unresolved(Exception):
    """Why a value cannot be recorded for an id: the diagnostic ``code`` (empty when the
    id may be defined in a part of the files that could not be read, so nothing is said),
    the record's ``field`` at fault, and the ``message``."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code, self.field, self.message = code, field, message


class TargetResolver:
    """The one rule for which KR (in which period) or KPI a value is for.

    A KPI id is the KPI (KPI values take no period).  A KR id with a named period is the
    KR of that period; without one, the KR of the narrowest period that has the id and
    contains the value's day.  The journal's records (``link_checkins``) and new check-ins
    (``okrcli.recording``) are resolved by it alike; ``period_name`` is how the period is
    named in messages (``'period:'`` in a file, ``--period`` on the command line).
    """

    def __init__(self, ws: Workspace, period_name: str = "'period:'") -> None:
        self.ws = ws
        self.period_name = period_name
        self.periods_of: dict[str, list[Period]] = defaultdict(list)
        for k in ws.key_results:
            self.periods_of[k.id].append(k.period)
        self._unknown: dict[str, Unresolved] = {}  # by id: said once, however many records
        self._names: Suggester | None = None

    def resolve(
        self, id_: str, period: str | None, day: date
    ) -> tuple[Literal["kr", "kpi"], Period | None, KeyResultRef | None]:
        """('kpi', None, None) or ('kr', period, the KR); ``Unresolved`` if neither."""
        plan = self.plan(id_, period)
        if plan.error is not None:
            raise plan.error
        if plan.kpi is not None:
            return "kpi", None, None
        d = day_number(day)
        for first, last, chosen, kref in plan.windows:
            if first <= d <= last:
                return "kr", chosen[1], kref
        raise self.outside(id_, day)

    def plan(self, id_: str, period: str | None) -> Plan:
        """How every record of ``id_`` naming ``period`` (or none) resolves."""
        ws = self.ws
        if id_ in ws.kpis:
            if period is not None:
                return Plan(
                    Unresolved(
                        "checkin-period",
                        "period",
                        f"'{id_}' is a KPI, and KPI values take no period; "
                        f"leave out {self.period_name}",
                    )
                )
            return Plan(kpi=target_of("kpi", None))
        periods = self.periods_of.get(id_)
        if not periods:
            known = self._unknown.get(id_)
            if known is None:
                known = self._unknown[id_] = self._no_such_kr(id_)
            return Plan(known)
        if period is not None:
            chosen = parse_period(period, ws.fiscal_start)
            if chosen is None or chosen not in periods:
                listed = ", ".join(str(p) for p in sorted(periods))
                return Plan(
                    Unresolved(
                        "checkin-period",
                        "period",
                        f"KR '{id_}' is not planned in {period}; it is planned in {listed}",
                    )
                )
            kref = ws.key_result(id_, chosen)
            assert kref is not None
            return Plan(windows=[(-(10**9), 10**9, target_of("kr", chosen), kref)])
        windows = []
        for p in sorted(dict.fromkeys(periods), key=lambda p: p.total_days):
            kref = ws.key_result(id_, p)
            assert kref is not None
            windows.append(
                (day_number(p.first_day), day_number(p.last_day), target_of("kr", p), kref)
            )
        return Plan(windows=windows)

    def outside(self, id_: str, day: date) -> Unresolved:
        """Why a value of KR ``id_`` dated ``day`` and naming no period has no KR."""
        listed = ", ".join(str(p) for p in sorted(self.periods_of.get(id_, [])))
        return Unresolved(
            "checkin-period",
            "at",
            f"{day} is outside every period of KR '{id_}' ({listed}); give "
            f"{self.period_name} to say which plan the value belongs to",
        )

    def _no_such_kr(self, id_: str) -> Unresolved:
        """Why no value can be recorded for an id that no KR has (decided once per id)."""
        ws = self.ws
        if ws.may_exist(id_):
            return Unresolved("", "id", "")
        objectives = [o for o in ws.objectives if o.id == id_]
        if objectives:
            krs = ", ".join(k.id for o in objectives for k in o.key_results) or "none yet"
            what = f"'{id_}' is an objective; check in one of its key results ({krs})"
        else:
            if self._names is None:
                self._names = Suggester(sorted({*self.periods_of, *ws.kpis, *ws.unreadable_ids}))
            what = f"no KR or KPI has the id '{id_}'{self._names.suggest(id_)}"
        return Unresolved("checkin-unknown-id", "id", what)

    @staticmethod
    def check_value(kref: KeyResultRef, value: float | bool) -> None:
        """``Unresolved`` when ``value`` does not fit the KR's type."""
        if kref.type == "milestone":
            if not isinstance(value, bool) and not 0 <= value <= 1:
                raise Unresolved(
                    "checkin-value",
                    "value",
                    f"'{kref.id}' is a milestone: its value is true/false or a fraction from 0 "
                    f"to 1, not {value}",
                )
        elif isinstance(value, bool):
            raise Unresolved(
                "checkin-value",
                "value",
                f"KR '{kref.id}' is of type {kref.type} and takes a number, not "
                f"{str(value).lower()}",
            )


def _misfiled(ws: Workspace, report: Report, c: Checkin) -> None:
    month = f"{c.day:%Y-%m}"
    if is_month(c.path.rsplit("/", 1)[-1].split(".", 1)[0]):
        report(
            "checkin-file",
            c.path,
            ws.journal_position(c.path, c.index, "at", c.line),
            f"this check-in is dated {month} but sits in {c.path}; okr reads it all the "
            f"same, but new check-ins of {month} go to checkins/{month}.yaml",
        )
