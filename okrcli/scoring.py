"""Pure computation of okr's numbers (SPEC §4): numbers and dates in, numbers out.

Nothing here reads files, talks to a terminal or touches git.  ``okrcli.evaluate`` feeds
these functions from a workspace; ``docs/scoring.md`` explains them with a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from okrcli.periods import Period

CADENCE_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "quarterly": 91}

DONE, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "done", "on_track", "at_risk", "off_track", "no_data"
DROPPED = "dropped"  # left out of every mean, grade, pace and count
# Every number these formulas return is finite, whatever finite values they are given: a
# ratio beyond this (a value near the float limit, a target a hair from its start) says
# nothing more, and is reported as this
MAX_ATTAINMENT = 1e6
GREEN, YELLOW, RED = "green", "yellow", "red"
#: Every status a row of a report can have (``--status`` chooses among them).
STATUSES = (DONE, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, GREEN, YELLOW, RED)


def clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(x, low), high)


def elapsed(period: Period, as_of: date) -> float:
    """Share of ``period`` run by the end of ``as_of``: clamp(days + 1, 0, total) / total."""
    total = period.total_days
    days = (as_of - period.first_day).days + 1
    return min(max(days, 0), total) / total


def expected(period: Period, as_of: date, due: date | None = None, ambition: float = 1.0) -> float:
    """The progress expected by the end of ``as_of``: the elapsed share of the period, or,
    with a ``due`` day, the share of the days from the period's first day to ``due`` run
    by then (1 from ``due`` on); times ``ambition`` (``pace.aspirational`` for an
    aspirational objective, else 1)."""
    if due is None:
        share = elapsed(period, as_of)
    else:
        total = (due - period.first_day).days + 1
        days = (as_of - period.first_day).days + 1
        share = min(max(days, 0), total) / total if total > 0 else 1.0
    return share * ambition


def kr_progress(
    kind: str,
    start: float | None,
    target: float | None,
    current: float,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """Progress of a KR from 0 to 1 (see ``attainment`` for the unclamped ratio).
    ``low`` and ``high`` are a keep_between KR's ``min`` and ``max``."""
    if kind == "keep_above":
        return 1.0 if target is not None and current >= target else 0.0
    if kind == "keep_below":
        return 1.0 if target is not None and current <= target else 0.0
    if kind == "keep_between":
        inside = low is not None and high is not None and low <= current <= high
        return 1.0 if inside else 0.0
    if kind == "milestone":
        return clamp(current)
    return clamp(attainment(start, target, current))


def mean(values: Sequence[float]) -> float | None:
    """The plain mean; None when there are no values (a roll-up with nothing to roll up)."""
    return sum(values) / len(values) if values else None


def attainment(start: float | None, target: float | None, current: float) -> float:
    """(current - start) / (target - start), unclamped: 1.25 is 25 % beyond the target."""
    if start is None or target is None or target == start:
        return 0.0
    gain, span = current - start, target - start
    if math.isinf(gain) or math.isinf(span):  # values near the float limit: halve them first
        gain, span = current / 2 - start / 2, target / 2 - start / 2
    ratio = gain / span  # span is not 0: target != start
    if math.isnan(ratio):
        return 0.0
    return max(-MAX_ATTAINMENT, min(ratio, MAX_ATTAINMENT))


def status(progress: float | None, expected: float, at_risk: float, off_track: float) -> str:
    """done / on_track / at_risk / off_track against the expected pace; no_data without data."""
    if progress is None:
        return NO_DATA
    if progress >= 1:
        return DONE
    if progress >= expected - at_risk:
        return ON_TRACK
    if progress >= expected - off_track:
        return AT_RISK
    return OFF_TRACK


def objective_status(
    progress: float | None, expected: float, at_risk: float, off_track: float, all_done: bool
) -> str:
    """An objective's status: as ``status``, except that it is ``done`` only when every part
    with data (KR, or aligned objective for a roll-up) is done.  A kept KR that holds today
    has progress 1 but is not done before the period ends, so neither is its objective."""
    found = status(progress, expected, at_risk, off_track)
    if found == DONE and not all_done:
        return ON_TRACK
    return found


def keep_status(holds: bool | None, period_over: bool) -> str:
    """A keep_above/keep_below KR is on or off track by whether it holds now; done only when
    it holds as of the period's last day or later."""
    if holds is None:
        return NO_DATA
    if holds:
        return DONE if period_over else ON_TRACK
    return OFF_TRACK


def weighted_mean(items: Sequence[tuple[float, float]]) -> float | None:
    """The weighted mean of (value, weight) pairs; None when there are none."""
    total = sum(w for _, w in items)
    if not items or total <= 0:
        return None
    return sum(v * w for v, w in items) / total


def kpi_status(
    value: float | None,
    target: float | None,
    red: float | None,
    direction: str | None,
    low: float | None = None,
    high: float | None = None,
    tolerance: float | None = None,
) -> str | None:
    """green at or better than target; red worse than red (or than target without red);
    yellow between; no_data without a value; None without a target.

    ``direction`` within: green inside [low, high], yellow up to ``tolerance`` outside it,
    red beyond."""
    if direction == "within":
        if low is None or high is None:
            return None
        if value is None:
            return NO_DATA
        off = band_distance(value, low, high)
        if off == 0:
            return GREEN
        return YELLOW if off <= (tolerance or 0.0) else RED
    if target is None or direction is None:
        return None
    if value is None:
        return NO_DATA

    def better_or_equal(a: float, b: float) -> bool:
        return a >= b if direction == "up" else a <= b

    if better_or_equal(value, target):
        return GREEN
    if red is None or not better_or_equal(value, red):
        return RED
    return YELLOW


def band_distance(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside [low, high]; 0 inside."""
    if value < low:
        return low - value
    if value > high:
        return value - high
    return 0.0


def is_stale(latest: date, as_of: date, cadence: str | None) -> bool:
    """A KPI is stale when its latest value is older than 1.5 cadence intervals; a KPI
    without a cadence never is."""
    if cadence is None:
        return False
    return (as_of - latest).days > 1.5 * CADENCE_DAYS[cadence]


def moving_wrong_way(
    values: Sequence[float],
    direction: str | None,
    n: int = 3,
    low: float | None = None,
    high: float | None = None,
) -> bool:
    """Whether the last ``n`` values each move the wrong way for ``direction`` (for
    within: each farther outside [low, high] than the one before); never without one."""
    last = list(values[-n:])
    if len(last) < n or direction is None:
        return False
    if direction == "within":
        if low is None or high is None:
            return False
        last = [band_distance(v, low, high) for v in last]
        direction = "down"  # a growing distance is the wrong way
    pairs = list(pairwise(last))
    if direction == "up":
        return all(b < a for a, b in pairs)
    return all(b > a for a, b in pairs)


def linear_forecast(points: Sequence[tuple[float, float]], at: float) -> float | None:
    """The least-squares line through (t, value) points, read at ``at``; None with fewer
    than two points, when all points share one time, or when the line's value is beyond
    what a float holds."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / var
    projected = mean_v + slope * (at - mean_t)
    return projected if math.isfinite(projected) else None


def grade_band(grade: float) -> str:
    """Google's bands: 0.7 and above green, 0.4 and above yellow, below red."""
    if grade >= 0.7:
        return GREEN
    if grade >= 0.4:
        return YELLOW
    return RED
