"""The figures of the report, from the dashboard's data: KR and KPI charts, bars, sparklines.

Each figure shows numbers the dashboard already holds (``okrcli.dashboard``); the only
arithmetic here is geometry.  Words go with every figure: its text alternative names the
values and the status, and band and line labels say what the colours mean.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from markupsafe import Markup

from okrcli.dashboard import KPIDetail, KRDetail
from okrcli.evaluate import Point
from okrcli.render.html import svg
from okrcli.render.scorecard import day, kr_percent
from okrcli.render.text import DASH, grade_text, num, pct, status_word, with_unit
from okrcli.timeutil import end_of_day
from okrcli.views import KPIRow, KRRow, ObjectiveRow

MONTHS = svg.MONTHS


def approx(x: float | None) -> float | None:
    """A projection to a sensible precision: three or so significant digits, never fewer
    than the whole number (415.625 -> 416, 12.345 -> 12.3, 0.61834 -> 0.618)."""
    if x is None:
        return None
    size = abs(x)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    return round(x, digits)


def short_day(day: date) -> str:
    """``22 Nov``."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def minute(moment: datetime) -> str:
    """A moment in UTC to the minute, as ``okrcli.render.text.when`` writes it (faster)."""
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(" ", "minutes")[:16]


def tip(e: Entry) -> str:
    """The tooltip of one value: when, who, what, how sure, why."""
    text = f"{e.when}: {e.value}"
    if e.confidence:
        text += f", confidence {e.confidence}"
    return f"{text} · {e.note}" if e.note else text


class Entry(NamedTuple):
    """One value of a timeline, as words: newest first on the page."""

    when: str  # "2026-11-20 10:31 · alice"
    value: str
    confidence: str
    note: str


#: a confidence in words: there are few, written again and again
confidence_words = functools.lru_cache(maxsize=4096)(num)


def timeline(points: list[Point], unit: str | None, milestone: bool = False) -> list[Entry]:
    """The values as words, newest first."""
    return [
        Entry(
            minute(p.at) + (f" · {p.by}" if p.by else ""),
            pct(p.value) if milestone else with_unit(p.value, unit),
            "" if p.confidence is None else confidence_words(p.confidence),
            p.note or "",
        )
        for p in reversed(points)
    ]


class Fact(NamedTuple):
    """One figure of a KR or KPI page: a label, its value and a line under it."""

    label: str
    value: str
    sub: str = ""


def kr_facts(d: KRDetail, badge: Callable[[str | None], Markup]) -> list[Fact]:
    """Where a key result stands, in words, for the top of its page."""
    k = d.row
    milestone = k.type == "milestone"
    facts = [
        Fact("Status", badge(k.status)),
        Fact("Progress", kr_percent(k), f"expected {pct(k.expected)}"),
    ]
    if milestone:
        facts.append(Fact("Done", pct(k.current)))
    else:
        if k.type in ("increase", "decrease"):
            facts.append(Fact("Start", with_unit(k.start, k.unit)))
        facts.append(Fact("Current", with_unit(k.current, k.unit)))
        label = {"keep_above": "Keep at or above", "keep_below": "Keep at or below"}
        facts.append(Fact(label.get(k.type, "Target"), with_unit(k.target, k.unit)))
    if shows_forecast(d) and d.forecast is not None:
        value = pct(d.forecast) if milestone else with_unit(approx(d.forecast), k.unit)
        sub = f"by {d.forecast_at}: progress {pct(d.forecast_progress)}"
        facts.append(Fact("Forecast", value, sub))
    elif k.status == "done":
        facts.append(Fact("Forecast", DASH, "done"))
    elif k.type in ("increase", "decrease", "milestone"):
        facts.append(Fact("Forecast", DASH, "needs two values"))
    else:
        facts.append(Fact("Forecast", DASH, "kept or not, day by day"))
    facts.append(Fact("Confidence", DASH if k.confidence is None else num(k.confidence)))
    facts.append(Fact("Updated", DASH if k.updated is None else day(k.updated)))
    if d.grade is not None:
        facts.append(
            Fact("Final grade", Markup(f"{grade_text(d.grade.grade)} ") + badge(d.grade.band))
        )
    return facts


