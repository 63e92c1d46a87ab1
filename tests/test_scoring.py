"""The pure formulas of SPEC §4, each checked against numbers worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from okrcli import scoring
from okrcli.periods import Period

Q4 = Period(2026, 4)  # 2026-10-01 … 2026-12-31, 92 days


class TestElapsed:
    def test_spec_example(self):
        # 2026-Q4 as of 2026-11-22: 31 October days + 22 = day 53 of 92
        assert scoring.elapsed(Q4, date(2026, 11, 22)) == 53 / 92

    def test_first_day_counts_as_one_day(self):
        assert scoring.elapsed(Q4, date(2026, 10, 1)) == 1 / 92

    def test_last_day_is_complete(self):
        assert scoring.elapsed(Q4, date(2026, 12, 31)) == 1.0

    def test_before_the_period_is_zero(self):
        assert scoring.elapsed(Q4, date(2026, 9, 30)) == 0.0
        assert scoring.elapsed(Q4, date(2025, 1, 1)) == 0.0

    def test_after_the_period_is_one(self):
        assert scoring.elapsed(Q4, date(2027, 3, 1)) == 1.0

    def test_fiscal_quarter(self):
        # fiscal year from February: Q1 is Feb 1 … Apr 30 (28 + 31 + 30 = 89 days)
        q1 = Period(2026, 1, fiscal_start=2)
        assert scoring.elapsed(q1, date(2026, 3, 1)) == 29 / 89

    def test_year(self):
        assert scoring.elapsed(Period(2026, None), date(2026, 11, 22)) == 326 / 365


class TestProgress:
    def test_increase(self):
        assert scoring.kr_progress("increase", 100, 200, 140) == pytest.approx(0.4)

    def test_decrease_spec_example(self):
        # p99 latency 850 -> 620 toward 300: 230 / 550
        assert scoring.kr_progress("decrease", 850, 300, 620) == pytest.approx(0.41818, abs=1e-5)

    def test_overachievement_is_clamped_but_attainment_is_not(self):
        assert scoring.kr_progress("increase", 10, 50, 60) == 1.0
        assert scoring.attainment(10, 50, 60) == pytest.approx(1.25)

    def test_going_backwards_is_clamped_at_zero(self):
        assert scoring.kr_progress("decrease", 800, 400, 900) == 0.0
        assert scoring.attainment(800, 400, 900) == pytest.approx(-0.25)

    def test_keep_above_and_below(self):
        assert scoring.kr_progress("keep_above", None, 99.9, 99.9) == 1.0
        assert scoring.kr_progress("keep_above", None, 99.9, 99.89) == 0.0
        assert scoring.kr_progress("keep_below", None, 2.0, 2.0) == 1.0
        assert scoring.kr_progress("keep_below", None, 2.0, 2.01) == 0.0

    def test_milestone_is_its_value(self):
        assert scoring.kr_progress("milestone", None, None, 0.55) == 0.55
        assert scoring.kr_progress("milestone", None, None, 1.0) == 1.0


class TestStatus:
    # expected 0.5, pace 0.15 / 0.30: on track from 0.35, at risk from 0.20
    @pytest.mark.parametrize(
        ("progress", "want"),
        [
            (1.0, "done"),
            (0.999, "on_track"),
            (0.35, "on_track"),
            (0.3499, "at_risk"),
            (0.20, "at_risk"),
            (0.1999, "off_track"),
            (0.0, "off_track"),
            (None, "no_data"),
        ],
    )
    def test_bands(self, progress, want):
        assert scoring.status(progress, 0.5, 0.15, 0.30) == want

    def test_keep_status(self):
        assert scoring.keep_status(True, period_over=False) == "on_track"
        assert scoring.keep_status(True, period_over=True) == "done"
        assert scoring.keep_status(False, period_over=True) == "off_track"
        assert scoring.keep_status(None, period_over=False) == "no_data"

    def test_objective_done_only_when_every_part_is_done(self):
        assert scoring.objective_status(1.0, 0.5, 0.15, 0.3, all_done=True) == "done"
        assert scoring.objective_status(1.0, 0.5, 0.15, 0.3, all_done=False) == "on_track"
        assert scoring.objective_status(0.1, 0.5, 0.15, 0.3, all_done=False) == "off_track"


class TestWeightedMean:
    def test_weights(self):
        # (0.4 * 3 + 0 * 1) / 4
        assert scoring.weighted_mean([(0.4, 3), (0.0, 1)]) == pytest.approx(0.3)

    def test_empty_is_none(self):
        assert scoring.weighted_mean([]) is None


class TestKpiStatus:
    @pytest.mark.parametrize(
        ("value", "want"),
        [(99.95, "green"), (99.9, "green"), (99.7, "yellow"), (99.5, "yellow"), (99.4, "red")],
    )
    def test_up(self, value, want):
        assert scoring.kpi_status(value, 99.9, 99.5, "up") == want

    @pytest.mark.parametrize(
        ("value", "want"), [(1.5, "green"), (2.0, "green"), (3.0, "yellow"), (3.5, "red")]
    )
    def test_down(self, value, want):
        assert scoring.kpi_status(value, 2.0, 3.0, "down") == want

    def test_without_red_anything_worse_than_target_is_red(self):
        assert scoring.kpi_status(1100, 1200, None, "up") == "red"
        assert scoring.kpi_status(1200, 1200, None, "up") == "green"

    def test_no_value_and_no_target(self):
        assert scoring.kpi_status(None, 40, 20, "up") == "no_data"
        assert scoring.kpi_status(80, None, None, "up") is None


class TestStale:
    def test_weekly_after_ten_and_a_half_days(self):
        assert not scoring.is_stale(date(2026, 11, 1), date(2026, 11, 11), "weekly")  # 10 d
        assert scoring.is_stale(date(2026, 11, 1), date(2026, 11, 12), "weekly")  # 11 d

    def test_monthly_at_exactly_45_days_is_fresh(self):
        assert not scoring.is_stale(date(2026, 10, 1), date(2026, 11, 15), "monthly")
        assert scoring.is_stale(date(2026, 10, 1), date(2026, 11, 16), "monthly")

    def test_daily_and_quarterly(self):
        assert scoring.is_stale(date(2026, 11, 1), date(2026, 11, 3), "daily")
        assert not scoring.is_stale(date(2026, 7, 1), date(2026, 11, 14), "quarterly")  # 136 d
        assert scoring.is_stale(date(2026, 7, 1), date(2026, 11, 15), "quarterly")  # 137 d


class TestWrongWay:
    def test_three_falling_values_for_up(self):
        assert scoring.moving_wrong_way([1217, 1200, 1179], "up")
        assert not scoring.moving_wrong_way([1200, 1217, 1179], "up")

    def test_rising_values_for_down(self):
        assert scoring.moving_wrong_way([2.0, 2.5, 3.5], "down")
        assert not scoring.moving_wrong_way([2.0, 2.5, 3.5], "up")

    def test_flat_is_not_wrong_and_two_values_are_too_few(self):
        assert not scoring.moving_wrong_way([5, 5, 4], "up")
        assert not scoring.moving_wrong_way([5, 4], "up")


class TestForecast:
    def test_straight_line(self):
        # 0 at day 0, 10 at day 10: read at day 30 -> 30
        assert scoring.linear_forecast([(0, 0), (10, 10)], 30) == pytest.approx(30)

    def test_least_squares(self):
        # points (0,0), (1,1), (2,5): slope 2.5, mean (1, 2) -> at 3: 2 + 2.5 * 2 = 7
        assert scoring.linear_forecast([(0, 0), (1, 1), (2, 5)], 3) == pytest.approx(7)

    def test_too_few_points(self):
        assert scoring.linear_forecast([(0, 1)], 5) is None
        assert scoring.linear_forecast([(2, 1), (2, 3)], 5) is None


def test_grade_bands():
    assert scoring.grade_band(0.7) == "green"
    assert scoring.grade_band(0.69) == "yellow"
    assert scoring.grade_band(0.4) == "yellow"
    assert scoring.grade_band(0.39) == "red"
