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
from okrcli.layout import journal_month
from okrcli.models import KeyResult, Objective, kr_type, old_ids
from okrcli.periods import Period
from okrcli.suggest import Suggester
from okrcli.workspace import Checkin, KeyResultRef, ObjectiveRef, PlanFile, Workspace, target_of
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
    link_renames(ws, report)
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
            declared = ws.period(plan.period)
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
            places = _kr_places(pf, oref.index, obj) if pf.indices is not None else None
            for ki, kr in enumerate(obj.key_results):
                place = ki if places is None else places[ki]
                kref = KeyResultRef(kr, oref, place, kr_type(kr))
                _claim_id(ws, report, ids_seen, kref, pf.period, "KR")
                oref.key_results.append(kref)
                ws.key_results.append(kref)


def _kr_places(pf: PlanFile, index: int, obj: Objective) -> list[int]:
    """Where each KR of ``obj`` (objective ``index`` of a file that did not validate as a
    whole) stands in the file: broken KRs were left out, so the kept ones are matched to
    the file's list by id, in order."""
    raw = pf.data.get("objectives") if isinstance(pf.data, dict) else None
    entry = raw[index] if isinstance(raw, list) and index < len(raw) else None
    items = entry.get("key_results") if isinstance(entry, dict) else None
    if not isinstance(items, list):
        return list(range(len(obj.key_results)))
    places: list[int] = []
    j = 0
    for kr in obj.key_results:
        while j < len(items) and not (isinstance(items[j], dict) and items[j].get("id") == kr.id):
            j += 1
        places.append(j if j < len(items) else len(places))
        j += 1
    return places


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


def _item(ref: ObjectiveRef | KeyResultRef) -> Objective | KeyResult:
    return ref.objective if isinstance(ref, ObjectiveRef) else ref.kr


def _what(ref: ObjectiveRef | KeyResultRef) -> str:
    return "objective" if isinstance(ref, ObjectiveRef) else "KR"


def link_renames(ws: Workspace, report: Report) -> None:
    """``was:`` old ids: each becomes another name of its objective or KR in its period, so
    check-ins recorded under it belong to the renamed one.  An old id may not name
    anything else in the period (nor a KPI), may be claimed once, and renames may not
    loop."""
    in_use: dict[tuple[Period, str], ObjectiveRef | KeyResultRef] = {}
    refs: list[ObjectiveRef | KeyResultRef] = [*ws.objectives, *ws.key_results]
    for ref in refs:
        in_use.setdefault((ref.period, ref.id), ref)
    claimed: dict[tuple[Period, str], ObjectiveRef | KeyResultRef] = {}
    for ref in refs:
        item = _item(ref)
        olds = old_ids(item)
        for i, old in enumerate(olds):
            pos = ref.position("was") if isinstance(item.was, str) else ref.position("was", i)
            path, key = _path_of(ref), (ref.period, old)
            other = in_use.get(key)
            if old == ref.id:
                report("rename", path, pos, f"'{ref.id}' names itself in 'was:'; remove it")
            elif other is not None:
                loop = _rename_loop(ref, old, in_use)
                if loop:
                    report(
                        "rename",
                        path,
                        pos,
                        f"renames loop: {' → '.join(loop)}; 'was:' names the id an objective "
                        "or KR had before, so one of them must go",
                    )
                else:
                    report(
                        "rename",
                        path,
                        pos,
                        f"'was: {old}' names an id still in use in {ref.period}: "
                        f"{_what(other)} '{old}' at {_path_of(other)}:{other.position('id')[0]}; "
                        "an old id may not name anything else in the period",
                    )
            elif old in ws.kpis:
                report(
                    "rename",
                    path,
                    pos,
                    f"'was: {old}' names a KPI; an objective or KR can only have been renamed "
                    "from another objective or KR id",
                )
            elif key in claimed:
                first = claimed[key]
                report(
                    "rename",
                    path,
                    pos,
                    f"'{old}' is claimed as an old id by {_what(first)} '{first.id}' too "
                    f"({_path_of(first)}:{first.position('id')[0]}); check-ins of '{old}' "
                    "can belong to one of them only",
                )
            else:
                claimed[key] = ref
                if isinstance(ref, KeyResultRef):
                    ws.renamed[key] = ref
                else:
                    ws.renamed_objectives[key] = ref


def _rename_loop(
    ref: ObjectiveRef | KeyResultRef,
    old: str,
    in_use: dict[tuple[Period, str], ObjectiveRef | KeyResultRef],
) -> list[str]:
    """The ids of a loop of renames from ``ref`` through ``old`` back to it, or []."""
    chain = [ref.id, old]
    current = in_use.get((ref.period, old))
    seen = {ref.id}
    while current is not None and current.id not in seen:
        seen.add(current.id)
        nxt = next((o for o in old_ids(_item(current)) if (ref.period, o) in in_use), None)
        if nxt is None:
            return []
        chain.append(nxt)
        if nxt == ref.id:
            return chain
        current = in_use.get((ref.period, nxt))
    return []


