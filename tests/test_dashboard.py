"""The dashboard's data (okrcli.dashboard): the same figures as the scorecard, the tree and
okr close, assembled for the report; checked on the bundled example and small workspaces."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from okrcli import dashboard as dash
from okrcli.evaluate import Evaluator
from okrcli.grading import grade
from okrcli.loader import load_workspace
from okrcli.periods import parse_period

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-22"  # the date the bundled example is written for
DAY = date.fromisoformat(AS_OF)
Q4, Q3 = parse_period("2026-Q4"), parse_period("2026-Q3")


@pytest.fixture(scope="module")
def ws():
    return load_workspace(EXAMPLE, today=DAY)


@pytest.fixture(scope="module")
def board(ws):
    return dash.build_dashboard(ws, Q4, DAY)


def test_the_scorecard_is_the_one_okr_scorecard_prints(okr, board):
    printed = okr("scorecard", "--root", str(EXAMPLE), "--as-of", AS_OF, "--format", "json")
    assert printed.exit_code == 0
    assert board.scorecard.to_json() == json.loads(printed.stdout)


def test_the_tree_is_the_one_okr_tree_prints(okr, board):
    printed = okr("tree", "--root", str(EXAMPLE), "--as-of", AS_OF, "--format", "json")
    assert board.tree.to_json() == json.loads(printed.stdout)


def test_header_figures(board):
    assert (board.org, str(board.period), board.as_of, board.team) == (
        "Acme Inc.",
        "2026-Q4",
        DAY,
        None,
    )
    assert board.scorecard.days_run == 53
    assert not board.ended
    assert board.grades is None


def test_a_page_per_kr_in_scorecard_order_with_the_evaluators_series(ws, board):
    rows = [k.id for o in board.scorecard.objectives for k in o.key_results]
    assert [k.row.id for k in board.key_results] == rows
    ev = Evaluator(ws, DAY)
    for detail in board.key_results:
        result = ev.key_result(ws.key_result(detail.row.id, Q4))
        assert [(p.at, p.value, p.note) for p in detail.points] == [
            (p.at, p.value, p.note) for p in result.points
        ]
        assert detail.forecast == result.forecast
        assert detail.forecast_progress == result.forecast_progress
        assert (detail.first_day, detail.last_day, detail.forecast_at) == (
            Q4.first_day,
            Q4.last_day,
            Q4.last_day,
        )
    p99 = next(k for k in board.key_results if k.row.id == "p99-latency")
    assert [p.value for p in p99.points] == [760, 690, 640, 620]
    assert p99.forecast == pytest.approx(415.625)
    assert (p99.team.id, p99.team.name, p99.objective.id) == (
        "platform",
        "Platform",
        "reliable-platform",
    )


def test_kpi_pages_show_the_period_widened_to_the_last_eight_values(board):
    kpis = {k.row.id: k for k in board.kpis}
    assert list(kpis) == [k.id for k in board.scorecard.kpis]
    uptime = kpis["api-uptime"]
    assert [p.value for p in uptime.points][-8:] == uptime.row.trend
    assert uptime.first_day == date(2026, 9, 28)  # the 8th value back, before the quarter
    assert uptime.last_day == Q4.last_day
    assert [k.id for k in uptime.linked] == ["uptime-held"]
    assert uptime.team is not None and uptime.team.name == "Platform"
    assert kpis["mrr"].linked == []


def test_needs_attention(board):
    found = [(a.reason, a.kind, a.id) for a in board.attention]
    assert found == [
        (dash.RED_UNADDRESSED, "kpi", "mrr"),
        (dash.DECLINING_UNADDRESSED, "kpi", "weekly-signups"),
        (dash.DECLINING_UNADDRESSED, "kpi", "tickets-per-agent"),
        (dash.OFF_TRACK, "kr", "q4-pricing-page"),
        (dash.OFF_TRACK, "kr", "sev1-free"),
        (dash.OFF_TRACK, "kr", "uptime-held"),
        (dash.OFF_TRACK, "kr", "activation"),
        (dash.OFF_TRACK, "kr", "first-response"),  # its KPI went red on 11-21
    ]
    assert board.attention[0].kpi is not None and board.attention[0].kpi.status == "red"
    assert board.attention[4].team == "engineering"


def test_overdue_and_unmeasured_things_need_attention(make_workspace):
    root = make_workspace(
        {
            "kpis/k.yaml": (
                "kpis:\n"
                "  - {id: old, title: Old, owner: platform, direction: up, cadence: weekly,"
                " target: 5}\n"
                "  - {id: never, title: Never, owner: platform, direction: up, cadence: weekly,"
                " target: 5}\n"
            ),
            "okrs/2026-Q4/platform.yaml": (
                "team: platform\nobjectives:\n  - id: o\n    title: O\n    key_results:\n"
                "      - {id: k, title: K, type: keep_above, target: 10}\n"
            ),
            "checkins/2026-10.yaml": '- {at: "2026-10-01", id: old, value: 6}\n',
        }
    )
    ws = load_workspace(root, today=DAY)
    board = dash.build_dashboard(ws, Q4, DAY)
    assert [(a.reason, a.id) for a in board.attention] == [
        (dash.STALE, "old"),
        (dash.NO_VALUE, "never"),
        (dash.NO_VALUE, "k"),
    ]


def test_team_pages_top_down_with_ancestors_and_sub_teams(board):
    pages = {t.id: t for t in board.teams}
    assert list(pages) == ["company", "engineering", "platform", "growth", "support"]
    assert [a.id for a in pages["platform"].ancestors] == ["company", "engineering"]
    assert [c.id for c in pages["company"].children] == ["engineering", "growth", "support"]
    assert [o.id for o in pages["platform"].objectives] == ["reliable-platform", "cheaper-infra"]
    assert [k.id for k in pages["platform"].kpis] == ["api-uptime", "api-p99"]
    assert pages["company"].lead == "dana"


def test_one_team_and_below(ws):
    board = dash.build_dashboard(ws, Q4, DAY, "engineering")
    assert [t.id for t in board.teams] == ["engineering", "platform"]
    assert board.teams[0].ancestors == []  # the company is not in this report
    assert {k.team.id for k in board.key_results} == {"engineering", "platform"}
    assert {k.row.owner for k in board.kpis} == {"engineering", "platform"}

    # the tree keeps the objectives above the team as context, and nothing beside it
    def ids(nodes):  # objectives hung under a key result count as its objective's children
        return [
            (n.id, ids(n.children + [c for kr in n.key_results for c in kr.children]))
            for n in nodes
        ]

    assert ids(board.tree.roots) == [
        (
            "enterprise-trust",
            [("q4-trust", [("ship-safely", [("reliable-platform", [])])])],
        ),
        ("efficient-growth", [("q4-growth", [("cheaper-infra", [])])]),
    ]


def test_an_ended_period_has_the_grades_of_okr_close(ws):
    board = dash.build_dashboard(ws, Q3, DAY)
    assert board.ended
    closing = grade(ws, Q3, DAY)
    assert board.grades is not None
    assert board.grades.headline == closing.grade
    assert board.grades.band == closing.band
    assert board.grades.distribution() == closing.distribution()
    assert {t.id: t.grade.grade for t in board.teams if t.grade} == {
        t.team: t.grade for t in closing.teams
    }
    assert {k.row.id: k.grade.grade for k in board.key_results if k.grade} == {
        k.id: k.grade for k in closing.key_results
    }


def test_an_ended_period_for_one_team_counts_that_team(ws):
    board = dash.build_dashboard(ws, Q3, DAY, "growth")
    assert board.grades is not None
    assert [t.team for t in board.grades.closing.teams] == ["growth"]
    assert board.grades.headline == board.grades.teams["growth"].grade
    assert sum(board.grades.distribution()["objectives"].values()) == 1


def test_the_last_day_is_not_yet_ended(ws):
    assert dash.build_dashboard(ws, Q3, Q3.last_day).grades is None
