"""The workspace: every file of a goal repository, validated and cross-referenced.

``okrcli.loader.load_workspace`` builds one; ``okrcli.link`` fills in the references
(alignment parents, check-in targets) and the diagnostics.  Everything here is plain data
plus look-ups; nothing reads files or computes scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from okrcli.diagnostics import Diagnostic, count
from okrcli.journal import value_column
from okrcli.models import KPI, KeyResult, Objective, Plan, Settings, due_day, owners_of
from okrcli.periods import Period
from okrcli.yamlsource import MarkedList, Pos, locate, parse, read_document

DEFAULT_SETTINGS = Settings(version=1, org="", teams={})


class Source:
    """A file's marked YAML data, for positions.  A file that came from the parse cache is
    read again only when a diagnostic needs a place in it."""

    def __init__(self, root: Path, rel: str, data: Any = None) -> None:
        self.root, self.rel, self._data = root, rel, data

    @property
    def data(self) -> Any:
        if self._data is None:
            self._data = read_document(self.root, self.rel).data
        return self._data


@dataclass(eq=False)
class PlanFile:
    path: str
    period: Period | None
    plan: Plan
    source: Source
    indices: list[int] | None = None  # objectives' places in the file, if some were invalid

    @property
    def data(self) -> Any:
        return self.source.data

    def objective_index(self, i: int) -> int:
        return i if self.indices is None else self.indices[i]

    def position(self, *loc: Any, key: bool = False) -> Pos:
        return locate(self.data, loc, key=key)


@dataclass(eq=False)
class ObjectiveRef:
    objective: Objective
    team: str
    period: Period
    plan: PlanFile
    index: int
    key_results: list[KeyResultRef] = field(default_factory=list)
    # the objective it aligns to, once resolved (for an alignment to a KR: that KR's
    # objective, and ``parent_kr`` the KR)
    parent: ObjectiveRef | None = None
    parent_kr: KeyResultRef | None = None
    children: list[ObjectiveRef] = field(default_factory=list)  # aligned to it directly

    @property
    def id(self) -> str:
        return self.objective.id

    @property
    def owners(self) -> list[str]:
        return owners_of(self.objective.owner)

    @property
    def owner(self) -> str | None:
        """The first owner (``owners`` lists them all)."""
        found = self.owners
        return found[0] if found else None

    @property
    def ambition(self) -> str:
        """committed (the default) or aspirational."""
        return self.objective.ambition or "committed"

    @property
    def dropped(self) -> bool | str:
        """False, or True / the reason when the objective is dropped."""
        return self.objective.dropped or False

    def position(self, *loc: Any, key: bool = False) -> Pos:
        return self.plan.position("objectives", self.index, *loc, key=key)


@dataclass(eq=False)
class KeyResultRef:
    kr: KeyResult
    objective: ObjectiveRef
    index: int
    type: str | None  # declared or inferred; None when it cannot be told (an error)
    broken: bool = False  # its definition has an error: left out of every figure
    aligned: list[ObjectiveRef] = field(default_factory=list)  # objectives aligned to it

    @property
    def id(self) -> str:
        return self.kr.id

    @property
    def period(self) -> Period:
        return self.objective.period

    @property
    def owners(self) -> list[str]:
        """Its own owners, else its objective's."""
        return owners_of(self.kr.owner) or self.objective.owners

    @property
    def owner(self) -> str | None:
        found = self.owners
        return found[0] if found else None

    @property
    def ambition(self) -> str:
        """Its own (if stated), else its objective's."""
        return self.kr.ambition or self.objective.ambition

    @property
    def due(self) -> date | None:
        return due_day(self.kr)

    @property
    def dropped(self) -> bool | str:
        """False, or True / the reason when the KR (or its objective) is dropped."""
        return self.kr.dropped or self.objective.dropped or False

    def position(self, *loc: Any, key: bool = False) -> Pos:
        return self.objective.position("key_results", self.index, *loc, key=key)


@dataclass(eq=False)
class KpiRef:
    kpi: KPI
    path: str
    index: int
    source: Source

    @property
    def id(self) -> str:
        return self.kpi.id

    def position(self, *loc: Any, key: bool = False) -> Pos:
        return locate(self.source.data, ("kpis", self.index, *loc), key=key)


# What a check-in resolves to: (kind, period, the KR's id now when the record names an old
# one): one shared tuple per distinct target, so that a record holds one reference.
Target = tuple[Literal["kr", "kpi"], "Period | None", "str | None"]
_TARGETS: dict[Target, Target] = {}


def target_of(kind: Literal["kr", "kpi"], period: Period | None, renamed: str | None) -> Target:
    """The shared target tuple of a KR of ``period`` (or a KPI)."""
    key: Target = (kind, period, renamed)
    return _TARGETS.setdefault(key, key)


