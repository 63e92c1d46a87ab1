"""The Evaluator picks the right inputs: which check-ins count, start and current values.

Each test builds a tiny workspace, loads it for real and compares with numbers worked out
by hand.  2026-Q4 has 92 days; as of 2026-11-15 it is at day 46, so expected = 0.5.
"""

from __future__ import annotations

from datetime import date

import pytest

from okrcli.evaluate import Evaluator
from okrcli.loader import load_workspace
from okrcli.periods import Period

Q4 = Period(2026, 4)

KPIS = """\
kpis:
  - {id: signups, title: Sign-ups, owner: company, direction: up, cadence: weekly, target: 1200}
  - {id: churn, title: Churn, owner: company, direction: down, cadence: monthly, target: 2, red: 3}
"""


def plan(*krs: str) -> str:
    body = "".join(f"      - {kr}\n" for kr in krs)
    return (
        f"team: company\nobjectives:\n  - id: obj\n    title: Objective\n    key_results:\n{body}"
    )


def load(make_workspace, krs, checkins, as_of="2026-11-15"):
    files = {"okrs/2026-Q4/company.yaml": plan(*krs), "kpis/k.yaml": KPIS}
    for month, lines in checkins.items():
        files[f"checkins/{month}.yaml"] = "".join(f"- {line}\n" for line in lines)
    day = date.fromisoformat(as_of)
    ws = load_workspace(make_workspace(files), today=day)
    assert ws.errors == 0, ws.diagnostics
    return ws, Evaluator(ws, day)


def kr(ws, ev, id_):
    ref = ws.key_result(id_, Q4)
    assert ref is not None
    return ev.key_result(ref)


def test_latest_counted_checkin_wins_and_later_ones_do_not_count(make_workspace):
    ws, ev = load(
        make_workspace,
        ["{id: rev, title: Revenue, start: 100, target: 200}"],
        {
            "2026-10": ['{at: "2026-10-01", id: rev, value: 120, confidence: 0.5}'],
            "2026-11": [
                '{at: "2026-11-15T23:59:59+00:00", id: rev, value: 140}',
                '{at: "2026-11-16T00:00:00+00:00", id: rev, value: 190, confidence: 0.9}',
            ],
        },
    )
    r = kr(ws, ev, "rev")
    assert r.current == 140
    assert r.progress == pytest.approx(0.4)  # (140 - 100) / (200 - 100)
    assert r.status == "on_track"  # 0.4 >= 0.5 - 0.15
    # the latest counted check-in had no confidence: none is shown
    assert r.confidence is None
    assert [p.value for p in r.points] == [120, 140]


def test_date_only_checkin_on_the_first_day_counts_from_midnight(make_workspace):
    ws, ev = load(
        make_workspace,
        ["{id: rev, title: Revenue, start: 100, target: 200}"],
        {"2026-10": ['{at: "2026-10-01", id: rev, value: 110, confidence: 0.7}']},
        as_of="2026-10-01",
    )
    r = kr(ws, ev, "rev")
    assert r.current == 110
    assert r.confidence == 0.7
    assert r.expected == 1 / 92
    assert r.updated is not None and r.updated.isoformat() == "2026-10-01T00:00:00+00:00"


def test_tie_on_at_goes_to_the_later_line_even_across_offsets(make_workspace):
    ws, ev = load(
        make_workspace,
        ["{id: lat, title: Latency, start: 800, target: 400}"],
        {
            "2026-11": [
                '{at: "2026-11-01T12:00:00+00:00", id: lat, value: 700, confidence: 0.4}',
                '{at: "2026-11-01T13:00:00+01:00", id: lat, value: 600, confidence: 0.8}',
            ]
        },
    )
    r = kr(ws, ev, "lat")
    assert r.type == "decrease"
    assert r.current == 600
    assert r.confidence == 0.8
    assert r.progress == pytest.approx(0.5)  # (600 - 800) / (400 - 800)


def test_offset_moves_a_checkin_into_the_as_of_day(make_workspace):
    # 2026-11-16T00:30+02:00 is 2026-11-15T22:30 UTC: it counts as of 2026-11-15
    ws, ev = load(
        make_workspace,
        ["{id: spot, title: Spot, start: 10, target: 50}"],
        {"2026-11": ['{at: "2026-11-16T00:30:00+02:00", id: spot, value: 60}']},
    )
    r = kr(ws, ev, "spot")
    assert r.current == 60
    assert r.attainment == pytest.approx(1.25)  # (60 - 10) / (50 - 10)
    assert r.progress == 1.0
    assert r.status == "done"


