"""The report's SVG charts, through their real output: scales, ticks, bands, figures."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("jinja2")

from okrcli import scoring
from okrcli.render.html import svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """The SVG as XML (it must be well-formed), with the SVG namespace added."""
    return ET.fromstring(
        str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# --- scales and ticks --------------------------------------------------------------------


def test_scale_maps_linearly_and_may_run_backwards():
    y = svg.Scale(0, 100, 300, 20)  # a y axis: 0 at the bottom
    assert y(0) == 300
    assert y(100) == 20
    assert y(50) == 160
    assert y.clamped(150) == 20
    assert y.clamped(-5) == 300
    assert svg.Scale(5, 5, 0, 10)(5) == 5  # an empty domain maps to the middle


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 1, (0.0, 1.0, 0.25)),
        (300, 850, (200.0, 1000.0, 200.0)),
        (99.86, 99.99, (99.85, 100.0, 0.05)),
        (-3, 7, (-5.0, 7.5, 2.5)),
        (42, 42, (37.5, 47.5, 2.5)),  # one value gets room on both sides
        (0, 0, (-1.0, 1.0, 0.5)),
    ],
)
def test_nice_domain(low, high, expected):
    found = svg.nice_domain(low, high, 4)
    assert found == pytest.approx(expected)


def test_ticks_are_exact_multiples_without_float_noise():
    assert svg.ticks(99.85, 100.0, 0.05) == [99.85, 99.9, 99.95, 100.0]
    assert svg.ticks(0, 1, 0.25) == [0, 0.25, 0.5, 0.75, 1]
    assert svg.ticks(-4, 8, 2) == [-4, -2, 0, 2, 4, 6, 8]


def test_tick_labels_carry_the_decimals_their_step_needs():
    assert [svg.tick_label(v, 0.05) for v in (99.85, 99.9, 100.0)] == ["99.85", "99.90", "100.00"]
    assert [svg.tick_label(v, 200) for v in (200, 400)] == ["200", "400"]
    assert svg.tick_label(0.0, 0.25) == "0.00"
    assert svg.decimals(2.5) == 1
    assert svg.tick_label(-0.0, 1) == "0"
    assert svg.tick_label(-0.001, 0.5) == "0.0"


def test_points_attr():
    assert svg.points_attr([(1, 2), (3.25, 4.04)]) == "1.0,2.0 3.2,4.0"


# --- bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "red"),
    [("up", 99.9, 99.5), ("up", 1500, None), ("down", 400, 700), ("down", 2.0, None)],
)
def test_kpi_bands_agree_with_the_kpi_status(direction, target, red):
    bands = svg.kpi_bands(direction, target, red)
    for value in (0, red or 0, target, target * 0.999, target * 1.001, (red or target) * 1.5, 1e6):
        inside = [b.status for b in bands if b.low <= value <= b.high]
        expected = scoring.kpi_status(value, target, red, direction)
        # a threshold belongs to two touching bands; the status is one of them
        assert expected in inside, (value, inside, expected)
        exact = [s for s in inside if not any(value in (b.low, b.high) for b in bands)]
        assert exact in ([], [expected])


def test_no_target_no_bands():
    assert svg.kpi_bands("up", None, 5) == []


def test_band_rects_are_clipped_to_the_domain_and_empty_ones_left_out():
    y = svg.Scale(99.8, 100.0, 300, 20)
    rects = svg.band_rects(svg.kpi_bands("up", 99.9, 99.5), y, 60, 800)
    assert [re.search(r"band-(\w+)", r).group(1) for r in rects] == ["green", "yellow"]
    heights = [float(re.search(r'height="([\d.]+)"', r).group(1)) for r in rects]
    assert sum(heights) == pytest.approx(280)


# --- small figures -------------------------------------------------------------------------


def test_progress_bar_fill_and_pace_marker():
    bar = parse(svg.progress_bar(0.35, 0.58, "at_risk", "progress 35%, expected 58%: at risk"))
    assert bar.get("role") == "img"
    assert bar.get("aria-label") == "progress 35%, expected 58%: at risk"
    fill = bar.find(f"{SVG}rect[@class='bar-fill s-at_risk']")
    assert fill is not None and fill.get("width") == "35.0"
    pace = bar.find(f"{SVG}line[@class='bar-pace']")
    assert pace is not None and pace.get("x1") == "58.0"


def test_progress_bar_clamps_and_shows_no_fill_without_data():
    over = parse(svg.progress_bar(1.4, 1.2, "done", "x"))
    assert over.find(f"{SVG}rect[@class='bar-fill s-done']").get("width") == "100.0"
    assert over.find(f"{SVG}line").get("x1") == "100.0"
    empty = parse(svg.progress_bar(None, 0.5, "no_data", "no data"))
    assert empty.find(f"{SVG}rect[@class='bar-fill s-no_data']") is None


def test_stacked_bar_splits_in_proportion():
    bar = parse(svg.stacked_bar([("on_track", 1), ("at_risk", 3), ("off_track", 0)], "label"))
    widths = {r.get("class"): float(r.get("width")) for r in bar.findall(f"{SVG}rect")[1:]}
    assert widths == {"bar-fill s-on_track": 25.0, "bar-fill s-at_risk": 75.0}


def test_sparkline_has_a_point_per_value_and_dots_the_newest():
    line = parse(svg.sparkline([3, 1, 2], "three values", svg.kpi_bands("up", 2, 1)))
    points = line.find(f"{SVG}polyline").get("points").split()
    assert len(points) == 3
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[1] > ys[2] > ys[0]  # 1 is lowest, drawn lowest (largest y)
    dot = line.find(f"{SVG}circle")
    assert points[-1] == f"{dot.get('cx')},{dot.get('cy')}"
    assert line.get("aria-label") == "three values"
    assert svg.sparkline([], "none").count("<polyline") == 0
    flat = parse(svg.sparkline([5], "one"))
    assert len(flat.find(f"{SVG}polyline").get("points").split()) == 2


# --- the line chart ------------------------------------------------------------------------


def chart(**overrides: object) -> svg.LineChart:
    base = svg.LineChart(
        title="Cut API p99 latency",
        desc="Start 850 ms; latest 620 ms.",
        start=utc(2026, 10, 1),
        end=utc(2027, 1, 1),
        marks=[
            svg.Mark(utc(2026, 10, 9, 10, 31), 760, "2026-10-09: 760 ms"),
            svg.Mark(utc(2026, 11, 20, 10, 31), 620, "2026-11-20: 620 ms"),
        ],
        unit="ms",
        baseline=(utc(2026, 10, 1), 850),
        target=300,
        target_label="target 300 ms",
        pace=((utc(2026, 10, 1), 850), (utc(2027, 1, 1), 300)),
        forecast=(utc(2026, 12, 31), 416),
        forecast_label="forecast 416 ms",
        as_of=utc(2026, 11, 23),
        as_of_label="as of 22 Nov",
    )
    for key, value in overrides.items():
        setattr(base, key, value)
    return base


def test_line_chart_draws_every_part_with_a_text_alternative():
    root = parse(svg.line_chart(chart()))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "Cut API p99 latency"
    assert root.find(f"{SVG}desc").text == "Start 850 ms; latest 620 ms."
    classes = [e.get("class") for e in root.iter()]
    for part in ("values", "target", "pace", "forecast", "forecast-dot", "asof", "start-dot"):
        assert part in classes, part
    assert classes.count("dot") == 2
    texts = [e.text for e in root.iter(f"{SVG}text")]
    assert {"target 300 ms", "forecast 416 ms", "as of 22 Nov", "ms"} <= set(texts)
    assert {"Oct", "Nov", "Dec"} <= set(texts)
    assert "Jan 2027" not in texts  # the period's end is not a tick
    # each point has a tooltip
    assert [t.text for t in root.iter(f"{SVG}title")][1:] == [
        "2026-10-09: 760 ms",
        "2026-11-20: 620 ms",
    ]


def test_line_chart_geometry_follows_the_values():
    root = parse(svg.line_chart(chart()))
    line = root.find(f"{SVG}polyline[@class='values']").get("points").split()
    xs = [float(p.split(",")[0]) for p in line]
    ys = [float(p.split(",")[1]) for p in line]
    assert xs == sorted(xs)  # time runs left to right
    assert ys == sorted(ys)  # 850 > 760 > 620: falling values are drawn lower each time
    target_y = float(root.find(f"{SVG}line[@class='target']").get("y1"))
    assert target_y > ys[-1]  # 300 below 620
    pace = root.find(f"{SVG}line[@class='pace']")
    assert (pace.get("x1"), pace.get("y1")) == tuple(line[0].split(","))  # from the start
    assert float(pace.get("y2")) == target_y  # to the target at the period's end


def test_line_chart_labels_of_target_and_forecast_never_overlap():
    close = parse(svg.line_chart(chart(forecast=(utc(2026, 12, 31), 305))))
    labels = {e.text: float(e.get("y")) for e in close.iter(f"{SVG}text")}
    assert abs(labels["target 300 ms"] - labels["forecast 416 ms"]) >= 16


def test_line_chart_escapes_every_text():
    nasty = '<script>alert(1)</script> & "quotes"'
    markup = svg.line_chart(
        chart(
            title=nasty,
            desc=nasty,
            target_label=nasty,
            marks=[svg.Mark(utc(2026, 10, 9), 760, nasty)],
            band_labels={"green": nasty},
            bands=svg.kpi_bands("down", 400, 700),
            unit=nasty,
        )
    )
    assert "<script>" not in markup
    root = parse(markup)  # still well-formed
    assert root.find(f"{SVG}title").text == nasty


def test_line_chart_bands_are_named_in_words():
    root = parse(
        svg.line_chart(
            chart(
                bands=svg.kpi_bands("up", 99.9, 99.5),
                band_labels={"green": "green ≥99.9%", "yellow": "yellow 99.5–99.9%"},
                marks=[
                    svg.Mark(utc(2026, 10, 9), 99.7, "a"),
                    svg.Mark(utc(2026, 11, 9), 99.95, "b"),
                ],
                baseline=None,
                pace=None,
                forecast=None,
                target=99.9,
            )
        )
    )
    names = {e.text for e in root.iter(f"{SVG}text") if e.get("class") == "band-label"}
    assert names == {"green ≥99.9%", "yellow 99.5–99.9%"}


def test_line_chart_without_values_still_draws_axes():
    root = parse(svg.line_chart(chart(marks=[], baseline=None, forecast=None, pace=None)))
    assert root.find(f"{SVG}polyline") is None
    assert root.find(f"{SVG}line[@class='axis']") is not None


def test_time_ticks_months_and_weeks():
    months = svg.time_ticks(utc(2026, 1, 1), utc(2027, 1, 1))
    assert len(months) <= 8
    assert months[0][1] == "Jan 2026"
    weeks = svg.time_ticks(utc(2026, 11, 4), utc(2026, 12, 1))
    assert [label for _, label in weeks] == ["9 Nov", "16 Nov", "23 Nov", "30 Nov"]
    assert all(at.weekday() == 0 for at, _ in weeks)


def test_moment_is_the_start_of_the_day_in_utc():
    assert svg.moment(date(2026, 10, 1)) == utc(2026, 10, 1)
    assert not math.isnan(svg.Scale(0, 1, 0, 1)(0.5))


@given(st.text())
def test_esc_escapes_as_markupsafe_does(text):
    from markupsafe import escape

    assert svg.esc(text) == svg._esc(text) == str(escape(text))
