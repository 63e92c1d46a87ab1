"""Cross-file checks and lint rules: references, duplicates, cycles, KR types, journal.

``run`` resolves what the files refer to (objective alignment, check-in targets) and adds
one diagnostic per problem to the workspace.  Each rule is a small function named after
what it checks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from okrcli import scoring
from okrcli.diagnostics import CODES, ERROR, Diagnostic
from okrcli.models import kr_type
from okrcli.periods import Period, parse_period
from okrcli.suggest import suggest
from okrcli.workspace import Checkin, KeyResultRef, ObjectiveRef, PlanFile, Workspace
from okrcli.yamlsource import Pos, locate


class _Report:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def __call__(self, code: str, path: str, pos: Pos, message: str) -> None:
        self.ws.diagnostics.append(Diagnostic(code, path, pos[0], pos[1], message))


def run(ws: Workspace, today: date) -> None:
    report = _Report(ws)
    check_settings(ws, report)
    check_team_parents(ws, report)
    check_plans(ws, report)
    check_kpis(ws, report)
    check_alignment(ws, report)
    check_key_results(ws, report)
    check_journal(ws, report, today)
    lint_plans(ws, report)
    lint_kpis(ws, report, today)
    _apply_ignore(ws)


# --- okr.yaml ---------------------------------------------------------------------------


def check_settings(ws: Workspace, report: _Report) -> None:
    if not ws.settings_ok:
        return
    s, data = ws.settings, ws.settings_data
    if s.pace.at_risk > s.pace.off_track:
        report(
            "settings",
            "okr.yaml",
            locate(data, ("pace", "at_risk")),
            f"pace.at_risk ({s.pace.at_risk}) must not be larger than pace.off_track "
            f"({s.pace.off_track})",
        )
    for i, code in enumerate(s.lint.ignore):
        if code not in CODES:
            report(
                "settings",
                "okr.yaml",
                locate(data, ("lint", "ignore", i)),
                f"lint.ignore names '{code}', which is no diagnostic code"
                f"{suggest(code, list(CODES))}",
            )
        elif CODES[code][0] == ERROR:
            report(
                "settings",
                "okr.yaml",
                locate(data, ("lint", "ignore", i)),
                f"'{code}' is an error and cannot be ignored; only warnings can",
            )


def check_team_parents(ws: Workspace, report: _Report) -> None:
    teams = ws.settings.teams
    for tid, team in teams.items():
        if team.parent is not None and team.parent not in teams:
            report(
                "unknown-team",
                "okr.yaml",
                locate(ws.settings_data, ("teams", tid, "parent")),
                f"team '{tid}' has parent '{team.parent}', which okr.yaml does not define"
                f"{suggest(team.parent, list(teams))}",
            )
    reported: set[str] = set()
    for start in teams:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in teams and current not in seen:
            seen.append(current)
            current = teams[current].parent
        if current is not None and current in seen:
            cycle = seen[seen.index(current) :]
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                first = min(cycle)
                report(
                    "team-cycle",
                    "okr.yaml",
                    locate(ws.settings_data, ("teams", first, "parent")),
                    "team parents form a cycle: "
                    + " -> ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)]])
                    + f" -> {first}; one team of a hierarchy has no parent",
                )


# --- plans ------------------------------------------------------------------------------


def check_plans(ws: Workspace, report: _Report) -> None:
    """Teams, periods, duplicate plans and duplicate ids; builds the objective index."""
    teams = ws.settings.teams
    plan_of: dict[tuple[Period, str], PlanFile] = {}
    ids_seen: dict[tuple[Period, str], ObjectiveRef | KeyResultRef] = {}
    for pf in ws.plans:
        plan = pf.plan
        if ws.settings_ok and plan.team not in teams:
            report(
                "unknown-team",
                pf.path,
                pf.position("team"),
                f"team '{plan.team}' is not defined in okr.yaml{suggest(plan.team, list(teams))}",
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
    report: _Report,
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


def check_kpis(ws: Workspace, report: _Report) -> None:
    teams = ws.settings.teams
    for ref in ws.kpis.values():
        kpi = ref.kpi
        if ws.settings_ok and kpi.owner is not None and kpi.owner not in teams:
            report(
                "unknown-team",
                ref.path,
                ref.position("owner"),
                f"KPI '{kpi.id}' is owned by '{kpi.owner}', which is no team in okr.yaml"
                f"{suggest(kpi.owner, list(teams))}",
            )
        if kpi.target is not None and kpi.red is not None:
            wrong = kpi.red > kpi.target if kpi.direction == "up" else kpi.red < kpi.target
            if wrong:
                side = "above" if kpi.direction == "up" else "below"
                report(
                    "kpi-thresholds",
                    ref.path,
                    ref.position("red"),
                    f"KPI '{kpi.id}' goes {kpi.direction}, so red ({kpi.red}) must not be "
                    f"{side} target ({kpi.target})",
                )


def check_alignment(ws: Workspace, report: _Report) -> None:
    by_id: dict[tuple[Period, str], ObjectiveRef] = {}
    for o in ws.objectives:
        by_id.setdefault((o.period, o.id), o)
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
            known = [i for (p, i) in by_id if p in (o.period, o.period.year_period)]
            report(
                "unknown-objective",
                o.plan.path,
                o.position("aligns_to"),
                f"objective '{o.id}' aligns to '{target}', which is no objective of {scope}"
                f"{suggest(target, known)}",
            )
            continue
        o.parent = parent
    # cycles: follow parents; an objective whose chain returns to itself is in a cycle
    reported: set[int] = set()
    for o in ws.objectives:
        chain: list[ObjectiveRef] = []
        current: ObjectiveRef | None = o
        while current is not None and current not in chain:
            chain.append(current)
            current = current.parent
        if current is not None:
            cycle = chain[chain.index(current) :]
            if not reported.intersection(id(c) for c in cycle):
                reported.update(id(c) for c in cycle)
                names = " -> ".join(c.id for c in cycle) + f" -> {cycle[0].id}"
                report(
                    "alignment-cycle",
                    cycle[0].plan.path,
                    cycle[0].position("aligns_to"),
                    f"objectives align in a cycle: {names}; break it by aligning one of them "
                    "upwards",
                )
    for o in ws.objectives:
        if o.parent is not None and id(o) not in reported:
            o.parent.children.append(o)
    for o in ws.objectives:
        if id(o) in reported:
            o.parent = None


def check_key_results(ws: Workspace, report: _Report) -> None:
    for k in ws.key_results:
        kr = k.kr
        path = k.objective.plan.path

        def bad(message: str, *loc: str, _path: str = path, _k: KeyResultRef = k) -> None:
            report("kr-type", _path, _k.position(*loc) if loc else _k.position(), message)

        if kr.kpi is not None and kr.kpi not in ws.kpis and not ws.may_exist(kr.kpi):
            report(
                "unknown-kpi",
                path,
                k.position("kpi"),
                f"KR '{kr.id}' links to KPI '{kr.kpi}', which no file under kpis/ defines"
                f"{suggest(kr.kpi, list(ws.kpis))}",
            )
        t = k.type
        if t is None:
            if kr.start is not None and kr.target is not None:
                bad(
                    f"KR '{kr.id}' has start equal to target ({kr.target}); give a different "
                    "target, or 'type: keep_above'/'keep_below' to hold a level",
                    "target",
                )
            elif kr.kpi is not None and kr.target is not None:
                bad(
                    f"KR '{kr.id}' is linked to a KPI and has a target but no start: name its "
                    "type (increase, decrease, keep_above or keep_below)",
                )
            elif kr.target is not None:
                bad(
                    f"KR '{kr.id}' has a target but no start: add 'start:' or name its type "
                    "(keep_above/keep_below)",
                )
            else:
                bad(f"KR '{kr.id}' has a start but no target: add 'target:'")
            continue
        if t == "milestone":
            extra = [n for n in ("start", "target", "kpi") if getattr(kr, n) is not None]
            if extra:
                bad(
                    f"KR '{kr.id}' is a milestone, which takes no {', '.join(extra)}; "
                    "remove it or choose another type",
                    extra[0],
                )
            continue
        if kr.target is None:
            bad(f"KR '{kr.id}' of type {t} needs a 'target:'")
            continue
        if t in ("increase", "decrease"):
            if kr.start is None:
                if kr.kpi is None:
                    bad(f"KR '{kr.id}' of type {t} needs a 'start:' (or a linked 'kpi:')")
                continue
            if t == "increase" and kr.target <= kr.start:
                bad(
                    f"KR '{kr.id}' is 'increase' but its target ({kr.target}) is not above its "
                    f"start ({kr.start}); use 'decrease' or fix the numbers",
                    "type" if kr.type else "target",
                )
            if t == "decrease" and kr.target >= kr.start:
                bad(
                    f"KR '{kr.id}' is 'decrease' but its target ({kr.target}) is not below its "
                    f"start ({kr.start}); use 'increase' or fix the numbers",
                    "type" if kr.type else "target",
                )


# --- the journal ------------------------------------------------------------------------


def check_journal(ws: Workspace, report: _Report, today: date) -> None:
    """Resolve each check-in to its KR or KPI; report what cannot be resolved."""
    periods_of: dict[str, list[Period]] = defaultdict(list)
    for k in ws.key_results:
        periods_of[k.id].append(k.period)
    resolver = _Resolver(ws, report, periods_of)
    for c in ws.checkins:
        if not resolver.resolve(c):
            continue
        if c.day > today:
            report(
                "future-checkin",
                c.path,
                ws.journal_position(c.path, c.index, "at"),
                f"the check-in for '{c.id}' is dated {c.at.isoformat()}, after today ({today})",
            )
        if (c.day.year, c.day.month) != resolver.month_of(c.path):
            _misfiled(ws, report, c)


class _Resolver:
    """Finds the KR (and period) or KPI each check-in is for; reports what it cannot."""

    def __init__(self, ws: Workspace, report: _Report, periods_of: dict[str, list[Period]]):
        self.ws, self.report, self.periods_of = ws, report, periods_of
        self.months: dict[str, tuple[int, int] | None] = {}
        self.chosen: dict[tuple[str, str | None, date], Period | None] = {}

    def month_of(self, path: str) -> tuple[int, int] | None:
        """The (year, month) a journal file's name promises; None if not YYYY-MM."""
        if path not in self.months:
            name = path.rsplit("/", 1)[-1].split(".", 1)[0]
            ok = len(name) == 7 and name[4] == "-" and name[:4].isdigit() and name[5:].isdigit()
            self.months[path] = (int(name[:4]), int(name[5:])) if ok else None
        return self.months[path]

    def _at(self, c: Checkin, key: str | None = None) -> Pos:
        return self.ws.journal_position(c.path, c.index, key)

    def resolve(self, c: Checkin) -> bool:
        ws, report = self.ws, self.report
        if c.id in ws.kpis:
            if c.period is not None:
                report(
                    "checkin-period",
                    c.path,
                    self._at(c, "period"),
                    f"'{c.id}' is a KPI, and KPI values take no period; remove 'period:'",
                )
                return False
            if isinstance(c.value, bool):
                report(
                    "checkin-value",
                    c.path,
                    self._at(c, "value"),
                    f"KPI '{c.id}' takes a number, not {str(c.value).lower()}",
                )
                return False
            c.kind = "kpi"
            return True
        key = (c.id, c.period, c.day)
        if key not in self.chosen:
            self.chosen[key] = self._period(c)
        chosen = self.chosen[key]
        if chosen is None:
            return False
        kref = ws.key_result(c.id, chosen)
        assert kref is not None
        if kref.type == "milestone":
            if not isinstance(c.value, bool) and not 0 <= c.value <= 1:
                report(
                    "checkin-value",
                    c.path,
                    self._at(c, "value"),
                    f"'{c.id}' is a milestone: its value is true/false or a fraction from 0 "
                    f"to 1, not {c.value}",
                )
                return False
        elif isinstance(c.value, bool):
            report(
                "checkin-value",
                c.path,
                self._at(c, "value"),
                f"KR '{c.id}' is of type {kref.type} and takes a number, not "
                f"{str(c.value).lower()}",
            )
            return False
        if kref.kr.kpi is not None:
            report(
                "checkin-linked-kr",
                c.path,
                self._at(c, "id"),
                f"KR '{c.id}' takes its values from KPI '{kref.kr.kpi}', so this check-in is "
                f"not used; check in '{kref.kr.kpi}' instead",
            )
        c.kind = "kr"
        c.target_period = chosen
        return True

    def _period(self, c: Checkin) -> Period | None:
        """The period of the KR a check-in is for, or None (reported)."""
        ws, report = self.ws, self.report
        periods = self.periods_of.get(c.id)
        if not periods:
            if ws.may_exist(c.id):
                return None
            if any(o.id == c.id for o in ws.objectives):
                what = f"'{c.id}' is an objective; check in one of its key results"
            else:
                known = sorted({*self.periods_of, *ws.kpis, *ws.unreadable_ids})
                what = f"no KR or KPI has the id '{c.id}'{suggest(c.id, known)}"
            report("checkin-unknown-id", c.path, self._at(c, "id"), what)
            return None
        listed = ", ".join(str(p) for p in sorted(periods))
        if c.period is not None:
            chosen = parse_period(c.period, ws.fiscal_start)
            if chosen not in periods:
                report(
                    "checkin-period",
                    c.path,
                    self._at(c, "period"),
                    f"KR '{c.id}' has no plan in {c.period}; it is planned in {listed}",
                )
                return None
            return chosen
        containing = [p for p in periods if p.contains(c.day)]
        if not containing:
            report(
                "checkin-period",
                c.path,
                self._at(c, "at"),
                f"no period of KR '{c.id}' ({listed}) contains {c.day}; add 'period:' to say "
                "which plan the value belongs to",
            )
            return None
        return min(containing, key=lambda p: p.total_days)