def test_a_kr_never_measured_has_no_data_whatever_its_type(make_workspace):
    ws, ev = load(
        make_workspace,
        [
            "{id: rev, title: Revenue, start: 100, target: 200}",
            "{id: ship, title: Ship, type: milestone}",
        ],
        {},
    )
    rev, ship = kr(ws, ev, "rev"), kr(ws, ev, "ship")
    # not its start, not 0: no data (SPEC §4), and its objective has none either
    assert (rev.start, rev.current, rev.progress, rev.attainment) == (100, None, None, None)
    assert rev.status == "no_data"
    assert (ship.current, ship.progress, ship.status) == (None, None, "no_data")
    assert rev.updated is None and rev.confidence is None
    obj = ev.objective(ws.objectives[0])
    assert (obj.progress, obj.status) == (None, "no_data")


class TestLinkedKR:
    KR = "{id: more, title: More sign-ups, kpi: signups, type: increase, target: 1400}"

    def test_start_is_the_latest_value_before_the_period(self, make_workspace):
        ws, ev = load(
            make_workspace,
            [self.KR],
            {
                "2026-09": [
                    '{at: "2026-09-01T09:00:00+00:00", id: signups, value: 900}',
                    '{at: "2026-09-28T09:00:00+00:00", id: signups, value: 1000}',
                ],
                "2026-11": ['{at: "2026-11-10T09:00:00+00:00", id: signups, value: 1100}'],
            },
        )
        r = kr(ws, ev, "more")
        assert (r.start, r.current) == (1000, 1100)
        assert r.progress == pytest.approx(0.25)  # 100 / 400
        assert r.status == "at_risk"  # 0.2 <= 0.25 < 0.35
        assert [p.value for p in r.points] == [1100]  # only values inside the period

    def test_a_value_on_the_first_day_is_the_start(self, make_workspace):
        ws, ev = load(
            make_workspace,
            [self.KR],
            {
                "2026-09": ['{at: "2026-09-28T09:00:00+00:00", id: signups, value: 900}'],
                "2026-10": ['{at: "2026-10-01T09:00:00+00:00", id: signups, value: 1000}'],
            },
        )
        r = kr(ws, ev, "more")
        assert (r.start, r.current, r.progress) == (1000, 1000, 0.0)

    def test_no_value_before_the_period_starts_at_the_first_inside(self, make_workspace):
        ws, ev = load(
            make_workspace,
            [self.KR],
            {
                "2026-10": ['{at: "2026-10-05T09:00:00+00:00", id: signups, value: 1000}'],
                "2026-11": ['{at: "2026-11-10T09:00:00+00:00", id: signups, value: 1100}'],
            },
        )
        r = kr(ws, ev, "more")
        assert (r.start, r.current) == (1000, 1100)
        assert r.progress == pytest.approx(0.25)

    def test_no_value_at_all_is_no_data(self, make_workspace):
        ws, ev = load(make_workspace, [self.KR], {})
        r = kr(ws, ev, "more")
        assert (r.start, r.current, r.progress, r.status) == (None, None, None, "no_data")
        obj = ev.objective(ws.objectives[0])
        assert (obj.progress, obj.status) == (None, "no_data")

    def test_value_only_before_the_period_is_the_start_but_no_data(self, make_workspace):
        ws, ev = load(
            make_workspace,
            [self.KR],
            {"2026-09": ['{at: "2026-09-28T09:00:00+00:00", id: signups, value: 1000}']},
        )
        r = kr(ws, ev, "more")
        # the KPI has not been measured inside the period: the KR has no data yet
        assert (r.start, r.current, r.progress, r.status) == (1000, None, None, "no_data")
        assert r.updated is None


KEEP_VALUES = {
    "2026-09": ['{at: "2026-09-01T09:00:00+00:00", id: churn, value: 1.5}'],
    "2026-12": ['{at: "2026-12-01T09:00:00+00:00", id: churn, value: 1.8}'],
}


