"""The views' plain data: the scorecard's rows and the alignment tree's nodes.

``okrcli.views`` builds them from an evaluated workspace; the renderers
(``okrcli.render.scorecard``, ``okrcli.render.tree``) only lay them out; ``to_json`` is the
JSON of SPEC §7, written by ``okrcli.machine``: ratios rounded to four decimals, whole
numbers written as integers, absent values ``None`` (``null``), times as UTC ISO 8601.

``encode`` and ``decode`` turn a view into plain JSON values and back, exactly (every
float as it is, times and days as ISO text, a tree as a flat list of nodes, so a chain
thousands of levels deep nests nothing): the form ``okrcli.kept`` keeps a report in.
This module imports nothing heavy, so a kept report is shown without loading okr's models.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from okrcli.machine import day as day_text
from okrcli.machine import number, ratio, timestamp
from okrcli.periods import Period, parse_period


@dataclass
class KRRow:
    id: str
    title: str
    type: str
    owner: str | None
    unit: str | None
    start: float | None
    target: float | None
    current: float | None
    progress: float | None
    attainment: float | None
    expected: float
    status: str
    confidence: float | None
    updated: datetime | None
    kpi: str | None
    weight: float
    updated_day: date | None = None  # the organisation's day of ``updated``
    dropped: bool | str = False  # True or the reason: shown, but counted nowhere
    note: str | None = None  # the latest note (of a value or a status update)
    owners: list[str] = field(default_factory=list)
    ambition: str = "committed"
    due: date | None = None
    min: float | None = None  # keep_between
    max: float | None = None
    aligned: list[str] = field(default_factory=list)  # objectives aligned to this KR

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "owner": self.owner,
            "unit": self.unit,
            "start": number(self.start),
            "target": number(self.target),
            "current": number(self.current),
            "progress": ratio(self.progress),
            "attainment": ratio(self.attainment),
            "expected": ratio(self.expected),
            "status": self.status,
            "confidence": self.confidence,
            "updated": timestamp(self.updated),
            "kpi": self.kpi,
            "weight": number(self.weight),
            "dropped": self.dropped,
            "note": self.note,
            "owners": self.owners,
            "ambition": self.ambition,
            "due": day_text(self.due),
            "min": number(self.min),
            "max": number(self.max),
            "aligned": self.aligned,
        }


@dataclass
class ObjectiveRow:
    id: str
    title: str
    team: str
    owner: str | None
    aligns_to: str | None
    progress: float | None
    expected: float
    status: str
    key_results: list[KRRow]
    rolled_up_from: list[str] = field(default_factory=list)  # ids, when it has no KRs
    dropped: bool | str = False
    owners: list[str] = field(default_factory=list)
    ambition: str = "committed"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "team": self.team,
            "owner": self.owner,
            "aligns_to": self.aligns_to,
            "progress": ratio(self.progress),
            "expected": ratio(self.expected),
            "status": self.status,
            "key_results": [k.to_json() for k in self.key_results],
            "rolled_up_from": self.rolled_up_from,
            "dropped": self.dropped,
            "owners": self.owners,
            "ambition": self.ambition,
        }


@dataclass
class KPIRow:
    id: str
    title: str
    owner: str | None
    unit: str | None
    direction: str | None
    cadence: str | None
    value: float | None
    target: float | None
    red: float | None
    status: str | None
    stale: bool
    updated: datetime | None
    trend: list[float]
    addressed: bool
    declining: bool
    needs_attention: bool
    status_source: str = "computed"  # or manual: a health set by a person
    status_note: str | None = None  # why, when set by hand
    min: float | None = None  # direction within
    max: float | None = None
    tolerance: float | None = None
    updated_day: date | None = None  # the organisation's day of ``updated``

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "unit": self.unit,
            "direction": self.direction,
            "cadence": self.cadence,
            "value": number(self.value),
            "target": number(self.target),
            "red": number(self.red),
            "status": self.status,
            "stale": self.stale,
            "updated": timestamp(self.updated),
            "trend": [number(v) for v in self.trend],
            "addressed": self.addressed,
            "declining": self.declining,
            "needs_attention": self.needs_attention,
            "status_source": self.status_source,
            "status_note": self.status_note,
            "min": number(self.min),
            "max": number(self.max),
            "tolerance": number(self.tolerance),
        }


@dataclass
class TeamGroup:
    id: str
    name: str
    objectives: list[ObjectiveRow]


@dataclass
class Scorecard:
    org: str
    period: Period
    as_of: date
    elapsed: float
    days_run: int
    team: str | None
    teams: list[TeamGroup]
    kpis: list[KPIRow]
    only: str | None = None  # the filters applied, in words

    @property
    def objectives(self) -> list[ObjectiveRow]:
        return [o for t in self.teams for o in t.objectives]

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "period": str(self.period),
            "first_day": self.period.first_day.isoformat(),
            "last_day": self.period.last_day.isoformat(),
            "as_of": self.as_of.isoformat(),
            "elapsed": ratio(self.elapsed),
            "team": self.team,
            "filter": self.only,
            "objectives": [o.to_json() for o in self.objectives],
            "kpis": [k.to_json() for k in self.kpis],
        }


# --- the alignment tree ----------------------------------------------------------------------


@dataclass
class TreeNode:
    id: str
    title: str
    team: str
    owner: str | None
    period: str
    progress: float | None
    expected: float
    status: str
    rolled_up: bool  # no KRs of its own: progress comes from the objectives aligned to it
    children: list[TreeNode]
    dropped: bool | str = False
    owners: list[str] = field(default_factory=list)
    ambition: str = "committed"
    key_results: list[TreeKR] = field(default_factory=list)  # KRs objectives hang under

    def own_json(self) -> dict[str, Any]:
        """This node's fields, with an empty list of children."""
        return {
            "id": self.id,
            "title": self.title,
            "team": self.team,
            "owner": self.owner,
            "period": self.period,
            "progress": ratio(self.progress),
            "expected": ratio(self.expected),
            "status": self.status,
            "rolled_up": self.rolled_up,
            "dropped": self.dropped,
            "owners": self.owners,
            "ambition": self.ambition,
            "key_results": [],
            "children": [],
        }

    def to_json(self) -> dict[str, Any]:
        return _tree_json(self)