def link_alignment(ws: Workspace, report: Report) -> None:
    """Each objective's ``aligns_to``: an objective, or a key result (then the objective
    hangs under that KR, and a ``rollup`` KR takes its progress from what hangs there), of
    its period or the enclosing year.  Dangling references and cycles are reported."""
    by_id: dict[tuple[Period, str], ObjectiveRef] = {}
    for o in ws.objectives:
        by_id.setdefault((o.period, o.id), o)

    def find(period: Period, target: str) -> tuple[ObjectiveRef | None, KeyResultRef | None]:
        parent = by_id.get((period, target)) or ws.renamed_objectives.get((period, target))
        if parent is not None:
            return parent, None
        kr = ws.key_result(target, period)
        return (kr.objective, kr) if kr is not None else (None, None)

    # one index of names per scope (a period with its year), built when first needed
    scopes: dict[tuple[Period, Period], Suggester] = {}
    for o in ws.objectives:
        target = o.objective.aligns_to
        if target is None:
            continue
        parent, parent_kr = find(o.period, target)
        if parent is None and not o.period.is_year:
            parent, parent_kr = find(o.period.year_period, target)
        if parent is None and ws.may_exist(target):
            continue
        if parent is None:
            scope = f"{o.period}" if o.period.is_year else f"{o.period} or {o.period.year_period}"
            around = (o.period, o.period.year_period)
            known = scopes.get(around)
            if known is None:
                in_scope = [i for (p, i) in by_id if p in around]
                in_scope += [k.id for k in ws.key_results if k.period in around]
                known = scopes[around] = Suggester(in_scope)
            report(
                "unknown-objective",
                o.plan.path,
                o.position("aligns_to"),
                f"objective '{o.id}' aligns to '{target}', which is no objective or key "
                f"result of {scope}{known.suggest(target)}",
            )
            continue
        o.parent, o.parent_kr = parent, parent_kr
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
                via_kr = any(c.parent_kr is not None for c in cycle)
                if via_kr:  # name the KRs on the loop too
                    names = ", ".join(
                        f"{c.id} aligns to "
                        + (f"KR {c.parent_kr.id} of " if c.parent_kr else "")
                        + (c.parent.id if c.parent else "?")
                        for c in cycle
                    )
                else:
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
            if o.parent_kr is not None:
                o.parent_kr.aligned.append(o)
            else:
                o.parent.children.append(o)
    for o in ws.objectives:
        if id(o) in reported:
            o.parent = o.parent_kr = None


def link_checkins(ws: Workspace, report: Report, today: date) -> None:
    """Resolve each check-in to its KR or KPI; report what cannot be resolved."""
    resolver = TargetResolver(ws)
    months: dict[str, tuple[int, int] | None] = {}
    for c in ws.checkins:
        if not _resolve(ws, report, resolver, c):
            continue
        if c.day > today:
            report(
                "future-checkin",
                c.path,
                ws.journal_position(c.path, c.index, "at", c.line),
                f"the check-in for '{c.id}' is dated {c.at.isoformat()}, after today ({today})",
            )
        if c.period is not None and c.target_period is not None:
            begins = c.target_period.first_day
            if c.day < begins:
                report(
                    "checkin-before-period",
                    c.path,
                    ws.journal_position(c.path, c.index, "at", c.line),
                    f"the check-in for '{c.id}' names period {c.target_period} but is dated "
                    f"{c.day}, before that period began ({begins}); check its date and its "
                    "period",
                )
        if c.path not in months:
            months[c.path] = journal_month(c.path)
        if (c.day.year, c.day.month) != months[c.path]:
            _misfiled(ws, report, c)


