"""Planning a period: the unfinished objectives and key results of another period,
carried over into new plan files (``okr plan``).

For each team with a plan in the source period, a plan for the target period carries
over every objective and key result that was not done as of the source period's last
day.  A carried increase/decrease KR starts from its last value with the same target; a
YAML comment above each item says where it came from.  Files are only ever created new.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from okrcli import machine
from okrcli.errors import InputError
from okrcli.evaluate import Evaluator, KRResult
from okrcli.files import create_new
from okrcli.periods import Period
from okrcli.workspace import ObjectiveRef, Workspace
from okrcli.yamlsource import resolve_plain

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.,()/%$&+'-]*")


def scalar(value: object) -> str:
    """A YAML scalar for ``value``: plain where that reads back as the same text, else
    double-quoted (JSON strings are YAML double-quoted scalars)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(machine.number(float(value)))
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and resolve_plain(text) == text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def owner_yaml(owner: str | list[str]) -> str:
    """``alice`` or ``[alice, bob]``."""
    if isinstance(owner, str):
        return scalar(owner)
    return "[" + ", ".join(scalar(name) for name in owner) + "]"


def progress_text(progress: float | None) -> str:
    """``progress 0.42`` (two decimals, rounded half up like every share), or ``no data``."""
    if progress is None:
        return "no data"
    return f"progress {math.floor(progress * 100 + 0.5) / 100:.2f}"


@dataclass
class Carried:
    ref: ObjectiveRef
    progress: float | None
    krs: list[KRResult]
    left: list[KRResult] = field(default_factory=list)  # done KRs left behind
    new_id: str = ""


@dataclass
class TeamPlan:
    team: str
    path: str  # workspace-relative path of the file to write
    objectives: list[Carried]
    text: str = ""


def _done_objectives(ws: Workspace, ev: Evaluator, source: Period) -> dict[str, Carried | None]:
    """Objective id -> Carried (not done) or None (done, left behind)."""
    decided: dict[str, Carried | None] = {}
    pending: list[ObjectiveRef] = []
    for ref in ws.objectives_in(source):
        result = ev.objective(ref)
        if ref.dropped:  # dropped work is not carried over
            decided[ref.id] = None
            continue
        if not ref.key_results:
            pending.append(ref)
            continue
        krs = [ev.key_result(k) for k in ref.key_results]
        open_krs = [r for r in krs if r.status not in ("done", "dropped")]
        done_krs = [r for r in krs if r.status in ("done", "dropped")]
        decided[ref.id] = Carried(ref, result.progress, open_krs, done_krs) if open_krs else None
    # objectives without KRs of their own roll up from their children: carry one over
    # only while it is not done and some child of the source period is carried over
    changed = True
    while changed:
        changed = False
        for ref in pending:
            if ref.id in decided:
                continue
            result = ev.objective(ref)
            kids = [c for c in ref.children if c.period == source]
            if result.status == "done":
                decided[ref.id] = None
                changed = True
            elif any(decided.get(c.id) is not None for c in kids if not c.dropped):
                decided[ref.id] = Carried(ref, result.progress, [])
                changed = True
            elif all(c.id in decided for c in kids):
                decided[ref.id] = None
                changed = True
    for ref in pending:
        decided.setdefault(ref.id, None)
    return decided