_SMALL = 1 << 15  # line and index below this share one small integer
_EXTRAS: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}


def _extra(period: str | None, health: str | None) -> tuple[str | None, str | None]:
    key = (period, health)
    return _EXTRAS.setdefault(key, key)


class Checkin:
    """One journal record, validated, kept lean: a workspace holds hundreds of thousands.

    Slotted; the line and the index in its file share one integer (``place``); a named
    period and a health, both rare, one shared pair (``extra``); what it resolves to is
    one shared tuple (``target``, set by the checks); the readers share
    repeated ids, names, periods, days and confidences between records.  The order of
    ``Workspace.checkins`` is the reading order: a later line wins a tie on ``at``.
    """

    __slots__ = (
        "at",
        "by",
        "confidence",
        "day",
        "extra",
        "id",
        "note",
        "path",
        "place",
        "target",
        "value",
    )

    def __init__(
        self,
        at: datetime,
        id: str,
        period: str | None,
        value: float | bool | None,
        confidence: float | None,
        by: str | None,
        note: str | None,
        path: str,
        line: int,
        index: int,
        day: date,
        health: str | None = None,
        target: Target | None = None,
    ) -> None:
        self.at = at
        self.id = id
        self.value = value  # None: a status update (note, confidence or health only)
        self.confidence = confidence
        self.by = by
        self.note = note
        self.path = path
        if 0 <= index < _SMALL and line < _SMALL:  # one machine word: the common case
            self.place = (line << 15) | index
        else:
            self.place = -(((line << 32) | (index & 0xFFFFFFFF)) + 1)
        self.day = day  # the calendar day of ``at`` in the organisation's time zone
        # the named period and the health (KPIs: green | yellow | red, a person's
        # judgement), rare: one shared pair, or None for neither
        self.extra = None if period is None and health is None else _extra(period, health)
        self.target = target

    @property
    def period(self) -> str | None:
        return None if self.extra is None else self.extra[0]

    @property
    def health(self) -> str | None:
        return None if self.extra is None else self.extra[1]

    @property
    def line(self) -> int:
        place = self.place
        return place >> 15 if place >= 0 else (-place - 1) >> 32

    @property
    def index(self) -> int:
        """The position in its file's record list (-1: not in a file yet)."""
        place = self.place
        if place >= 0:
            return place & (_SMALL - 1)
        index = (-place - 1) & 0xFFFFFFFF
        return -1 if index == 0xFFFFFFFF else index

    @property
    def kind(self) -> Literal["kr", "kpi"] | None:
        return None if self.target is None else self.target[0]

    @property
    def target_period(self) -> Period | None:
        return None if self.target is None else self.target[1]

    @property
    def target_id(self) -> str | None:
        """The KR's id now, when ``id`` is one it had before (was:)."""
        return None if self.target is None else self.target[2]

    @property
    def number(self) -> float:
        assert self.value is not None
        return float(self.value)

    def __repr__(self) -> str:
        return (
            f"Checkin({self.id!r}, {self.at.isoformat()}, {self.value!r}, {self.path}:{self.line})"
        )