def kr_bar(k: KRRow | ObjectiveRow) -> Markup:
    label = f"progress {pct(k.progress)}, expected {pct(k.expected)}: {status_word(k.status)}"
    return svg.progress_bar(k.progress, k.expected, k.status, label)


def band_words(
    direction: str | None,
    target: float | None,
    red: float | None,
    unit: str | None,
    low: float | None = None,
    high: float | None = None,
    tolerance: float | None = None,
) -> dict[str, str]:
    """What each band of a KPI means, in words: ``{"green": "green ≥99.9%", …}``."""
    if direction == "within":
        if low is None or high is None:
            return {}
        words = {"green": f"green {num(low)}–{with_unit(high, unit)}"}
        if tolerance:
            words["yellow"] = f"yellow within {with_unit(tolerance, unit)} outside"
        words["red"] = "red beyond"
        return words
    if target is None or direction is None:
        return {}
    up = direction == "up"
    better, worse = ("≥", "<") if up else ("≤", ">")
    words = {"green": f"green {better}{with_unit(target, unit)}"}
    if red is None or (red >= target if up else red <= target):
        words["red"] = f"red {worse}{with_unit(target, unit)}"
    else:
        low, high = (red, target) if up else (target, red)
        words["yellow"] = f"yellow {num(low)}–{with_unit(high, unit)}"
        words["red"] = f"red {worse}{with_unit(red, unit)}"
    return words


def kpi_spark(k: KPIRow) -> Markup:
    values = ", ".join(with_unit(v, k.unit) for v in k.trend)
    label = f"last {len(k.trend)} values, oldest first: {values}" if k.trend else "no values yet"
    return svg.sparkline(
        k.trend, label, svg.kpi_bands(k.direction, k.target, k.red, k.min, k.max, k.tolerance)
    )


def _marks(points: list[Point], entries: list[Entry]) -> list[svg.Mark]:
    """The chart's points; ``entries`` are their words, newest first (as ``timeline``)."""
    return [svg.Mark(p.at, p.value, tip(e)) for p, e in zip(points, reversed(entries), strict=True)]


def _span(first: date, last: date, points: list[Point]) -> tuple[datetime, datetime]:
    start = svg.moment(first)
    end = svg.moment(last + timedelta(days=1))
    if points:
        start = min(start, utc(points[0].at))
        end = max(end, utc(points[-1].at))
    return start, end


def shows_forecast(d: KRDetail) -> bool:
    """A forecast is shown for a KR that moves towards a target and is not done yet."""
    return (
        d.forecast is not None
        and d.row.type in ("increase", "decrease", "milestone")
        and d.row.status != "done"
    )


def kr_chart(d: KRDetail, as_of: date, entries: list[Entry] | None = None) -> Markup:
    k = d.row
    milestone = k.type == "milestone"

    def short(v: float | None) -> str:  # the unit is written on the axis
        return pct(v) if milestone else num(v)

    start, end = _span(d.first_day, d.last_day, d.points)
    chart = svg.LineChart(
        title=f"{k.title}: values from {d.first_day} to {d.last_day}",
        desc=kr_summary(d),
        start=start,
        end=end,
        marks=_marks(d.points, entries or timeline(d.points, k.unit, milestone)),
        value_label=(lambda v, step: pct(v)) if milestone else svg.tick_label,
        unit=None if milestone else k.unit,
        as_of=end_of_day(as_of),
        as_of_label=f"as of {short_day(as_of)}",
    )
    period_end = svg.moment(d.last_day + timedelta(days=1))
    if milestone:
        chart.baseline = (svg.moment(d.first_day), 0.0)
        chart.target, chart.target_label = 1.0, "done"
        chart.pace = ((svg.moment(d.first_day), 0.0), (period_end, 1.0))
    elif k.type in ("increase", "decrease"):
        chart.target, chart.target_label = k.target, f"target {short(k.target)}"
        if k.start is not None and k.target is not None:
            chart.baseline = (svg.moment(d.first_day), k.start)
            chart.pace = ((svg.moment(d.first_day), k.start), (period_end, k.target))
    else:  # keep_above / keep_below: the values hold on one side of the target
        sign = "≥" if k.type == "keep_above" else "≤"
        chart.target, chart.target_label = k.target, f"keep {sign}{short(k.target)}"
        direction = "up" if k.type == "keep_above" else "down"
        chart.bands = svg.kpi_bands(direction, k.target, None)
        chart.band_labels = {"green": "holds", "red": "misses"}
    if shows_forecast(d) and d.forecast is not None:
        chart.forecast = (svg.moment(d.forecast_at), d.forecast)
        chart.forecast_label = f"forecast {short(approx(d.forecast))}"
    return svg.line_chart(chart)


