"""The rules: every check of a linked workspace that only reads it.

Each rule is a function ``(workspace, today) -> diagnostics``, pure, named after what it
demands of the files; ``RULES`` lists them all, and ``okrcli.loader`` runs them after
reading and linking.  A new lint rule is a new function here, added to ``RULES``, with
its code in ``okrcli.diagnostics.CODES`` and a line in ``docs/diagnostics.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from okrcli import scoring, timeutil
from okrcli.diagnostics import CODES, ERROR, Diagnostic
from okrcli.suggest import Suggester, suggest
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, Workspace
from okrcli.yamlsource import Pos, locate

Rule = Callable[[Workspace, date], Iterable[Diagnostic]]


def diagnostic(code: str, path: str, pos: Pos, message: str) -> Diagnostic:
    return Diagnostic(code, path, pos[0], pos[1], message)


# --- okr.yaml ---------------------------------------------------------------------------


def settings_are_consistent(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    if not ws.settings_ok:
        return
    s, data = ws.settings, ws.settings_data
    try:
        timeutil.zone_named(s.timezone)
    except ValueError:
        names = timeutil.zone_names()
        by_lower = {n.lower(): n for n in names}
        exact = by_lower.get(s.timezone.lower())
        hint = f"; did you mean '{exact}'?" if exact else suggest(s.timezone, names)
        yield diagnostic(
            "unknown-timezone",
            "okr.yaml",
            locate(data, ("timezone",)),
            f"timezone '{s.timezone}' is no IANA time zone name (like Europe/Berlin or "
            f"America/New_York){hint}; until it is fixed okr counts days in UTC",
        )
    if s.pace.at_risk > s.pace.off_track:
        yield diagnostic(
            "settings",
            "okr.yaml",
            locate(data, ("pace", "at_risk")),
            f"pace.at_risk ({s.pace.at_risk}) must not be larger than pace.off_track "
            f"({s.pace.off_track})",
        )
    for i, code in enumerate(s.lint.ignore):
        if code not in CODES:
            yield diagnostic(
                "settings",
                "okr.yaml",
                locate(data, ("lint", "ignore", i)),
                f"lint.ignore names '{code}', which is no diagnostic code"
                f"{suggest(code, list(CODES))}",
            )
        elif CODES[code][0] == ERROR:
            yield diagnostic(
                "settings",
                "okr.yaml",
                locate(data, ("lint", "ignore", i)),
                f"'{code}' is an error and cannot be ignored; only warnings can",
            )


def team_parents_exist_without_cycles(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    teams = ws.settings.teams
    names = Suggester(teams)
    for tid, team in teams.items():
        if team.parent is not None and team.parent not in teams:
            yield diagnostic(
                "unknown-team",
                "okr.yaml",
                locate(ws.settings_data, ("teams", tid, "parent")),
                f"team '{tid}' has parent '{team.parent}', which okr.yaml does not define"
                f"{names.suggest(team.parent)}",
            )
    # each team is walked once: a chain that reaches a finished team stops there
    finished: set[str] = set()
    for start in teams:
        seen: dict[str, int] = {}  # team -> place in the chain
        current: str | None = start
        while current is not None and current in teams and current not in finished:
            if current in seen:
                cycle = list(seen)[seen[current] :]
                first = min(cycle)
                at = cycle.index(first)
                yield diagnostic(
                    "team-cycle",
                    "okr.yaml",
                    locate(ws.settings_data, ("teams", first, "parent")),
                    "team parents form a cycle: "
                    + " -> ".join([*cycle[at:], *cycle[:at]])
                    + f" -> {first}; one team of a hierarchy has no parent",
                )
                break
            seen[current] = len(seen)
            current = teams[current].parent
        finished.update(seen)


def kpis_are_consistent(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    teams = ws.settings.teams
    names = Suggester(teams)
    for ref in ws.kpis.values():
        kpi = ref.kpi
        if ws.settings_ok and kpi.owner is not None and kpi.owner not in teams:
            yield diagnostic(
                "unknown-team",
                ref.path,
                ref.position("owner"),
                f"KPI '{kpi.id}' is owned by '{kpi.owner}', which is no team in okr.yaml"
                f"{names.suggest(kpi.owner)}",
            )
        yield from _kpi_definition(ref)
        if kpi.direction in ("up", "down") and kpi.target is not None and kpi.red is not None:
            wrong = kpi.red > kpi.target if kpi.direction == "up" else kpi.red < kpi.target
            if wrong:
                side = "above" if kpi.direction == "up" else "below"
                yield diagnostic(
                    "kpi-thresholds",
                    ref.path,
                    ref.position("red"),
                    f"KPI '{kpi.id}' goes {kpi.direction}, so red ({kpi.red}) must not be "
                    f"{side} target ({kpi.target})",
                )


def kr_type_problems(k: KeyResultRef) -> Iterator[tuple[str, tuple[str, ...]]]:
    """What does not fit together in a KR's type, start, target and the rest: (message,
    the key at fault) pairs.  A KR with a problem is left out of every figure."""
    kr = k.kr
    t = k.type
    if t != "keep_between":
        extra = [n for n in ("min", "max") if getattr(kr, n) is not None]
        if extra and t is not None:
            yield (
                f"KR '{kr.id}' of type {t} takes no {' or '.join(extra)}; 'min' and 'max' "
                "are for 'type: keep_between'",
                (extra[0],),
            )
            return
    if t == "rollup":
        extra = [n for n in ("start", "target", "kpi") if getattr(kr, n) is not None]
        if extra:
            yield (
                f"KR '{kr.id}' is a rollup, which takes no {', '.join(extra)}: its progress "
                "is the mean progress of the objectives aligned to it",
                (extra[0],),
            )
        return
    if t == "keep_between":
        extra = [n for n in ("start", "target") if getattr(kr, n) is not None]
        if extra:
            yield (
                f"KR '{kr.id}' is keep_between, which takes 'min' and 'max', not "
                f"{' or '.join(extra)}",
                (extra[0],),
            )
        elif kr.min is None or kr.max is None:
            missing = "min" if kr.min is None else "max"
            yield (f"KR '{kr.id}' of type keep_between needs '{missing}:'", ())
        elif kr.min >= kr.max:
            yield (
                f"KR '{kr.id}' has min ({kr.min}) not below max ({kr.max}); it holds while "
                "min <= value <= max",
                ("min",),
            )
        return
    if t is None:
        if kr.start is not None and kr.target is not None:
            yield (
                f"KR '{kr.id}' has start equal to target ({kr.target}); give a different "
                "target, or 'type: keep_above'/'keep_below' to hold a level",
                ("target",),
            )
        elif kr.kpi is not None and kr.target is not None:
            yield (
                f"KR '{kr.id}' is linked to a KPI and has a target but no start: name its "
                "type (increase, decrease, keep_above or keep_below)",
                (),
            )
        elif kr.target is not None:
            yield (
                f"KR '{kr.id}' has a target but no start: add 'start:' or name its type "
                "(keep_above/keep_below)",
                (),
            )
        else:
            yield (f"KR '{kr.id}' has a start but no target: add 'target:'", ())
        return
    if t == "milestone":
        extra = [n for n in ("start", "target", "kpi") if getattr(kr, n) is not None]
        if extra:
            yield (
                f"KR '{kr.id}' is a milestone, which takes no {', '.join(extra)}; "
                "remove it or choose another type",
                (extra[0],),
            )
        return
    if kr.target is None:
        yield (f"KR '{kr.id}' of type {t} needs a 'target:'", ())
        return
    if t in ("increase", "decrease"):
        if kr.start is None:
            if kr.kpi is None:
                yield (f"KR '{kr.id}' of type {t} needs a 'start:' (or a linked 'kpi:')", ())
            return
        at = ("type",) if kr.type else ("target",)
        if t == "increase" and kr.target <= kr.start:
            yield (
                f"KR '{kr.id}' is 'increase' but its target ({kr.target}) is not above its "
                f"start ({kr.start}); use 'decrease' or fix the numbers",
                at,
            )
        if t == "decrease" and kr.target >= kr.start:
            yield (
                f"KR '{kr.id}' is 'decrease' but its target ({kr.target}) is not below its "
                f"start ({kr.start}); use 'increase' or fix the numbers",
                at,
            )


def _kpi_definition(ref: KpiRef) -> Iterator[Diagnostic]:
    """A KPI's direction, target, red, min, max and tolerance fit together."""
    kpi = ref.kpi

    def bad(message: str, *loc: str) -> Diagnostic:
        return diagnostic("kpi-definition", ref.path, ref.position(*loc), message)

    if kpi.direction == "within":
        extra = [n for n in ("target", "red") if getattr(kpi, n) is not None]
        if extra:
            yield bad(
                f"KPI '{kpi.id}' goes within min and max, which takes no {' or '.join(extra)}; "
                "its band is [min, max] and 'tolerance' says how far outside is yellow",
                extra[0],
            )
        if kpi.min is None or kpi.max is None:
            missing = "min" if kpi.min is None else "max"
            yield bad(f"KPI '{kpi.id}' with direction: within needs '{missing}:'")
        elif kpi.min >= kpi.max:
            yield bad(f"KPI '{kpi.id}' has min ({kpi.min}) not below max ({kpi.max})", "min")
        return
    extra = [n for n in ("min", "max", "tolerance") if getattr(kpi, n) is not None]
    if extra:
        yield bad(
            f"KPI '{kpi.id}' has {', '.join(extra)}, which belong to 'direction: within'",
            extra[0],
        )
    if kpi.direction is None and (kpi.target is not None or kpi.red is not None):
        yield bad(
            f"KPI '{kpi.id}' has a target but no direction: add 'direction: up' (higher is "
            "better) or 'direction: down'",
        )