@dataclass(eq=False)
class Workspace:
    root: Path
    settings: Settings = DEFAULT_SETTINGS
    settings_ok: bool = False
    settings_data: Any = None
    plans: list[PlanFile] = field(default_factory=list)
    kpis: dict[str, KpiRef] = field(default_factory=dict)
    checkins: list[Checkin] = field(default_factory=list)
    journal_data: dict[str, Any] = field(default_factory=dict)  # path -> marked data (lazy)
    journal_lines: dict[str, list[str]] = field(default_factory=dict)  # for positions (lazy)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    objectives: list[ObjectiveRef] = field(default_factory=list)
    key_results: list[KeyResultRef] = field(default_factory=list)
    # ids defined in parts of files that failed validation: references to them are not
    # reported again as unknown
    unreadable_ids: set[str] = field(default_factory=set)
    # old ids (``was:``) per period -> the renamed KR or objective
    renamed: dict[tuple[Period, str], KeyResultRef] = field(default_factory=dict)
    renamed_objectives: dict[tuple[Period, str], ObjectiveRef] = field(default_factory=dict)
    incomplete: bool = False  # a plan or KPI file could not be read at all
    # values the readers share between check-ins (ids, names, days…), while reading
    shared: dict[Any, Any] = field(default_factory=dict, repr=False)

    def may_exist(self, id_: str) -> bool:
        """Whether ``id_`` might be defined in a part of the files that could not be read."""
        return self.incomplete or id_ in self.unreadable_ids

    # --- summary -------------------------------------------------------------------
    @property
    def errors(self) -> int:
        return count(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return count(self.diagnostics)[1]

    @property
    def fiscal_start(self) -> int:
        return self.settings.fiscal_year_start

    @property
    def named_by_end(self) -> bool:
        """Whether fiscal years are named after the year they end in (FY21 = Feb 2020-Jan 2021)."""
        return self.settings.fiscal_year_named_by == "end"

    def period(self, text: object) -> Period | None:
        """``text`` as a period of this workspace's fiscal calendar; None if it is none."""
        from okrcli.periods import parse_period

        return parse_period(text, self.fiscal_start, self.named_by_end)

    @property
    def zone(self) -> tzinfo:
        """The organisation's time zone (UTC when okr.yaml names none, or an unknown one,
        which ``okr validate`` reports)."""
        found: tzinfo | None = self.__dict__.get("_zone")
        if found is None:
            from okrcli.timeutil import zone_or_utc

            found = self.__dict__["_zone"] = zone_or_utc(self.settings.timezone)
        return found

    # --- look-ups --------------------------------------------------------------------
    def periods(self) -> list[Period]:
        """Every period that has a plan, in time order (a year before its quarters)."""
        found = {p.period for p in self.plans if p.period is not None}
        return sorted(found, key=lambda p: (p.first_day, p.quarter is not None))

    def objectives_in(self, period: Period) -> list[ObjectiveRef]:
        return [o for o in self.objectives if o.period == period]

    def key_results_in(self, period: Period) -> list[KeyResultRef]:
        return [k for k in self.key_results if k.period == period]

    def key_result(self, id_: str, period: Period) -> KeyResultRef | None:
        """The KR of ``period`` with id ``id_``, or the one renamed from it (``was:``)."""
        return self._kr_index().get((period, id_)) or self.renamed.get((period, id_))

    def key_result_periods(self, id_: str) -> list[Period]:
        return [p for (p, i) in self._kr_index() if i == id_]

    def _kr_index(self) -> dict[tuple[Period, str], KeyResultRef]:
        index: dict[tuple[Period, str], KeyResultRef] | None = getattr(self, "_kr_cache", None)
        if index is None:
            index = {}
            for ref in self.key_results:
                index.setdefault((ref.period, ref.id), ref)
            self._kr_cache = index
        return index

    def checkins_by_target(self) -> dict[tuple[str, Period | None, str], list[Checkin]]:
        """Resolved check-ins grouped by ('kr', period, id) or ('kpi', None, id), in order."""
        groups: dict[tuple[str, Period | None, str], list[Checkin]] = defaultdict(list)
        for c in self.checkins:
            target = c.target  # (kind, period, the KR's id now when c.id is an old one)
            if target is not None:
                groups[(target[0], target[1], target[2] or c.id)].append(c)
        by_time = attrgetter("at")
        for entries in groups.values():
            entries.sort(key=by_time)  # stable: the reading order breaks a tie
        return groups

    def teams_under(self, team: str) -> set[str]:
        """``team`` and every team below it."""
        children: dict[str | None, list[str]] = defaultdict(list)
        for tid, t in self.settings.teams.items():
            children[t.parent].append(tid)
        found, todo = set(), [team]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            todo.extend(children.get(current, []))
        return found

    def journal_position(
        self, path: str, index: int, key: str | None = None, line: int | None = None
    ) -> Pos:
        """Where record ``index`` of journal file ``path`` (or its ``key``) starts.

        Files read by the YAML path keep their positions.  A record read line by line is
        found from its ``line``: an okr line is scanned, a hand-written record parsed on
        its own; only without a line is the whole file parsed again."""
        if path not in self.journal_data and line is not None:
            found = self._line_position(path, line, key)
            if found is not None:
                return found
        if path not in self.journal_data:
            self.journal_data[path] = read_document(self.root, path).data
        data = self.journal_data.get(path)
        loc: Iterable[Any] = (index,) if key is None else (index, key)
        return locate(data, tuple(loc))

    def _line_position(self, path: str, line: int, key: str | None) -> Pos | None:
        lines = self.journal_lines.get(path)
        if lines is None:
            try:
                text = (self.root / path).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return None
            lines = self.journal_lines[path] = text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        column = value_column(lines[line - 1], key)
        if column is not None:
            return line, column
        # a record the YAML path read on its own: parse just its lines
        start = line - 1
        while start > 0 and not lines[start].startswith("-"):
            start -= 1
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        data = parse("\n".join(lines[start:end]), path).data
        if not isinstance(data, MarkedList) or len(data) != 1:
            return None
        found = locate(data, (0,) if key is None else (0, key))
        return found[0] + start, found[1]