def kr_summary(d: KRDetail) -> str:
    """The chart's text alternative: where the KR started, stands, aims and is heading."""
    k = d.row
    milestone = k.type == "milestone"

    def value(v: float | None) -> str:
        return pct(v) if milestone else with_unit(v, k.unit)

    parts = []
    if k.type in ("increase", "decrease") and k.start is not None:
        parts.append(f"Start {value(k.start)} on {d.first_day}.")
    if d.points:
        last = d.points[-1]
        parts.append(
            f"{len(d.points)} value{'s' if len(d.points) != 1 else ''}; latest "
            f"{value(last.value)} on {utc(last.at).date()}: progress {pct(k.progress)}, "
            f"expected {pct(k.expected)}, {status_word(k.status)}."
        )
    else:
        parts.append("No value yet.")
    if k.type in ("keep_above", "keep_below"):
        sign = "at or above" if k.type == "keep_above" else "at or below"
        parts.append(f"Keep {sign} {value(k.target)}.")
    elif milestone:
        parts.append(f"Done at 100% by {d.last_day}.")
    else:
        parts.append(f"Target {value(k.target)} by {d.last_day}.")
    if shows_forecast(d):
        parts.append(
            f"Forecast {value(approx(d.forecast))} on {d.forecast_at} "
            f"(progress {pct(d.forecast_progress)})."
        )
    return " ".join(parts)


def kpi_chart(d: KPIDetail, as_of: date, entries: list[Entry] | None = None) -> Markup:
    k = d.row
    start, end = _span(d.first_day, d.last_day, d.points)
    chart = svg.LineChart(
        title=f"{k.title}: values from {d.first_day} to {d.last_day}",
        desc=kpi_summary(d),
        start=start,
        end=end,
        marks=_marks(d.points, entries or timeline(d.points, k.unit)),
        as_of=end_of_day(as_of),
        as_of_label=f"as of {short_day(as_of)}",
        unit=k.unit,
        target=k.target,
        target_label=f"target {'≥' if k.direction == 'up' else '≤'}{num(k.target)}",
        bands=svg.kpi_bands(k.direction, k.target, k.red, k.min, k.max, k.tolerance),
        band_labels=band_words(k.direction, k.target, k.red, k.unit, k.min, k.max, k.tolerance),
    )
    return svg.line_chart(chart)


def kpi_summary(d: KPIDetail) -> str:
    k = d.row
    parts = []
    if d.points:
        values = [p.value for p in d.points]
        parts.append(
            f"{len(values)} value{'s' if len(values) != 1 else ''} from "
            f"{utc(d.points[0].at).date()} to {utc(d.points[-1].at).date()}, lowest "
            f"{with_unit(min(values), k.unit)}, highest {with_unit(max(values), k.unit)}."
        )
    if k.value is not None:
        parts.append(f"Latest {with_unit(k.value, k.unit)}: {status_word(k.status)}.")
    else:
        parts.append("No value yet.")
    words = band_words(k.direction, k.target, k.red, k.unit, k.min, k.max, k.tolerance)
    if words:
        parts.append("Bands: " + ", ".join(words.values()) + ".")
    return " ".join(parts)
