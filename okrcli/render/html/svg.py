"""Charts as inline SVG, drawn in Python: scales, ticks, polylines, bands and three figures.

The figures of ``okr report`` are small and few in kind (a progress bar with its pace
marker, a sparkline, a line chart over a period), so they are written here as SVG text
rather than drawn by a charting library's JavaScript: the pages need no script at all,
open offline, print as vectors, and a site of thousands of pages renders in a fraction of
a second.  Colours come from CSS classes (``okrcli/render/html/static/report.css``), so
the charts follow the light or dark scheme; every figure carries a text alternative
(``role="img"`` with ``<title>``/``<desc>`` or ``aria-label``).

Every text that reaches the SVG is escaped here; the functions return ``Markup``.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from markupsafe import Markup

INF = math.inf
DAY = 86400.0


def _esc(text: str) -> str:
    """``text`` escaped for HTML exactly as ``markupsafe.escape`` escapes it (``& < > ' "``),
    for a plain ``str`` and faster: the charts and pages escape hundreds of thousands."""
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


esc: Callable[[str], str] = _esc
# markupsafe 3's own escaping in C, without making a Markup of the result (4x faster);
# an older markupsafe, or one without its C extension, leaves ``_esc``
with contextlib.suppress(ImportError):
    from markupsafe._speedups import _escape_inner as esc


def fmt(x: float) -> str:
    """A coordinate, to a tenth of a unit (``12.0``, ``12.5``): finer than any screen."""
    return f"{x:.1f}"


@dataclass(frozen=True)
class Scale:
    """A linear map from a domain ``[d0, d1]`` onto a range ``[r0, r1]`` (which may run
    backwards, as a y axis does).  An empty domain maps everything to the range's middle."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (value - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)

    def clamped(self, value: float) -> float:
        """Like calling the scale, with the value held inside the domain first."""
        low, high = min(self.d0, self.d1), max(self.d0, self.d1)
        return self(min(max(value, low), high))


def nice_step(span: float, count: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about ``count`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def nice_domain(low: float, high: float, count: int = 5) -> tuple[float, float, float]:
    """``(low', high', step)``: the domain widened to whole steps around ``[low, high]``.
    A single value gets room on both sides."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    return (
        float(math.floor(low / step + 1e-9) * step),
        float(math.ceil(high / step - 1e-9) * step),
        step,
    )


def ticks(low: float, high: float, step: float) -> list[float]:
    """The multiples of ``step`` in ``[low, high]``, free of float noise."""
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 10) + 0.0 for i in range(first, last + 1)]


@functools.lru_cache(maxsize=256)
def decimals(step: float) -> int:
    """How many decimals tell ticks ``step`` apart: 0 for 5, 1 for 0.5, 2 for 0.25."""
    for d in range(7):
        if abs(round(step, d) - step) < step * 1e-6:
            return d
    return 6


def tick_label(value: float, step: float) -> str:
    """A tick's number with just the decimals its step needs (``99.85``, ``100``)."""
    text = f"{value:.{decimals(step)}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def points_attr(xy: Sequence[tuple[float, float]]) -> str:
    """The ``points`` attribute of a polyline: ``"x,y x,y …"``."""
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)


# --- bands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A stretch of values with one status: ``low`` … ``high`` (either may be infinite)."""

    low: float
    high: float
    status: str  # green | yellow | red


def kpi_bands(
    direction: str | None,
    target: float | None,
    red: float | None,
    low: float | None = None,
    high: float | None = None,
    tolerance: float | None = None,
) -> list[Band]:
    """The green, yellow and red stretches of a KPI's values (SPEC §4 KPI status): green at
    or better than the target, red worse than ``red`` (or than the target when there is no
    ``red``), yellow between; for ``within``, green from ``low`` to ``high``, yellow within
    ``tolerance`` outside, red beyond.  No target (or range), no bands."""
    if direction == "within":
        if low is None or high is None:
            return []
        t = tolerance or 0.0
        bands = [Band(low, high, "green"), Band(-INF, low - t, "red"), Band(high + t, INF, "red")]
        if t > 0:
            bands += [Band(low - t, low, "yellow"), Band(high, high + t, "yellow")]
        return bands
    if target is None or direction is None:
        return []
    if direction == "up":
        floor = target if red is None or red >= target else red
        bands = [Band(target, INF, "green"), Band(-INF, floor, "red")]
        if floor < target:
            bands.insert(1, Band(floor, target, "yellow"))
        return bands
    ceiling = target if red is None or red <= target else red
    bands = [Band(-INF, target, "green"), Band(ceiling, INF, "red")]
    if ceiling > target:
        bands.insert(1, Band(target, ceiling, "yellow"))
    return bands


def band_rects(
    bands: Sequence[Band], y: Scale, x0: float, x1: float, css: str = "band"
) -> list[str]:
    """One ``<rect>`` per band, clipped to the y scale's domain (empty ones left out)."""
    out = []
    for b in bands:
        top, bottom = y.clamped(b.high), y.clamped(b.low)
        top, bottom = min(top, bottom), max(top, bottom)
        if bottom - top < 0.05:
            continue
        out.append(
            f'<rect class="{css} {css}-{b.status}" x="{fmt(x0)}" y="{fmt(top)}" '
            f'width="{fmt(x1 - x0)}" height="{fmt(bottom - top)}"/>'
        )
    return out


# --- small figures -----------------------------------------------------------------------


def progress_bar(progress: float | None, expected: float | None, status: str, label: str) -> Markup:
    """A bar of ``progress`` (0 … 1) with a marker at the ``expected`` pace; its label is
    the text alternative (the status is written beside the bar, never only coloured)."""
    width = 0.0 if progress is None else min(max(progress, 0.0), 1.0) * 100
    parts = [
        f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{esc(label)}">',
        '<rect class="bar-track" width="100" height="10" rx="2"/>',
    ]
    if width > 0:
        parts.append(
            f'<rect class="bar-fill s-{esc(status)}" width="{fmt(width)}" height="10" rx="2"/>'
        )
    if expected is not None:
        at = fmt(min(max(expected, 0.0), 1.0) * 100)
        parts.append(
            f'<line class="bar-pace" x1="{at}" x2="{at}" y1="0" y2="10" '
            'vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bar(parts: Sequence[tuple[str, int]], label: str) -> Markup:
    """One bar split by status in proportion to the counts (``[("on_track", 3), …]``)."""
    total = sum(n for _, n in parts)
    out = [
        f'<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{esc(label)}">',
        '<rect class="bar-track" width="100" height="10" rx="2"/>',
    ]
    at = 0.0
    for status, n in parts:
        if n <= 0 or total <= 0:
            continue
        width = n * 100 / total
        out.append(
            f'<rect class="bar-fill s-{esc(status)}" x="{fmt(at)}" width="{fmt(width)}" '
            'height="10"/>'
        )
        at += width
    out.append("</svg>")
    return Markup("".join(out))


def sparkline(
    values: Sequence[float],
    label: str,
    bands: Sequence[Band] = (),
    width: float = 120,
    height: float = 28,
) -> Markup:
    """The last values of a KPI as a small line over its bands; the newest value dotted."""
    parts = [
        f'<svg class="spark" viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width)}" '
        f'height="{fmt(height)}" role="img" aria-label="{esc(label)}">'
    ]
    if values:
        low, high = min(values), max(values)
        if high == low:
            pad = abs(low) * 0.05 or 1.0
            low, high = low - pad, high + pad
        pad = (high - low) * 0.12
        y = Scale(low - pad, high + pad, height - 1, 1)
        parts += band_rects(bands, y, 0, width, "sband")
        step = (width - 8) / max(len(values) - 1, 1)
        xy = [(4 + i * step, y(v)) for i, v in enumerate(values)]
        if len(xy) == 1:
            xy = [(4, xy[0][1]), (width - 4, xy[0][1])]
        parts.append(f'<polyline class="spark-line" points="{points_attr(xy)}"/>')
        lx, ly = xy[-1]
        parts.append(f'<circle class="spark-dot" cx="{fmt(lx)}" cy="{fmt(ly)}" r="2.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


# --- the line chart ------------------------------------------------------------------------


def moment(day: date) -> datetime:
    """The start of ``day`` in UTC, the clock okr judges by."""
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


@dataclass
class Mark:
    """One measured value on the chart, with the words of its tooltip."""

    at: datetime
    value: float
    tip: str


@dataclass
class LineChart:
    """What a period chart shows.  Times are UTC moments; ``end`` is exclusive (the first
    instant after the last day shown)."""

    title: str
    desc: str
    start: datetime
    end: datetime
    marks: list[Mark]
    value_label: Callable[[float, float], str] = tick_label  # (value, step) -> text
    unit: str | None = None  # written above the value axis
    baseline: tuple[datetime, float] | None = None  # the KR's start value at day one
    target: float | None = None
    target_label: str = "target"
    pace: tuple[tuple[datetime, float], tuple[datetime, float]] | None = None
    forecast: tuple[datetime, float] | None = None
    forecast_label: str = "forecast"
    as_of: datetime | None = None  # the end of the as-of day
    as_of_label: str = "as of"
    bands: list[Band] = field(default_factory=list)
    band_labels: dict[str, str] = field(default_factory=dict)
    width: float = 900
    height: float = 320
    ident: str = "chart"  # prefix of the ids of its <title> and <desc>, unique in a page


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def time_ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Month starts between ``start`` and ``end`` (at most about eight, thinned evenly);
    weeks (Mondays) when the span is shorter than two months."""
    days = (end - start).total_seconds() / DAY
    found: list[tuple[datetime, str]] = []
    if days < 60:
        day = start.date()
        day += timedelta(days=(7 - day.weekday()) % 7)
        while moment(day) < end:
            found.append((moment(day), f"{day.day} {MONTHS[day.month - 1]}"))
            day += timedelta(days=7)
        return found
    year, month = start.year, start.month
    if start.day != 1 or start.time() != time(0):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while True:
        at = datetime(year, month, 1, tzinfo=timezone.utc)
        if at >= end:
            break
        label = MONTHS[month - 1] if month != 1 else f"{MONTHS[0]} {year}"
        found.append((at, label))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    every = max(1, math.ceil(len(found) / 8))
    return found[::every]


def line_chart(c: LineChart) -> Markup:
    """The values of a KR or KPI over a period: bands, target, expected pace, the values,
    the forecast and the as-of day, with axes, labels and a text alternative."""
    left, right, top, bottom = 64.0, 132.0, 30.0, 32.0
    span = (c.end - c.start).total_seconds() or DAY
    per_second = (c.width - right - left) / span

    def x(at: datetime) -> float:
        return left + (at - c.start).total_seconds() * per_second

    values = [m.value for m in c.marks]
    values += [v for v in (c.target, c.forecast[1] if c.forecast else None) if v is not None]
    if c.baseline is not None:
        values.append(c.baseline[1])
    if c.pace is not None:
        values += [c.pace[0][1], c.pace[1][1]]
    finite = [e for b in c.bands for e in (b.low, b.high) if math.isfinite(e)]
    if not values:
        values = finite or [0.0, 1.0]
    elif finite:
        # show the nearest threshold of the bands, so the zone the values are in is named
        values.append(min(finite, key=lambda e: min(abs(e - v) for v in values)))
    # a little room around the values, so none sits on the frame and a band beside them shows
    pad = (max(values) - min(values)) * 0.04
    low, high, step = nice_domain(min(values) - pad, max(values) + pad, 4)
    y = Scale(low, high, c.height - bottom, top)
    x0, x1 = left, c.width - right
    base = fmt(c.height - bottom)

    parts = [
        f'<svg class="chart" viewBox="0 0 {c.width:.1f} {c.height:.1f}" role="img" '
        f'aria-labelledby="{c.ident}-title {c.ident}-desc">',
        f'<title id="{c.ident}-title">{esc(c.title)}</title>',
        f'<desc id="{c.ident}-desc">{esc(c.desc)}</desc>',
    ]
    # the bands, each named at its left edge so that colour is not the only cue
    parts += band_rects(c.bands, y, x0, x1)
    for b in c.bands:
        top_y, bottom_y = sorted((y.clamped(b.high), y.clamped(b.low)))
        if bottom_y - top_y >= 16:
            parts.append(
                f'<text class="band-label" x="{x0 + 6:.1f}" y="{top_y + 13:.1f}">'
                f"{esc(c.band_labels.get(b.status, b.status))}</text>"
            )
    # grid and axes
    grid = f'<line class="grid" x1="{x0:.1f}" x2="{x1:.1f}" y1="{{0}}" y2="{{0}}"/>'
    label = f'<text class="tick ty" x="{x0 - 8:.1f}" y="{{0}}" dy="0.32em">{{1}}</text>'
    for v in ticks(low, high, step):
        gy = f"{y(v):.1f}"
        parts.append(grid.format(gy) + label.format(gy, esc(c.value_label(v, step))))
    if c.unit:
        parts.append(f'<text class="tick unit" x="4" y="{top - 12:.1f}">{esc(c.unit)}</text>')
    parts.append(_time_axis(c.start, c.end, x0, x1, c.height - bottom))
    # the target, labelled in the right margin
    label_x = fmt(x1 + 8)
    if c.target is not None:
        ty = fmt(y(c.target))
        parts.append(f'<line class="target" x1="{x0:.1f}" x2="{x1:.1f}" y1="{ty}" y2="{ty}"/>')
        parts.append(
            f'<text class="target-label" x="{label_x}" y="{ty}" dy="0.32em">'
            f"{esc(c.target_label)}</text>"
        )
    # the expected pace
    if c.pace is not None:
        (p0, v0), (p1, v1) = c.pace
        parts.append(
            f'<line class="pace" x1="{x(p0):.1f}" y1="{y(v0):.1f}" '
            f'x2="{x(p1):.1f}" y2="{y(v1):.1f}"/>'
        )
    # the as-of day
    if c.as_of is not None and c.start <= c.as_of <= c.end:
        ax = x(c.as_of)
        parts.append(f'<line class="asof" x1="{ax:.1f}" x2="{ax:.1f}" y1="{top:.1f}" y2="{base}"/>')
        anchor, shift = ("end", -4) if ax > (x0 + x1) / 2 else ("start", 4)
        parts.append(
            f'<text class="asof-label" x="{ax + shift:.1f}" y="{top - 8:.1f}" '
            f'text-anchor="{anchor}">{esc(c.as_of_label)}</text>'
        )
    # the values: the start, the line, the forecast, the points (each with a tooltip)
    if y.d1 != y.d0:  # x and y of every value, as ``x`` and ``y`` compute them (faster)
        start, d0, r0, dr, dd = c.start, y.d0, y.r0, y.r1 - y.r0, y.d1 - y.d0
        dots = [
            (
                left + (m.at - start).total_seconds() * per_second,
                r0 + (m.value - d0) * dr / dd,
            )
            for m in c.marks
        ]
    else:
        dots = [(x(m.at), y(m.value)) for m in c.marks]
    line = ([(x(c.baseline[0]), y(c.baseline[1]))] if c.baseline else []) + dots
    if c.forecast is not None and line:
        fx, fy = x(c.forecast[0]), y(c.forecast[1])
        lx, ly = line[-1]
        parts.append(
            f'<line class="forecast" x1="{lx:.1f}" y1="{ly:.1f}" x2="{fx:.1f}" y2="{fy:.1f}"/>'
        )
        parts.append(f'<circle class="forecast-dot" cx="{fx:.1f}" cy="{fy:.1f}" r="4"/>')
        parts.append(
            f'<text class="forecast-label" x="{label_x}" y="{_apart(fy, c, y):.1f}" '
            f'dy="0.32em">{esc(c.forecast_label)}</text>'
        )
    if len(line) > 1:
        parts.append(f'<polyline class="values" points="{points_attr(line)}"/>')
    if c.baseline is not None:
        bx, by = x(c.baseline[0]), y(c.baseline[1])
        parts.append(f'<circle class="start-dot" cx="{bx:.1f}" cy="{by:.1f}" r="4"/>')
    parts += [
        f'<circle class="dot" cx="{px:.1f}" cy="{py:.1f}" r="3.5"><title>{esc(m.tip)}</title>'
        "</circle>"
        for (px, py), m in zip(dots, c.marks, strict=True)
    ]
    parts.append("</svg>")
    return Markup("".join(parts))


@functools.lru_cache(maxsize=64)
def _time_axis(start: datetime, end: datetime, x0: float, x1: float, base: float) -> str:
    """The time axis of a chart: the same for every chart of a period, so made once."""
    per_second = (x1 - x0) / ((end - start).total_seconds() or DAY)
    parts = []
    for at, label in time_ticks(start, end):
        tx = fmt(x0 + (at - start).total_seconds() * per_second)
        parts.append(
            f'<line class="tick-mark" x1="{tx}" x2="{tx}" y1="{fmt(base)}" y2="{fmt(base + 4)}"/>'
            f'<text class="tick tx" x="{tx}" y="{fmt(base + 18)}">{esc(label)}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{fmt(x0)}" x2="{fmt(x1)}" y1="{fmt(base)}" y2="{fmt(base)}"/>'
    )
    return "".join(parts)


def _apart(fy: float, c: LineChart, y: Scale, gap: float = 16) -> float:
    """Where the forecast's label goes: at the forecast's height, or at least ``gap`` from
    the target's label, on the forecast's side of it."""
    if c.target is None or c.forecast is None:
        return fy
    ty = y(c.target)
    if abs(fy - ty) >= gap:
        return fy
    above = fy < ty or (fy == ty and c.forecast[1] >= c.target)
    return ty - gap if above else ty + gap