def _misfiled(ws: Workspace, report: _Report, c: Checkin) -> None:
    month = f"{c.day:%Y-%m}"
    if _is_month(c.path.rsplit("/", 1)[-1].split(".", 1)[0]):
        report(
            "checkin-file",
            c.path,
            ws.journal_position(c.path, c.index, "at"),
            f"this check-in is dated {month} but sits in {c.path}; okr reads it all the "
            f"same, but new check-ins of {month} go to checkins/{month}.yaml",
        )


def _is_month(name: str) -> bool:
    return len(name) == 7 and name[4] == "-" and name[:4].isdigit() and name[5:].isdigit()


# --- lint -------------------------------------------------------------------------------


def lint_plans(ws: Workspace, report: _Report) -> None:
    lint = ws.settings.lint
    teams = ws.settings.teams
    for pf in ws.plans:
        if pf.period is None:
            continue
        objectives = pf.plan.objectives
        if len(objectives) > lint.max_objectives:
            report(
                "too-many-objectives",
                pf.path,
                pf.position("objectives", lint.max_objectives),
                f"team '{pf.plan.team}' has {len(objectives)} objectives in {pf.period}; "
                f"focus on at most {lint.max_objectives} (lint.max_objectives)",
            )
    for o in ws.objectives:
        n = len(o.key_results)
        if n == 0 and not o.children:
            report(
                "no-key-results",
                o.plan.path,
                o.position("id"),
                f"objective '{o.id}' has no key results and nothing aligns to it; add key "
                "results that measure it",
            )
        elif n > lint.max_key_results:
            report(
                "too-many-key-results",
                o.plan.path,
                o.position("key_results", lint.max_key_results),
                f"objective '{o.id}' has {n} key results; keep at most {lint.max_key_results} "
                "(lint.max_key_results)",
            )
        team = teams.get(o.team)
        if team is not None and team.parent is not None and o.objective.aligns_to is None:
            report(
                "unaligned-objective",
                o.plan.path,
                o.position("id"),
                f"objective '{o.id}' of team '{o.team}' aligns to nothing; add 'aligns_to:' "
                f"with an objective of '{team.parent}' or of the company",
            )


def lint_kpis(ws: Workspace, report: _Report, today: date) -> None:
    latest: dict[str, Checkin] = {}
    for c in ws.checkins:
        if c.kind == "kpi" and c.day <= today:
            best = latest.get(c.id)
            if best is None or (c.at, c.seq) > (best.at, best.seq):
                latest[c.id] = c
    for kid, ref in ws.kpis.items():
        last = latest.get(kid)
        if last is None:
            continue
        day = last.day
        if scoring.is_stale(day, today, ref.kpi.cadence):
            report(
                "stale-kpi",
                ref.path,
                ref.position("id"),
                f"KPI '{kid}' is {ref.kpi.cadence} but its latest value is from "
                f"{day} ({(today - day).days} days ago); check in a fresh value",
            )


def _apply_ignore(ws: Workspace) -> None:
    ignore = {c for c in ws.settings.lint.ignore if c in CODES and CODES[c][0] != ERROR}
    if ignore:
        ws.diagnostics[:] = [d for d in ws.diagnostics if d.code not in ignore]