class TestKeep:
    KR = "{id: low-churn, title: Low churn, kpi: churn, type: keep_below, target: 2}"
    VALUES = KEEP_VALUES

    def test_before_a_value_inside_the_period_there_is_no_data(self, make_workspace):
        ws, ev = load(make_workspace, [self.KR], self.VALUES, as_of="2026-11-15")
        r = kr(ws, ev, "low-churn")
        assert (r.current, r.progress, r.status) == (None, None, "no_data")

    def test_holding_before_the_last_day_is_on_track(self, make_workspace):
        ws, ev = load(make_workspace, [self.KR], self.VALUES, as_of="2026-12-30")
        r = kr(ws, ev, "low-churn")
        assert (r.current, r.progress, r.status) == (1.8, 1.0, "on_track")
        # its objective has progress 1 but is not done while the KR is not
        obj = ev.objective(ws.objectives[0])
        assert (obj.progress, obj.status) == (1.0, "on_track")

    def test_holding_on_the_last_day_is_done(self, make_workspace):
        ws, ev = load(make_workspace, [self.KR], self.VALUES, as_of="2026-12-31")
        r = kr(ws, ev, "low-churn")
        assert r.status == "done"
        assert ev.objective(ws.objectives[0]).status == "done"

    def test_broken_is_off_track(self, make_workspace):
        values = {"2026-10": ['{at: "2026-10-20T09:00:00+00:00", id: churn, value: 2.1}']}
        ws, ev = load(make_workspace, [self.KR], values, as_of="2027-01-05")
        r = kr(ws, ev, "low-churn")
        assert (r.progress, r.status) == (0.0, "off_track")


def test_kpi_results(make_workspace):
    ws, ev = load(
        make_workspace,
        ["{id: rev, title: Revenue, start: 100, target: 200}"],
        {
            "2026-08": ['{at: "2026-08-01T09:00:00+00:00", id: churn, value: 2.0}'],
            "2026-09": ['{at: "2026-09-01T09:00:00+00:00", id: churn, value: 2.5}'],
            "2026-10": ['{at: "2026-10-01T09:00:00+00:00", id: churn, value: 3.5}'],
        },
    )
    churn = ev.kpi(ws.kpis["churn"], Q4)
    assert churn.value == 3.5
    assert churn.status == "red"  # worse than red (3)
    assert churn.trend == [2.0, 2.5, 3.5]
    assert churn.declining  # rising three times for a 'down' KPI
    assert not churn.stale  # 45 days old, monthly: stale only beyond 45
    assert not churn.addressed
    assert churn.needs_attention
    signups = ev.kpi(ws.kpis["signups"], Q4)
    assert (signups.value, signups.status, signups.stale) == (None, "no_data", False)
    assert not signups.needs_attention


def test_a_year_kr_addresses_a_kpi_in_its_quarters(make_workspace):
    files = {
        "okrs/2026/company.yaml": plan(
            "{id: low-churn, title: Low churn, kpi: churn, type: keep_below, target: 2}"
        ),
        "kpis/k.yaml": KPIS,
    }
    ws = load_workspace(make_workspace(files), today=date(2026, 11, 15))
    assert ws.errors == 0, ws.diagnostics
    ev = Evaluator(ws, date(2026, 11, 15))
    assert ev.kpi(ws.kpis["churn"], Q4).addressed
    assert not ev.kpi(ws.kpis["churn"], Period(2027, 1)).addressed


def test_roll_up_of_an_objective_without_krs(make_workspace):
    files = {
        "okrs/2026-Q4/company.yaml": (
            "team: company\nobjectives:\n  - {id: top, title: Top}\n"
            "  - id: a\n    title: A\n    aligns_to: top\n    key_results:\n"
            "      - {id: a1, title: A1, start: 0, target: 10}\n"
            "  - id: b\n    title: B\n    aligns_to: top\n    key_results:\n"
            "      - {id: b1, title: B1, start: 0, target: 10, weight: 3}\n"
            "      - {id: b2, title: B2, type: milestone}\n"
            "  - {id: empty, title: Empty, aligns_to: top}\n"
        ),
        "checkins/2026-11.yaml": (
            '- {at: "2026-11-01T09:00:00+00:00", id: a1, value: 2}\n'
            '- {at: "2026-11-01T09:00:00+00:00", id: b1, value: 8}\n'
        ),
    }
    ws = load_workspace(make_workspace(files), today=date(2026, 11, 15))
    ev = Evaluator(ws, date(2026, 11, 15))
    by_id = {o.id: ev.objective(o) for o in ws.objectives}
    assert by_id["a"].progress == pytest.approx(0.2)
    # b2 has never been checked in: it has no data and is left out: 0.8 * 3 / 3
    assert by_id["b"].progress == pytest.approx(0.8)
    assert by_id["empty"].progress is None  # no KRs and nothing aligned to it
    # 'top' is the plain mean of its children with data: (0.2 + 0.8) / 2
    assert by_id["top"].progress == pytest.approx(0.5)
    assert by_id["top"].status == "on_track"  # expected 46/92 = 0.5
