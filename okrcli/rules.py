"""The rules: every check of a linked workspace that only reads it.

Each rule is a function ``(workspace, today) -> diagnostics``, pure, named after what it
demands of the files; ``RULES`` lists them all, and ``okrcli.loader`` runs them after
reading and linking.  A new lint rule is a new function here, added to ``RULES``, with
its code in ``okrcli.diagnostics.CODES`` and a line in ``docs/diagnostics.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from okrcli.diagnostics import CODES, ERROR, Diagnostic
from okrcli.quickcheck import stale_kpi
from okrcli.scoring import is_stale
from okrcli.suggest import Suggester, suggest
from okrcli.workspace import US_PER_DAY, Checkin, KeyResultRef, Workspace, day_number
from okrcli.yamlsource import Pos, locate

Rule = Callable[[Workspace, date], Iterable[Diagnostic]]


def diagnostic(code: str, path: str, pos: Pos, message: str) -> Diagnostic:
    return Diagnostic(code, path, pos[0], pos[1], message)


# --- okr.yaml ---------------------------------------------------------------------------


def settings_are_consistent(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    if not ws.settings_ok:
        return
    s, data = ws.settings, ws.settings_data
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
        if kpi.target is not None and kpi.red is not None:
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


def key_results_are_well_typed(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    kpi_names = Suggester(ws.kpis)
    for k in ws.key_results:
        kr = k.kr
        path = k.objective.plan.path

        def bad(message: str, *loc: str, _path: str = path, _k: KeyResultRef = k) -> Diagnostic:
            return diagnostic(
                "kr-type", _path, _k.position(*loc) if loc else _k.position(), message
            )

        if kr.kpi is not None and kr.kpi not in ws.kpis and not ws.may_exist(kr.kpi):
            yield diagnostic(
                "unknown-kpi",
                path,
                k.position("kpi"),
                f"KR '{kr.id}' links to KPI '{kr.kpi}', which no file under kpis/ defines"
                f"{kpi_names.suggest(kr.kpi)}",
            )
        t = k.type
        if t is None:
            if kr.start is not None and kr.target is not None:
                yield bad(
                    f"KR '{kr.id}' has start equal to target ({kr.target}); give a different "
                    "target, or 'type: keep_above'/'keep_below' to hold a level",
                    "target",
                )
            elif kr.kpi is not None and kr.target is not None:
                yield bad(
                    f"KR '{kr.id}' is linked to a KPI and has a target but no start: name its "
                    "type (increase, decrease, keep_above or keep_below)",
                )
            elif kr.target is not None:
                yield bad(
                    f"KR '{kr.id}' has a target but no start: add 'start:' or name its type "
                    "(keep_above/keep_below)",
                )
            else:
                yield bad(f"KR '{kr.id}' has a start but no target: add 'target:'")
            continue
        if t == "milestone":
            extra = [n for n in ("start", "target", "kpi") if getattr(kr, n) is not None]
            if extra:
                yield bad(
                    f"KR '{kr.id}' is a milestone, which takes no {', '.join(extra)}; "
                    "remove it or choose another type",
                    extra[0],
                )
            continue
        if kr.target is None:
            yield bad(f"KR '{kr.id}' of type {t} needs a 'target:'")
            continue
        if t in ("increase", "decrease"):
            if kr.start is None:
                if kr.kpi is None:
                    yield bad(f"KR '{kr.id}' of type {t} needs a 'start:' (or a linked 'kpi:')")
                continue
            if t == "increase" and kr.target <= kr.start:
                yield bad(
                    f"KR '{kr.id}' is 'increase' but its target ({kr.target}) is not above its "
                    f"start ({kr.start}); use 'decrease' or fix the numbers",
                    "type" if kr.type else "target",
                )
            if t == "decrease" and kr.target >= kr.start:
                yield bad(
                    f"KR '{kr.id}' is 'decrease' but its target ({kr.target}) is not below its "
                    f"start ({kr.start}); use 'increase' or fix the numbers",
                    "type" if kr.type else "target",
                )


def plans_stay_focused(ws: Workspace, today: date) -> Iterator[Diagnostic]:
    lint = ws.settings.lint
    teams = ws.settings.teams
    for pf in ws.plans:
        if pf.period is None:
            continue
        objectives = pf.plan.objectives
        if len(objectives) > lint.max_objectives:
            yield diagnostic(
                "too-many-objectives",
                pf.path,
                pf.position("objectives", lint.max_objectives),
                f"team '{pf.plan.team}' has {len(objectives)} objectives in {pf.period}; "
                f"focus on at most {lint.max_objectives} (lint.max_objectives)",
            )
    for o in ws.objectives:
        n = len(o.key_results)
        if n == 0 and not o.children:
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
                o.position("key_results", lint.max_key_results),
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
    last_day = day_number(today)
    for c in ws.checkins:
        t = c.target
        if t is not None and t[0] == "kpi" and c.ts // US_PER_DAY <= last_day:
            best = latest.get(c.id)
            if best is None or c.ts >= best.ts:  # a later line wins a tie
                latest[c.id] = c
    for kid, ref in ws.kpis.items():
        last = latest.get(kid)
        if last is None:
            continue
        day = last.day
        if is_stale(day, today, ref.kpi.cadence):
            found = stale_kpi(kid, ref.kpi.cadence, day, today, ref.path, ref.position("id"))
            if found is not None:
                yield found


RULES: tuple[Rule, ...] = (
    settings_are_consistent,
    team_parents_exist_without_cycles,
    kpis_are_consistent,
    key_results_are_well_typed,
    plans_stay_focused,
    kpis_are_fresh,
)
# The rules that read the check-ins.  ``okrcli.quickcheck`` computes these again when a
# journal file changes and keeps every other rule's result with the definitions (a test
# makes sure no other rule reads ``ws.checkins``): a new rule over check-ins goes here
# and into quickcheck.
JOURNAL_RULES: tuple[Rule, ...] = (kpis_are_fresh,)


def apply_ignore(ws: Workspace) -> None:
    """Drop the warnings okr.yaml's ``lint.ignore`` silences."""
    ignore = {c for c in ws.settings.lint.ignore if c in CODES and CODES[c][0] != ERROR}
    if ignore:
        ws.diagnostics[:] = [d for d in ws.diagnostics if d.code not in ignore]