@dataclass
class TreeKR:
    """A key result in the tree: one that objectives align to (a cascade hangs team
    objectives under a company KR), with them as its children."""

    id: str
    title: str
    type: str
    progress: float | None
    expected: float
    status: str
    children: list[TreeNode]

    def own_json(self) -> dict[str, Any]:
        """This KR's fields, with an empty list of children."""
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "progress": ratio(self.progress),
            "expected": ratio(self.expected),
            "status": self.status,
            "children": [],
        }

    def to_json(self) -> dict[str, Any]:
        return _tree_json(self)


def _tree_json(top_item: TreeNode | TreeKR) -> dict[str, Any]:
    """A node or KR and everything under it, built with an explicit stack (a tree may be
    thousands of levels deep); each list is filled in order when its owner is made."""
    top = top_item.own_json()
    pending: list[tuple[TreeNode | TreeKR, dict[str, Any]]] = [(top_item, top)]
    while pending:
        item, made = pending.pop()
        for child in item.children:
            child_made = child.own_json()
            made["children"].append(child_made)
            pending.append((child, child_made))
        if isinstance(item, TreeNode):
            for kr in item.key_results:
                kr_made = kr.own_json()
                made["key_results"].append(kr_made)
                pending.append((kr, kr_made))
    return top


@dataclass
class AlignmentTree:
    org: str
    period: Period
    as_of: date
    roots: list[TreeNode]  # objectives of top teams that align to nothing, with their trees
    unaligned: list[TreeNode]  # objectives of sub-teams that align to nothing

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "period": str(self.period),
            "as_of": self.as_of.isoformat(),
            "roots": [n.to_json() for n in self.roots],
            "unaligned": [n.to_json() for n in self.unaligned],
        }


# --- kept form: plain JSON values, exactly ---------------------------------------------------

View = Scorecard | AlignmentTree

#: Per class and the fields left out (nested rows, handled by their owners): each field's
#: name and how it is kept: "dt" a time, "d" a day, "f" a float (a non-finite one as text:
#: the cache's JSON has no NaN), "fs" a list of floats, None as it is (text, numbers,
#: flags, lists of text).
_SPECS: dict[tuple[type, tuple[str, ...]], list[tuple[str, str | None]]] = {}


def _spec(cls: type, skip: tuple[str, ...]) -> list[tuple[str, str | None]]:
    found = _SPECS.get((cls, skip))
    if found is None:
        found = []
        for f in dataclasses.fields(cls):
            if f.name in skip:
                continue
            kind = str(f.type)
            if kind.startswith("datetime"):
                found.append((f.name, "dt"))
            elif kind.startswith("date"):
                found.append((f.name, "d"))
            elif kind in ("float", "float | None"):
                found.append((f.name, "f"))
            elif kind == "list[float]":
                found.append((f.name, "fs"))
            else:
                found.append((f.name, None))
        _SPECS[(cls, skip)] = found
    return found


