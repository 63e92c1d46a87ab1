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
from okrcli.timeutil import day_of as utc_day
from okrcli.timeutil import end_of_day, instant, start_of_day
from okrcli.workspace import (
    Checkin,
    KeyResultRef,
    KpiRef,
    ObjectiveRef,
    Workspace,
    moment_of,
)

#: what check-ins are grouped by: ('kr', period, id) or ('kpi', None, id)
CheckinKey = tuple[str, Period | None, str]


class Point:
    """One value of a KR or KPI: when, what, who, how sure and why.

    Made for every counted check-in, so it is kept light: the time stays the record's
    integer (``ts``, microseconds since 1970 UTC) until ``at`` is asked for."""

    __slots__ = ("_at", "by", "confidence", "line", "note", "offset", "path", "ts", "value")

    def __init__(
        self,
        at: datetime | None,
        value: float,
        confidence: float | None = None,
        by: str | None = None,
        note: str | None = None,
        path: str = "",
        line: int = 0,
        *,
        ts: int = 0,
        offset: int = 0,
    ) -> None:
        if at is not None:
            ts, offset = instant(at)
        self._at = at
        self.ts, self.offset = ts, offset
        self.value, self.confidence, self.by, self.note = value, confidence, by, note
        self.path, self.line = path, line

    @classmethod
    def of(cls, c: Checkin) -> Point:
        return cls(
            None,
            float(c.value),
            c.confidence,
            c.by,
            c.note,
            c.path,
            c.place >> 32,
            ts=c.ts,
            offset=c.offset,
        )

    @property
    def at(self) -> datetime:
        if self._at is None:
            self._at = moment_of(self.ts, self.offset)
        return self._at

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Point):
            return NotImplemented
        return (self.ts, self.value, self.confidence, self.by, self.note, self.path, self.line) == (
            other.ts, other.value, other.confidence, other.by, other.note, other.path, other.line
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Point({self.at.isoformat()}, {self.value!r}, {self.path}:{self.line})"


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
        self.cutoff = end_of_day(as_of)
        self._cutoff_ts = instant(self.cutoff)[0]
        self.groups = ws.checkins_by_target()
        self._krs: dict[int, KRResult] = {}
        self._objectives: dict[int, ObjectiveResult] = {}

    # --- inputs ---------------------------------------------------------------------
    def counted(self, target: CheckinKey) -> list[Checkin]:
        """The check-ins of ``target`` made before the end of the as-of day, in order."""
        cutoff = self._cutoff_ts
        return [c for c in self.groups.get(target, []) if c.ts < cutoff]

    def kpi_points(self, kpi_id: str) -> list[Point]:
        return [Point.of(c) for c in self.counted(("kpi", None, kpi_id))]

    # --- key results ------------------------------------------------------------------
    def key_result(self, ref: KeyResultRef) -> KRResult:
        cached = self._krs.get(id(ref))
        if cached is None:
            cached = self._key_result(ref)
            self._krs[id(ref)] = cached
        return cached

    def _key_result(self, ref: KeyResultRef) -> KRResult:
        kr, period = ref.kr, ref.period
        kind = ref.type or "milestone"
        first, last = period.first_day, period.last_day
        expected = scoring.elapsed(period, self.as_of)
        start = kr.start
        if kr.kpi is not None:
            # a linked KR takes its values from the KPI; check-ins on the KR itself are not
            # used (``okr validate`` warns about them), so its confidence is the one of the
            # KPI measurement it shows
            all_points = self.kpi_points(kr.kpi)
            inside = [p for p in all_points if first <= utc_day(p.at) <= last]
            if start is None and kind in ("increase", "decrease"):
                before = [p for p in all_points if utc_day(p.at) <= first]
                start = before[-1].value if before else (inside[0].value if inside else None)
            points = inside
        else:
            points = [Point.of(c) for c in self.counted(("kr", period, kr.id))]
        confidence = points[-1].confidence if points else None
        updated = points[-1].at if points else None
        current: float | None
        if points:
            current = points[-1].value
        elif kind in ("increase", "decrease"):
            current = start
        elif kind == "milestone":
            current = 0.0
        else:
            current = None
        progress = attainment = None
        if current is not None and (kind not in ("increase", "decrease") or start is not None):
            progress = scoring.kr_progress(kind, start, kr.target, current)
            if kind in ("increase", "decrease"):
                attainment = scoring.attainment(start, kr.target, current)
            else:
                attainment = progress
        if kind in ("keep_above", "keep_below"):
            holds = None if progress is None else progress >= 1
            state = scoring.keep_status(holds, self.as_of >= last)
        else:
            state = scoring.status(
                progress, expected, self.ws.settings.pace.at_risk, self.ws.settings.pace.off_track
            )
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
        )
        self._forecast(result)
        return result

    def _forecast(self, r: KRResult) -> None:
        period = r.ref.period
        first = period.first_day
        origin_ts = instant(start_of_day(first))[0]
        series: list[tuple[float, float]] = []
        base = r.start if r.type in ("increase", "decrease") else None
        if r.type == "milestone":
            base = 0.0
        if base is not None:
            series.append((0.0, base))
        for p in r.points:
            series.append(((p.ts - origin_ts) / 1_000_000 / 86400, p.value))  # as timedelta
        at = float((period.last_day - first).days)
        projected = scoring.linear_forecast(series, at)
        if projected is None:
            return
        r.forecast = projected
        r.forecast_progress = scoring.kr_progress(r.type, r.start, r.target, projected)

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
            stack.extend(
                (c, False)
                for c in reversed(current.children)
                if id(c) not in done and id(c) not in open_
            )
        return done[id(ref)]

    def _objective(self, ref: ObjectiveRef) -> ObjectiveResult:
        """One objective from its KRs and its (already evaluated) children."""
        krs = [self.key_result(k) for k in ref.key_results]
        children = [r for r in (self._objectives.get(id(c)) for c in ref.children) if r is not None]
        parts: list[tuple[float, float, str]]  # progress, weight, status of what counts
        if krs:
            parts = [(k.progress, k.ref.kr.weight, k.status) for k in krs if k.progress is not None]
        else:
            parts = [(c.progress, 1.0, c.status) for c in children if c.progress is not None]
        progress = scoring.weighted_mean([(p, w) for p, w, _ in parts])
        all_done = all(s == scoring.DONE for _, _, s in parts)
        expected = scoring.elapsed(ref.period, self.as_of)
        pace = self.ws.settings.pace
        return ObjectiveResult(
            ref=ref,
            progress=progress,
            expected=expected,
            status=scoring.objective_status(
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
                k.kr.kpi for k in self.ws.key_results if periods is None or k.period in periods
            }
        return cache[period]

    def kpi(self, ref: KpiRef, period: Period | None = None) -> KPIResult:
        kpi = ref.kpi
        points = self.kpi_points(kpi.id)
        values = [p.value for p in points]
        value = values[-1] if values else None
        updated = points[-1].at if points else None
        return KPIResult(
            ref=ref,
            value=value,
            status=scoring.kpi_status(value, kpi.target, kpi.red, kpi.direction),
            stale=updated is not None
            and scoring.is_stale(utc_day(updated), self.as_of, kpi.cadence),
            updated=updated,
            trend=values[-8:],
            addressed=kpi.id in self._linked_kpis(period),
            declining=scoring.moving_wrong_way(values, kpi.direction),
            points=points,
        )