def key_results_fit_their_period_and_objective(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    """A ``due`` day inside the KR's period; an aspirational KR only under an aspirational
    objective (a committed objective's KRs are committed)."""
    for k in ws.key_results:
        path = k.objective.plan.path
        due = k.due
        if due is not None and not k.period.contains(due):
            yield diagnostic(
                "kr-due",
                path,
                k.position("due"),
                f"KR '{k.id}' is due {due}, outside its period {k.period} "
                f"({k.period.first_day} … {k.period.last_day}); give a day inside it",
            )
        if k.kr.ambition == "aspirational" and k.objective.ambition != "aspirational":
            yield diagnostic(
                "ambition",
                path,
                k.position("ambition"),
                f"KR '{k.id}' is aspirational but its objective '{k.objective.id}' is "
                "committed; make the objective 'ambition: aspirational', or leave the KR's "
                "ambition out",
            )


def key_results_are_well_typed(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    kpi_names = Suggester(ws.kpis)
    for k in ws.key_results:
        kr = k.kr
        path = k.objective.plan.path
        if kr.kpi is not None and kr.kpi not in ws.kpis and not ws.may_exist(kr.kpi):
            yield diagnostic(
                "unknown-kpi",
                path,
                k.position("kpi"),
                f"KR '{kr.id}' links to KPI '{kr.kpi}', which no file under kpis/ defines"
                f"{kpi_names.suggest(kr.kpi)}",
            )
        for message, loc in kr_type_problems(k):
            yield diagnostic("kr-type", path, k.position(*loc), message)


def plans_stay_focused(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    lint = ws.settings.lint
    teams = ws.settings.teams
    # dropped objectives and KRs stay in the files but count for no lint
    for pf in ws.plans:
        if pf.period is None:
            continue
        live = [i for i, o in enumerate(pf.plan.objectives) if not o.dropped]
        if len(live) > lint.max_objectives:
            yield diagnostic(
                "too-many-objectives",
                pf.path,
                pf.position("objectives", pf.objective_index(live[lint.max_objectives])),
                f"team '{pf.plan.team}' has {len(live)} objectives in {pf.period}; "
                f"focus on at most {lint.max_objectives} (lint.max_objectives)",
            )
    for o in ws.objectives:
        if o.dropped:
            continue
        krs = [k for k in o.key_results if not k.dropped]
        n = len(krs)
        if n == 0 and o.key_results and not any(not c.dropped for c in o.children):
            yield diagnostic(
                "no-key-results",
                o.plan.path,
                o.position("id"),
                f"objective '{o.id}' has no key results left: all of them are dropped; "
                "add key results that measure it, or drop it too",
            )
        elif n == 0 and not o.children:
            yield diagnostic(
                "no-key-results",
                o.plan.path,
                o.position("id"),
                f"objective '{o.id}' has no key results and nothing aligns to it; add key "
                "results that measure it",
            )
        elif n > lint.max_key_results:
            yield diagnostic(
                "too-many-key-results",
                o.plan.path,
                o.position("key_results", krs[lint.max_key_results].index),
                f"objective '{o.id}' has {n} key results; keep at most {lint.max_key_results} "
                "(lint.max_key_results)",
            )
        team = teams.get(o.team)
        if team is not None and team.parent is not None and o.objective.aligns_to is None:
            yield diagnostic(
                "unaligned-objective",
                o.plan.path,
                o.position("id"),
                f"objective '{o.id}' of team '{o.team}' aligns to nothing; add 'aligns_to:' "
                f"with an objective of '{team.parent}' or of the company",
            )


def kpis_are_fresh(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    latest: dict[str, Checkin] = {}
    for c in ws.checkins:
        if c.kind == "kpi" and c.day <= today and c.value is not None:  # a measurement
            best = latest.get(c.id)
            if best is None or c.at >= best.at:  # in reading order: a later line wins a tie
                latest[c.id] = c
    for kid, ref in ws.kpis.items():
        last = latest.get(kid)
        if last is None:
            continue
        day = last.day
        if scoring.is_stale(day, today, ref.kpi.cadence):
            yield diagnostic(
                "stale-kpi",
                ref.path,
                ref.position("id"),
                f"KPI '{kid}' is {ref.kpi.cadence} but its latest value is from "
                f"{day} ({(today - day).days} days ago); check in a fresh value",
            )


RULES: tuple[Rule, ...] = (
    settings_are_consistent,
    team_parents_exist_without_cycles,
    kpis_are_consistent,
    key_results_are_well_typed,
    key_results_fit_their_period_and_objective,
    plans_stay_focused,
    kpis_are_fresh,
)


def apply_ignore(ws: Workspace) -> None:
    """Drop the warnings okr.yaml's ``lint.ignore`` silences."""
    ignore = {c for c in ws.settings.lint.ignore if c in CODES and CODES[c][0] != ERROR}
    if ignore:
        ws.diagnostics[:] = [d for d in ws.diagnostics if d.code not in ignore]