def _unique(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


@dataclass
class PlanDraft:
    """The plan files ``okr plan`` would write, and what it leaves as it is."""

    source: Period
    target: Period
    plans: list[TeamPlan]
    kept: list[tuple[str, str]]  # (team, path): a plan for the target exists
    nothing: list[str]  # teams with nothing left to carry over
    left_behind: list[str]  # 'objective X (team)', 'KR Y (team)': done in the source
    renamed: dict[str, str]  # objective ids taken in the target -> the new ids
    renamed_krs: dict[str, str]


def draft_plan(ws: Workspace, source: Period, target: Period) -> PlanDraft:
    """Every team's carried-over plan for ``target``, judged as of ``source``'s last day."""
    source_teams = [p.plan.team for p in ws.plans if p.period == source]
    if not source_teams:
        have = ", ".join(str(p) for p in ws.periods()) or "none"
        raise InputError(
            f"there is no plan for {source} to start {target} from "
            f"(periods with plans: {have}); name one with --from"
        )
    ev = Evaluator(ws, source.last_day)
    decided = _done_objectives(ws, ev, source)
    existing = {p.plan.team: p.path for p in ws.plans if p.period == target}
    taken = {o.id for o in ws.objectives_in(target)} | {k.id for k in ws.key_results_in(target)}
    taken |= set(ws.kpis)

    plans: list[TeamPlan] = []
    kept: list[tuple[str, str]] = []
    left_behind: list[str] = []
    nothing: list[str] = []
    for team in dict.fromkeys(source_teams):
        refs = [o for o in ws.objectives_in(source) if o.team == team]
        carried = [c for c in (decided.get(o.id) for o in refs) if c is not None]
        for o in refs:
            c = decided.get(o.id)
            if c is None:
                left_behind.append(f"objective {o.id} ({team}{', dropped' if o.dropped else ''})")
            else:
                left_behind.extend(
                    f"KR {r.id} ({team}{', dropped' if r.status == 'dropped' else ''})"
                    for r in c.left
                )
        if team in existing:
            kept.append((team, existing[team]))
            continue
        if not carried:
            nothing.append(team)
            continue
        plans.append(TeamPlan(team, f"okrs/{target}/{team}.yaml", carried))

    # ids stay unique in the new period: the same ids are fine unless a plan that is
    # already there uses them
    renamed: dict[str, str] = {}
    for plan in plans:
        for c in plan.objectives:
            c.new_id = _unique(c.ref.id, taken)
            taken.add(c.new_id)
            if c.new_id != c.ref.id:
                renamed[c.ref.id] = c.new_id
    kr_ids: dict[tuple[str, str], str] = {}
    renamed_krs: dict[str, str] = {}
    for plan in plans:
        for c in plan.objectives:
            for r in c.krs:
                new = _unique(r.id, taken)
                taken.add(new)
                kr_ids[(c.ref.id, r.id)] = new
                if new != r.id:
                    renamed_krs[r.id] = new

    # what an objective may align to in the target: the objectives and KRs carried over
    # (under their new ids) and those already planned there or in its year
    carried_ids = {c.ref.id: c.new_id for p in plans for c in p.objectives}
    carried_ids.update({kid: new for (_, kid), new in kr_ids.items()})
    target_objectives = {o.id for o in ws.objectives_in(target)}
    target_objectives |= {k.id for k in ws.key_results_in(target)}
    year_objectives: set[str] = set()
    if not target.is_year:
        year = target.year_period
        year_objectives = {o.id for o in ws.objectives_in(year)}
        year_objectives |= {k.id for k in ws.key_results_in(year)}
    for plan in plans:
        plan.text = _render(
            ws, plan, source, target, carried_ids, target_objectives, year_objectives, kr_ids
        )
        _check(plan)
    return PlanDraft(source, target, plans, kept, nothing, left_behind, renamed, renamed_krs)


def write_plan(root: Path, draft: PlanDraft) -> list[bool]:
    """Create each drafted file (never replacing one); per plan, whether it was written."""
    return [create_new(root / plan.path, plan.text) for plan in draft.plans]


def _render(
    ws: Workspace,
    plan: TeamPlan,
    source: Period,
    target: Period,
    carried_ids: dict[str, str],
    target_objectives: set[str],
    year_objectives: set[str],
    kr_ids: dict[tuple[str, str], str],
) -> str:
    lines = [
        f"# Started by 'okr plan {target}' from {source}: the objectives and key results",
        f"# not done by {source.last_day}, each carried over from its last value.",
        "# Review, edit and commit.",
        f"team: {scalar(plan.team)}",
        "objectives:",
    ]
    for c in plan.objectives:
        o = c.ref.objective
        note = f"carried over from {source} ({progress_text(c.progress)})"
        if c.new_id != o.id:
            note += f"; was '{o.id}', which is already used in {target}"
        lines.append(f"  # {note}")
        done = ", ".join(r.id for r in c.left if r.status != "dropped")
        if done:
            lines.append(f"  # left behind, done in {source}: {done}")
        dropped = ", ".join(r.id for r in c.left if r.status == "dropped")
        if dropped:
            lines.append(f"  # left behind, dropped in {source}: {dropped}")
        lines.append(f"  - id: {scalar(c.new_id)}")
        lines.append(f"    title: {scalar(o.title)}")
        if o.description is not None:
            lines.append(f"    description: {scalar(o.description)}")
        if o.owner is not None:
            lines.append(f"    owner: {owner_yaml(o.owner)}")
        if o.ambition is not None:
            lines.append(f"    ambition: {o.ambition}")
        if o.aligns_to is not None:
            lines.extend(
                _alignment(
                    o.aligns_to, source, target, carried_ids, target_objectives, year_objectives
                )
            )
        if c.krs:
            lines.append("    key_results:")
        for r in c.krs:
            lines.extend(_key_result(r, source, target, kr_ids[(o.id, r.id)]))
    return "\n".join(lines) + "\n"


def _alignment(
    parent: str,
    source: Period,
    target: Period,
    carried_ids: dict[str, str],
    target_objectives: set[str],
    year_objectives: set[str],
) -> list[str]:
    if parent in carried_ids:
        return [f"    aligns_to: {scalar(carried_ids[parent])}"]
    if parent in target_objectives or parent in year_objectives:
        return [f"    aligns_to: {scalar(parent)}"]
    scope = f"{target}" if target.is_year else f"{target} or {target.year_period}"
    return [
        f"    # aligns_to: {parent} was dropped: it is no objective or key result of {scope}",
        f"    # (it was not carried over from {source}); align this objective again",
    ]


def _key_result(r: KRResult, source: Period, target: Period, new_id: str) -> list[str]:
    kr = r.ref.kr
    note = f"carried over from {source} ({progress_text(r.progress)}"
    start = kr.start
    if r.current is None:
        note += "; never measured"
        if kr.start is not None:
            note += f", start kept at {scalar(kr.start)}"
        elif kr.kpi is not None and r.type in ("increase", "decrease"):
            note += f"; start: the KPI's latest value at {target.first_day}"
    elif r.type in ("increase", "decrease"):
        if kr.start is not None and r.current is not None:
            start = r.current
            note += f"; start was {scalar(kr.start)}, last value {scalar(r.current)}"
        elif kr.kpi is not None:
            note += f"; start: the KPI's latest value at {target.first_day}"
    elif r.type == "milestone" and r.current:
        note += f"; check in {scalar(r.current)} to keep what was done"
    elif r.current is not None:
        note += f"; last value {scalar(r.current)}"
    note += ")"
    if new_id != kr.id:
        note += f"; was '{kr.id}', which is already used in {target}"
    lines = [f"      # {note}", f"      - id: {scalar(new_id)}"]
    lines.append(f"        title: {scalar(kr.title)}")
    if kr.description is not None:
        lines.append(f"        description: {scalar(kr.description)}")
    if kr.type is not None:
        lines.append(f"        type: {kr.type}")
    if kr.kpi is not None:
        lines.append(f"        kpi: {scalar(kr.kpi)}")
    if start is not None:
        lines.append(f"        start: {scalar(start)}")
    if kr.target is not None:
        lines.append(f"        target: {scalar(kr.target)}")
    if kr.min is not None:
        lines.append(f"        min: {scalar(kr.min)}")
    if kr.max is not None:
        lines.append(f"        max: {scalar(kr.max)}")
    if kr.unit is not None:
        lines.append(f"        unit: {scalar(kr.unit)}")
    if kr.weight != 1:
        lines.append(f"        weight: {scalar(kr.weight)}")
    if kr.owner is not None:
        lines.append(f"        owner: {owner_yaml(kr.owner)}")
    if kr.ambition is not None:
        lines.append(f"        ambition: {kr.ambition}")
    if kr.due is not None:
        lines.append(f"        # due: {kr.due} was a day of {source}; give one inside {target}")
    return lines


def _check(plan: TeamPlan) -> None:
    """The text written must read back as a valid plan (a failure here is a bug)."""
    from okrcli.models import Plan
    from okrcli.yamlsource import parse

    doc = parse(plan.text, plan.path)
    if doc.diagnostics:
        raise RuntimeError(f"okr plan produced an unreadable file: {doc.diagnostics[0]}")
    Plan.model_validate(doc.data)