def _resolve(ws: Workspace, report: Report, resolver: TargetResolver, c: Checkin) -> bool:
    """Resolve ``c`` in place (its kind and period); False, reported, if it cannot be."""
    try:
        kind, period, kref = resolver.resolve(c.id, c.period, c.day)
        if kref is not None:
            if c.value is not None:
                resolver.check_value(kref, c.value)
            if c.health is not None:
                raise Unresolved(
                    "checkin-value",
                    "health",
                    f"'{c.id}' is a key result; 'health' is a person's judgement of a KPI. "
                    "For a key result, give a 'confidence' (0 to 1) or a 'note'",
                )
        elif isinstance(c.value, bool):
            raise Unresolved(
                "checkin-value", "value", f"KPI '{c.id}' takes a number, not {str(c.value).lower()}"
            )
    except Unresolved as u:
        if u.code:
            report(u.code, c.path, ws.journal_position(c.path, c.index, u.field, c.line), u.message)
        return False
    if kref is not None and kref.kr.kpi is not None:
        report(
            "checkin-linked-kr",
            c.path,
            ws.journal_position(c.path, c.index, "id", c.line),
            f"KR '{c.id}' takes its values from KPI '{kref.kr.kpi}', so this check-in is "
            f"not used; check in '{kref.kr.kpi}' instead",
        )
    # under the KR's id now when recorded under an old one (was:)
    c.target = target_of(kind, period, kref.id if kref is not None and kref.id != c.id else None)
    return True


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
        for period, old in ws.renamed:  # an old id (was:) names the renamed KR
            self.periods_of[old].append(period)
        self._plans: dict[tuple[str, str | None], Period | tuple[Period, ...] | Unresolved] = {}
        self._unknown: dict[str, Unresolved] = {}  # by id: said once, however many records
        self._names: Suggester | None = None

    def resolve(
        self, id_: str, period: str | None, day: date
    ) -> tuple[Literal["kr", "kpi"], Period | None, KeyResultRef | None]:
        """('kpi', None, None) or ('kr', period, the KR); ``Unresolved`` if neither."""
        if id_ in self.ws.kpis:
            if period is not None:
                raise Unresolved(
                    "checkin-period",
                    "period",
                    f"'{id_}' is a KPI, and KPI values take no period; "
                    f"leave out {self.period_name}",
                )
            return "kpi", None, None
        chosen = self._period(id_, period, day)
        kref = self.ws.key_result(id_, chosen)
        assert kref is not None
        return "kr", chosen, kref

    def _period(self, id_: str, period: str | None, day: date) -> Period:
        # what an (id, named period) resolves to is worked out once: a period, the
        # candidate periods narrowest first, or why it cannot resolve
        plan = self._plans.get((id_, period))
        if plan is None:
            plan = self._plans[(id_, period)] = self._plan(id_, period)
        if isinstance(plan, Period):
            return plan
        if isinstance(plan, Unresolved):
            raise Unresolved(plan.code, plan.field, plan.message)
        for p in plan:
            if p.first_day <= day <= p.last_day:
                return p
        raise Unresolved(
            "checkin-period",
            "at",
            f"{day} is outside every period of KR '{id_}' ({self._listed(id_)}); give "
            f"{self.period_name} to say which plan the value belongs to",
        )

    def _listed(self, id_: str) -> str:
        return ", ".join(str(p) for p in sorted(self.periods_of.get(id_, [])))

    def _plan(self, id_: str, period: str | None) -> Period | tuple[Period, ...] | Unresolved:
        periods = self.periods_of.get(id_)
        if not periods:
            known = self._unknown.get(id_)
            if known is None:
                known = self._unknown[id_] = self._no_such_kr(id_)
            return known
        if period is not None:
            chosen = self.ws.period(period)
            if chosen is None or chosen not in periods:
                return Unresolved(
                    "checkin-period",
                    "period",
                    f"KR '{id_}' is not planned in {period}; it is planned in {self._listed(id_)}",
                )
            return chosen
        # the narrowest period containing the day wins (the first listed on a tie)
        return tuple(sorted(periods, key=lambda p: p.total_days))

    def orphans(self) -> dict[str, int]:
        """How many check-ins name each id (counted once, for messages)."""
        found: dict[str, int] | None = self.__dict__.get("_orphans")
        if found is None:
            found = {}
            for c in self.ws.checkins:
                found[c.id] = found.get(c.id, 0) + 1
            self.__dict__["_orphans"] = found
        return found

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
            hint = self._names.suggest(id_)
            what = f"no KR or KPI has the id '{id_}'{hint}"
            orphans = self.orphans().get(id_, 0)
            # no id close to it: not a typo; perhaps a KR renamed without was:
            if orphans and not hint and self.period_name == "'period:'":
                what += (
                    f"; {orphans} check-in{'s' if orphans != 1 else ''} in the journal "
                    f"name{'s' if orphans == 1 else ''} it: if its KR was renamed, add "
                    f"'was: {id_}' to the KR it is now"
                )
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
    month = f"{c.day.year:04d}-{c.day.month:02d}"
    if journal_month(c.path) is not None:
        report(
            "checkin-file",
            c.path,
            ws.journal_position(c.path, c.index, "at", c.line),
            f"this check-in is dated {month} but sits in {c.path}; okr reads it all the "
            f"same, but new check-ins of {month} go to checkins/{month}.yaml",
        )
