"""The workspace: every file of a goal repository, validated and cross-referenced.

``okrcli.loader.load_workspace`` builds one; ``okrcli.link`` fills in the references
(alignment parents, check-in targets) and the diagnostics.  Everything here is plain data
plus look-ups; nothing reads files or computes scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from okrcli.diagnostics import Diagnostic, count
from okrcli.journal import value_column
from okrcli.models import KPI, KeyResult, Objective, Plan, Settings
from okrcli.periods import Period
from okrcli.timeutil import instant
from okrcli.yamlsource import MarkedList, Pos, locate, parse, read_document

DEFAULT_SETTINGS = Settings(version=1, org="", teams={})


class Source:
    """A file's marked YAML data, for positions.  A file that came from the parse cache is
    read again only when a diagnostic needs a place in it."""

    def __init__(self, full: Path, rel: str, data: Any = None) -> None:
        self.full, self.rel, self._data = full, rel, data

    @property
    def data(self) -> Any:
        if self._data is None:
            self._data = read_document(self.full, self.rel).data
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
    parent: ObjectiveRef | None = None  # the objective it aligns to, once resolved
    children: list[ObjectiveRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.objective.id

    @property
    def owner(self) -> str | None:
        return self.objective.owner

    def position(self, *loc: Any, key: bool = False) -> Pos:
        return self.plan.position("objectives", self.index, *loc, key=key)


@dataclass(eq=False)
class KeyResultRef:
    kr: KeyResult
    objective: ObjectiveRef
    index: int
    type: str | None  # declared or inferred; None when it cannot be told (an error)

    @property
    def id(self) -> str:
        return self.kr.id

    @property
    def period(self) -> Period:
        return self.objective.period

    @property
    def owner(self) -> str | None:
        return self.kr.owner or self.objective.owner

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


# A check-in's target once resolved: ('kr', its period) or ('kpi', None), one shared tuple
# per period, so that a record holds one reference.
Target = tuple[Literal["kr", "kpi"], Period | None]
_TARGETS: dict[tuple[str, Period | None], Target] = {}


def target_of(kind: Literal["kr", "kpi"], period: Period | None) -> Target:
    """The shared target tuple of ``kind`` and ``period``."""
    found = _TARGETS.get((kind, period))
    if found is None:
        found = _TARGETS[(kind, period)] = (kind, period)
    return found


US_PER_DAY = 86_400_000_000
_ZONES: dict[int, timezone] = {0: timezone.utc}
_NAIVE_EPOCH = datetime(1970, 1, 1)


def moment_of(ts: int, offset: int) -> datetime:
    """The aware datetime of ``instant``'s pair, in its own offset."""
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    local = _NAIVE_EPOCH + timedelta(microseconds=ts + offset * 1_000_000)
    return local.replace(tzinfo=zone)


def day_number(day: date) -> int:
    """Days since 1970-01-01 (what ``Checkin.daynum`` counts)."""
    return day.toordinal() - 719163


class Checkin:
    """One journal record, validated, kept lean: a workspace holds hundreds of thousands.

    The time is an integer (``ts``: microseconds since 1970-01-01 UTC, with the offset it
    was written in); the line and the index in its file share one integer; ids, names and
    notes are shared strings; the resolved target is one shared tuple.  What used to be
    stored per record (the datetime, the UTC day, the reading order) is derived: the
    order of ``Workspace.checkins`` is the reading order (a later line wins a tie on
    ``at``).
    """

    __slots__ = (
        "by",
        "confidence",
        "id",
        "note",
        "offset",
        "path",
        "period",
        "place",
        "target",
        "ts",
        "value",
    )

    def __init__(
        self,
        ts: int,
        offset: int,
        id: str,
        period: str | None,
        value: float | bool,
        confidence: float | None,
        by: str | None,
        note: str | None,
        path: str,
        place: int,
        target: Target | None = None,
    ) -> None:
        self.ts = ts
        self.offset = offset
        self.id = id
        self.period = period
        self.value = value
        self.confidence = confidence
        self.by = by
        self.note = note
        self.path = path
        self.place = place  # line << 32 | index in its file's record list
        self.target = target

    @classmethod
    def of(
        cls,
        at: datetime,
        id: str,
        period: str | None,
        value: float | bool,
        confidence: float | None = None,
        by: str | None = None,
        note: str | None = None,
        path: str = "",
        line: int = 0,
        index: int = 0,
        target: Target | None = None,
    ) -> Checkin:
        ts, offset = instant(at)
        return cls(
            ts, offset, id, period, value, confidence, by, note, path, place(line, index), target
        )

    @property
    def at(self) -> datetime:
        return moment_of(self.ts, self.offset)

    @property
    def daynum(self) -> int:
        """The UTC day of ``at``, as days since 1970-01-01."""
        return self.ts // US_PER_DAY

    @property
    def day(self) -> date:
        """The UTC calendar day of ``at``."""
        return date.fromordinal(self.ts // US_PER_DAY + 719163)

    @property
    def line(self) -> int:
        return self.place >> 32

    @property
    def index(self) -> int:
        """The record's position in its file's record list (-1: not in a file yet)."""
        index = self.place & 0xFFFFFFFF
        return -1 if index == 0xFFFFFFFF else index

    @property
    def kind(self) -> Literal["kr", "kpi"] | None:
        return None if self.target is None else self.target[0]

    @property
    def target_period(self) -> Period | None:
        return None if self.target is None else self.target[1]

    @property
    def number(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return (
            f"Checkin({self.id!r}, {self.at.isoformat()}, {self.value!r}, {self.path}:{self.line})"
        )


def place(line: int, index: int) -> int:
    """A record's line and index as one integer (``Checkin.place``)."""
    return (line << 32) | (index & 0xFFFFFFFF)


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
    shared: dict[Any, Any] = field(default_factory=dict)  # strings shared while reading
    diagnostics: list[Diagnostic] = field(default_factory=list)
    objectives: list[ObjectiveRef] = field(default_factory=list)
    key_results: list[KeyResultRef] = field(default_factory=list)
    # ids defined in parts of files that failed validation: references to them are not
    # reported again as unknown
    unreadable_ids: set[str] = field(default_factory=set)
    incomplete: bool = False  # a plan or KPI file could not be read at all

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
        return self._kr_index().get((period, id_))

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
        """Resolved check-ins grouped by ('kr', period, id) or ('kpi', None, id), in order
        of time (a tie in reading order)."""
        groups: dict[tuple[str, Period | None, str], list[Checkin]] = {}
        for c in self.checkins:
            t = c.target
            if t is not None:
                key = (t[0], t[1], c.id)
                group = groups.get(key)
                if group is None:
                    groups[key] = [c]
                else:
                    group.append(c)
        by_time = attrgetter("ts")
        for entries in groups.values():
            entries.sort(key=by_time)  # stable: reading order breaks a tie
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
            self.journal_data[path] = read_document(self.root / path, path).data
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
