"""Where the workspace meets the formulas: each KR, objective and KPI evaluated as of a date.

This module picks the inputs (which check-ins count, what the start and current values
are) and hands them to the pure functions of ``okrcli.scoring``.  Renderers and commands
use the results; they compute nothing themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from okrcli import scoring
from okrcli.periods import Period
from okrcli.timeutil import day_of, end_of_day, start_of_day
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, ObjectiveRef, Workspace

#: what check-ins are grouped by: ('kr', period, id) or ('kpi', None, id)
CheckinKey = tuple[str, Period | None, str]


@dataclass(slots=True)
class Point:
    """One value of a KR or KPI: when, what, who, how sure and why."""

    at: datetime
    value: float
    confidence: float | None = None
    by: str | None = None
    note: str | None = None
    path: str = ""
    line: int = 0

    @classmethod
    def of(cls, c: Checkin) -> Point:
        return cls(c.at, c.number, c.confidence, c.by, c.note, c.path, c.line)


@dataclass(slots=True)
class Update:
    """A status update: a record without a new value (a note, a confidence, a health)."""

    at: datetime
    confidence: float | None = None
    by: str | None = None
    note: str | None = None
    health: str | None = None
    path: str = ""
    line: int = 0

    @classmethod
    def of(cls, c: Checkin) -> Update:
        return cls(c.at, c.confidence, c.by, c.note, c.health, c.path, c.line)


def latest_confidence(records: list[Checkin]) -> float | None:
    """The confidence shown: that of the latest record that gives one, unless a newer value
    came without one (a new measurement whose confidence nobody restated).  A status
    update without a confidence leaves the last one standing."""
    for c in reversed(records):
        if c.confidence is not None:
            return c.confidence
        if c.value is not None:
            return None
    return None


def latest_note(records: list[Checkin]) -> tuple[str | None, datetime | None]:
    """The most recent note among ``records`` and when it was written."""
    for c in reversed(records):
        if c.note:
            return c.note, c.at
    return None, None


@dataclass
class KRResult:
    ref: KeyResultRef
    type: str
    start: float | None
    target: float | None
    current: float | None  # None: no data
    progress: float | None
    attainment: float | None
    status: str
    confidence: float | None
    updated: datetime | None
    points: list[Point]  # the counted values, oldest first
    expected: float
    forecast: float | None = None  # projected value at the period's last day
    forecast_progress: float | None = None
    updates: list[Update] = field(default_factory=list)  # status updates, oldest first
    note: str | None = None  # the latest note, from a value or a status update
    noted: datetime | None = None
    aligned: list[ObjectiveResult] = field(default_factory=list)  # a rollup's objectives

    @property
    def id(self) -> str:
        return self.ref.id


@dataclass
class ObjectiveResult:
    ref: ObjectiveRef
    progress: float | None
    expected: float
    status: str
    key_results: list[KRResult]
    children: list[ObjectiveResult] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.ref.id


@dataclass
class KPIResult:
    ref: KpiRef
    value: float | None
    status: str | None
    stale: bool
    updated: datetime | None
    trend: list[float]
    addressed: bool
    declining: bool  # the last three values each moved the wrong way
    points: list[Point]
    status_source: str = "computed"  # or "manual": a health set on the latest record
    status_note: str | None = None  # the note of that record: why
    updates: list[Update] = field(default_factory=list)  # records without a value

    @property
    def id(self) -> str:
        return self.ref.id

    @property
    def needs_attention(self) -> bool:
        """Red or declining, and no KR of the period addresses it."""
        return not self.addressed and (self.status == scoring.RED or self.declining)


class Evaluator:
    """Evaluates a workspace as of one date; results are cached per KR and objective."""

    def __init__(self, ws: Workspace, as_of: date) -> None:
        self.ws = ws
        self.as_of = as_of
        self.zone = ws.zone
        self.cutoff = end_of_day(as_of, self.zone)
        self.groups = ws.checkins_by_target()
        self._krs: dict[int, KRResult] = {}
        self._objectives: dict[int, ObjectiveResult] = {}

    # --- inputs ---------------------------------------------------------------------
    def day(self, moment: datetime) -> date:
        """The organisation's calendar day of ``moment``."""
        return day_of(moment, self.zone)

    def counted(self, target: CheckinKey) -> list[Checkin]:
        """The check-ins of ``target`` made before the end of the as-of day, in order."""
        return [c for c in self.groups.get(target, []) if c.at < self.cutoff]

    def kpi_points(self, kpi_id: str) -> list[Point]:
        """The KPI's counted measurements (records with a value)."""
        return [Point.of(c) for c in self.counted(("kpi", None, kpi_id)) if c.value is not None]

    # --- key results ------------------------------------------------------------------
    def key_result(self, ref: KeyResultRef) -> KRResult:
        cached = self._krs.get(id(ref))
        if cached is None:
            cached = self._key_result(ref)
            self._krs[id(ref)] = cached
        return cached

    def ambition_factor(self, ambition: str) -> float:
        """What an expected pace is multiplied by: pace.aspirational when aspirational."""
        return self.ws.settings.pace.aspirational if ambition == "aspirational" else 1.0

    def _key_result(self, ref: KeyResultRef) -> KRResult:
        kr, period = ref.kr, ref.period
        kind = ref.type or "milestone"
        first, last = period.first_day, period.last_day
        due = ref.due if ref.due is not None and period.contains(ref.due) else None
        expected = scoring.expected(period, self.as_of, due, self.ambition_factor(ref.ambition))
        start = kr.start
        aligned: list[ObjectiveResult] = []
        if kind == "rollup":
            # its progress is the mean progress of the objectives aligned to it
            aligned = [self.objective(o) for o in ref.aligned]
            records, points = [], []
        elif kr.kpi is not None:
            # a linked KR takes its values from the KPI; check-ins on the KR itself are not
            # used (``okr validate`` warns about them), so its confidence is the one of the
            # KPI measurement it shows
            all_points = self.kpi_points(kr.kpi)
            inside = [p for p in all_points if first <= self.day(p.at) <= last]
            if start is None and kind in ("increase", "decrease"):
                before = [p for p in all_points if self.day(p.at) <= first]
                start = before[-1].value if before else (inside[0].value if inside else None)
            points = inside
            records = [
                c for c in self.counted(("kpi", None, kr.kpi)) if first <= self.day(c.at) <= last
            ]
        else:
            records = self.counted(("kr", period, kr.id))
            points = [Point.of(c) for c in records if c.value is not None]
        # a status update (no value) keeps the current value and may bring a confidence
        # and a note
        confidence = latest_confidence(records)
        note, noted = latest_note(records)
        updates = [Update.of(c) for c in records if c.value is None]
        updated = points[-1].at if points else None
        # a KR that has never been measured has no data, whatever its type: not 0 and
        # not its start (SPEC §4)
        current = points[-1].value if points else None
        progress = attainment = None
        if ref.broken:  # its definition has an error (reported): no figure is made of it
            current = None
        if kind == "rollup" and not ref.broken:
            progress = scoring.mean(
                [a.progress for a in aligned if a.progress is not None and not a.ref.dropped]
            )
            attainment = progress
        elif current is not None and (kind not in ("increase", "decrease") or start is not None):
            progress = scoring.kr_progress(kind, start, kr.target, current, kr.min, kr.max)
            if kind in ("increase", "decrease"):
                attainment = scoring.attainment(start, kr.target, current)
            else:
                attainment = progress
        if kind in ("keep_above", "keep_below", "keep_between"):
            holds = None if progress is None else progress >= 1
            # judged as finished from its due day (or the period's last day) on
            state = scoring.keep_status(holds, self.as_of >= (due or last))
        else:
            state = scoring.status(
                progress, expected, self.ws.settings.pace.at_risk, self.ws.settings.pace.off_track
            )
        if ref.dropped:
            state = scoring.DROPPED
        result = KRResult(
            ref=ref,
            type=kind,
            start=start,
            target=kr.target,
            current=current,
            progress=progress,
            attainment=attainment,
            status=state,
            confidence=confidence,
            updated=updated,
            points=points,
            expected=expected,
            updates=updates,
            note=note,
            noted=noted,
            aligned=aligned,
        )
        self._forecast(result)
        return result

    def _forecast(self, r: KRResult) -> None:
        period = r.ref.period
        first = period.first_day
        origin = start_of_day(first, self.zone)
        series: list[tuple[float, float]] = []
        if r.type == "rollup":
            return
        base = r.start if r.type in ("increase", "decrease") else None
        if r.type == "milestone":
            base = 0.0
        if base is not None:
            series.append((0.0, base))
        for p in r.points:
            series.append(((p.at - origin).total_seconds() / 86400, p.value))
        at = float((period.last_day - first).days)
        projected = scoring.linear_forecast(series, at)
        if projected is None:
            return
        r.forecast = projected
        kr = r.ref.kr
        r.forecast_progress = scoring.kr_progress(
            r.type, r.start, r.target, projected, kr.min, kr.max
        )

    # --- objectives -------------------------------------------------------------------
    def objective(self, ref: ObjectiveRef) -> ObjectiveResult:
        """``ref`` evaluated, after the objectives aligned to it (children before parents,
        with an explicit stack: an alignment chain may be thousands of objectives deep)."""
        done = self._objectives
        cached = done.get(id(ref))
        if cached is not None:
            return cached
        stack: list[tuple[ObjectiveRef, bool]] = [(ref, False)]
        open_: set[int] = set()  # on the stack: a cycle (an error elsewhere) stops here
        while stack:
            current, ready = stack.pop()
            key = id(current)
            if key in done:
                continue
            if ready:
                open_.discard(key)
                done[key] = self._objective(current)
                continue
            open_.add(key)
            stack.append((current, True))
            # what its figure is made of: the objectives aligned to it, and those aligned
            # to its rollup KRs
            below = [*current.children]
            for k in current.key_results:
                if k.type == "rollup":
                    below += k.aligned
            stack.extend(
                (c, False) for c in reversed(below) if id(c) not in done and id(c) not in open_
            )
        return done[id(ref)]

    def _objective(self, ref: ObjectiveRef) -> ObjectiveResult:
        """One objective from its KRs and its (already evaluated) children."""
        krs = [self.key_result(k) for k in ref.key_results]
        children = [r for r in (self._objectives.get(id(c)) for c in ref.children) if r is not None]
        parts: list[tuple[float, float, str]]  # progress, weight, status of what counts
        # dropped KRs and objectives stay in the results but count nowhere
        if krs:
            parts = [
                (k.progress, k.ref.kr.weight, k.status)
                for k in krs
                if k.progress is not None and not k.ref.dropped
            ]
        else:
            parts = [
                (c.progress, 1.0, c.status)
                for c in children
                if c.progress is not None and not c.ref.dropped
            ]
        progress = scoring.weighted_mean([(p, w) for p, w, _ in parts])
        all_done = all(s == scoring.DONE for _, _, s in parts)
        expected = scoring.expected(
            ref.period, self.as_of, None, self.ambition_factor(ref.ambition)
        )
        pace = self.ws.settings.pace
        return ObjectiveResult(
            ref=ref,
            progress=progress,
            expected=expected,
            status=scoring.DROPPED
            if ref.dropped
            else scoring.objective_status(
                progress, expected, pace.at_risk, pace.off_track, all_done
            ),
            key_results=krs,
            children=children,
        )

    # --- KPIs -------------------------------------------------------------------------
    def _linked_kpis(self, period: Period | None) -> set[str | None]:
        """KPIs some KR links to: of ``period`` or of the year around it (which runs
        through the period too); of any period when ``period`` is None.  Computed once."""
        cache: dict[Period | None, set[str | None]] = self.__dict__.setdefault("_linked", {})
        if period not in cache:
            periods = None if period is None else {period, period.year_period}
            cache[period] = {
                k.kr.kpi
                for k in self.ws.key_results
                if (periods is None or k.period in periods) and not k.dropped
            }
        return cache[period]

    def kpi(self, ref: KpiRef, period: Period | None = None) -> KPIResult:
        kpi = ref.kpi
        records = self.counted(("kpi", None, kpi.id))
        points = [Point.of(c) for c in records if c.value is not None]
        values = [p.value for p in points]
        value = values[-1] if values else None
        updated = points[-1].at if points else None
        status = scoring.kpi_status(
            value, kpi.target, kpi.red, kpi.direction, kpi.min, kpi.max, kpi.tolerance
        )
        source, reason = "computed", None
        latest = records[-1] if records else None
        if latest is not None and latest.health is not None:
            # a person's judgement on the latest record is the status while it is latest
            status, source, reason = latest.health, "manual", latest.note
        return KPIResult(
            ref=ref,
            value=value,
            status=status,
            stale=updated is not None
            and scoring.is_stale(self.day(updated), self.as_of, kpi.cadence),
            updated=updated,
            trend=values[-8:],
            addressed=kpi.id in self._linked_kpis(period),
            declining=scoring.moving_wrong_way(values, kpi.direction, low=kpi.min, high=kpi.max),
            points=points,
            status_source=source,
            status_note=reason,
            updates=[Update.of(c) for c in records if c.value is None],
        )