def _float_out(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _float_in(value: Any) -> Any:
    return float(value) if isinstance(value, str) else value


def _out(row: Any, skip: tuple[str, ...] = ()) -> list[Any]:
    values = []
    for name, kind in _spec(type(row), skip):
        value = getattr(row, name)
        if kind is None or value is None:
            values.append(value)
        elif kind == "f":
            values.append(_float_out(value))
        elif kind == "fs":
            values.append([_float_out(v) for v in value])
        else:
            values.append(value.isoformat())
    return values


def _in(cls: type, values: list[Any], skip: tuple[str, ...] = (), **nested: Any) -> Any:
    spec = _spec(cls, skip)
    if len(spec) != len(values):
        raise ValueError(f"a kept {cls.__name__} of another shape")
    fields: dict[str, Any] = nested
    for (name, kind), value in zip(spec, values, strict=True):
        if kind is None or value is None:
            fields[name] = value
        elif kind == "f":
            fields[name] = float(value) if isinstance(value, str) else value
        elif kind == "dt":
            fields[name] = datetime.fromisoformat(value)
        elif kind == "d":
            fields[name] = date.fromisoformat(value)
        else:
            fields[name] = [_float_in(v) for v in value]
    return cls(**fields)


def _period_out(period: Period) -> list[Any]:
    """A period with its fiscal calendar (the text alone names it in any calendar)."""
    return [str(period), period.fiscal_start, period.named_by_end]


def _period(kept: list[Any]) -> Period:
    text, fiscal_start, named_by_end = kept
    period = parse_period(text, int(fiscal_start), bool(named_by_end))
    if period is None:
        raise ValueError(f"a kept view of an unknown period {text!r}")
    return period


def encode(view: View) -> dict[str, Any]:
    """``view`` as plain JSON values, from which ``decode`` makes it again exactly."""
    if isinstance(view, Scorecard):
        teams = [
            [
                t.id,
                t.name,
                [
                    [_out(o, ("key_results",)), [_out(k) for k in o.key_results]]
                    for o in t.objectives
                ],
            ]
            for t in view.teams
        ]
        head = [
            _period_out(view.period),
            view.as_of.isoformat(),
            _float_out(view.elapsed),
            view.days_run,
        ]
        return {
            "scorecard": [view.org, *head, view.team, view.only],
            "teams": teams,
            "kpis": [_out(k) for k in view.kpis],
        }
    # the tree, flat: each node after its parent, as (parent's index, list, its fields)
    nodes: list[list[Any]] = []
    order: deque[tuple[int, str, TreeNode | TreeKR]] = deque()
    order.extend((-1, "roots", n) for n in view.roots)
    order.extend((-1, "unaligned", n) for n in view.unaligned)
    while order:
        parent, where, item = order.popleft()
        index = len(nodes)
        if isinstance(item, TreeNode):
            nodes.append([parent, where, "o", _out(item, ("children", "key_results"))])
            order.extend((index, "key_results", k) for k in item.key_results)
        else:
            nodes.append([parent, where, "k", _out(item, ("children",))])
        order.extend((index, "children", c) for c in item.children)
    head = [view.org, _period_out(view.period), view.as_of.isoformat()]
    return {"tree": head, "nodes": nodes}


_PLACES: dict[type, tuple[str, ...]] = {
    TreeNode: ("children", "key_results"),
    TreeKR: ("children",),
}


def decode(kept: dict[str, Any]) -> View:
    """The view ``encode`` made ``kept`` from; ``ValueError`` (or ``KeyError``,
    ``TypeError``) for anything else."""
    if "scorecard" in kept:
        org, period, as_of, elapsed, days_run, team, only = kept["scorecard"]
        teams = [
            TeamGroup(
                tid,
                name,
                [
                    _in(
                        ObjectiveRow,
                        o,
                        ("key_results",),
                        key_results=[_in(KRRow, k) for k in krs],
                    )
                    for o, krs in objectives
                ],
            )
            for tid, name, objectives in kept["teams"]
        ]
        kpis = [_in(KPIRow, k) for k in kept["kpis"]]
        day = date.fromisoformat(as_of)
        return Scorecard(
            org, _period(period), day, _float_in(elapsed), days_run, team, teams, kpis, only
        )
    org, period, as_of = kept["tree"]
    tree = AlignmentTree(org, _period(period), date.fromisoformat(as_of), [], [])
    made: list[TreeNode | TreeKR] = []
    for parent, where, kind, values in kept["nodes"]:
        if kind == "o":
            item: TreeNode | TreeKR = _in(
                TreeNode, values, ("children", "key_results"), children=[], key_results=[]
            )
        elif kind == "k":
            item = _in(TreeKR, values, ("children",), children=[])
        else:
            raise ValueError(f"a kept tree node of an unknown kind {kind!r}")
        if parent == -1 and where in ("roots", "unaligned"):
            owner: Any = tree
        elif 0 <= parent < len(made) and where in _PLACES[type(made[parent])]:
            owner = made[parent]
        else:
            raise ValueError("a kept tree node out of place")
        getattr(owner, where).append(item)
        made.append(item)
    return tree
