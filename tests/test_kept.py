"""A report's view kept between runs (``okrcli.kept``): the kept answer is the answer.

Each test runs a report twice with the cache on and once with it off, and holds the
kept run to the fresh one byte for byte; the kept run is made to prove it loaded nothing.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone

import pytest
from helpers import AS_OF

from okrcli import loader, timeutil
from okrcli.viewdata import AlignmentTree, TreeKR, TreeNode, decode, encode

REPORTS = [
    ("scorecard",),
    ("scorecard", "--format", "json"),
    ("scorecard", "--format", "markdown"),
    ("scorecard", "--format", "csv"),
    ("scorecard", "--team", "platform", "--status", "at_risk,off_track,on_track"),
    ("scorecard", "--owner", "dana", "--period", "2026-Q4"),
    ("tree",),
    ("tree", "--format", "json"),
    ("tree", "--period", "2026"),
]


@pytest.fixture
def cache_on(tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OKR_NO_CACHE", raising=False)


def _loads(monkeypatch) -> list[int]:
    """Count the workspace loads from now on (a kept report makes none)."""
    calls: list[int] = []
    real = loader.load_workspace

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_workspace", counted)
    return calls


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_a_kept_report_is_the_fresh_one_and_loads_nothing(
    okr, example, cache_on, monkeypatch, args
):
    run = ("--root", str(example), *args, "--as-of", AS_OF)
    first = okr(*run)
    assert first.exit_code == 0, first
    fresh = okr(*run, env={"OKR_NO_CACHE": "1"})
    loads = _loads(monkeypatch)
    kept = okr(*run)
    assert loads == []
    assert (kept.exit_code, kept.stdout, kept.stderr) == (0, fresh.stdout, fresh.stderr)
    assert first.stdout == fresh.stdout


def test_any_change_to_a_file_the_day_or_the_question_works_it_out_again(
    okr, example, cache_on, monkeypatch
):
    run = ("--root", str(example), "scorecard", "--format", "json")
    okr(*run, "--as-of", AS_OF)
    loads = _loads(monkeypatch)
    assert okr(*run, "--as-of", AS_OF).exit_code == 0
    assert loads == []
    # another question, another day: not the kept view
    okr(*run, "--as-of", "2026-11-21")
    assert len(loads) == 1
    okr(*run, "--as-of", AS_OF, "--team", "platform")
    assert len(loads) == 2
    # a check-in appended: the new value shows
    done = okr("--root", str(example), "checkin", "api-uptime", "99.5", "--at", "2026-11-22")
    assert done.exit_code == 0, done
    after = okr(*run, "--as-of", AS_OF)
    fresh = okr(*run, "--as-of", AS_OF, env={"OKR_NO_CACHE": "1"})
    assert after.stdout == fresh.stdout and '"value": 99.5' in after.stdout
    # today moves on: the view of yesterday is not shown
    day_one = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "_utcnow", lambda: day_one)
    okr(*run)
    monkeypatch.setattr(
        timeutil, "_utcnow", lambda: datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    )
    moved = okr(*run)
    assert '"as_of": "2026-11-23"' in moved.stdout


def test_a_workspace_with_errors_is_never_kept(okr, example, cache_on, monkeypatch):
    plan = next((example / "okrs").rglob("*.yaml"))
    plan.write_text(plan.read_text() + "\nbroken: [\n")
    run = ("--root", str(example), "scorecard", "--as-of", AS_OF)
    first = okr(*run)
    assert first.exit_code == 1 and "error" in first.stderr
    loads = _loads(monkeypatch)
    again = okr(*run)
    assert len(loads) == 1
    assert (again.exit_code, again.stdout, again.stderr) == (1, first.stdout, first.stderr)


def test_the_notes_of_a_run_are_written_again(okr, example, cache_on, monkeypatch):
    # no plans for 2027-Q1: the run says which period it shows instead
    run = ("--root", str(example), "tree", "--as-of", "2027-02-01")
    first = okr(*run)
    assert first.exit_code == 0 and first.stderr.startswith("okr: ")
    loads = _loads(monkeypatch)
    again = okr(*run)
    assert loads == []
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)


def test_an_entry_of_another_shape_is_ignored(okr, example, cache_on):
    from okrcli import cache, kept

    run = ("--root", str(example), "scorecard", "--format", "json", "--as-of", AS_OF)
    good = okr(*run).stdout
    question = kept.ask(
        example.resolve(),
        "scorecard",
        {"period": None, "team": None, "owner": None, "statuses": []},
        date.fromisoformat(AS_OF),
    )
    assert kept.recall(question) is not None  # the question is the one the command asked
    value = {"day": AS_OF, "zone": "UTC", "notes": [], "view": {"scorecard": [1, 2]}}
    cache.keep(question._slot, question._content, value)
    assert kept.recall(question) is None
    assert okr(*run).stdout == good


def _chain(depth: int) -> AlignmentTree:
    top = TreeNode("o0", "Top", "co", None, "2026-Q4", 0.5, 0.4, "on_track", False, [])
    node = top
    for i in range(1, depth):
        child = TreeNode(f"o{i}", "Below", "t", "ann", "2026-Q4", None, 0.4, "no_data", True, [])
        kr = TreeKR(f"k{i}", "KR", "rollup", math.inf, 0.4, "done", [])
        node.children.append(child)
        node.key_results.append(kr)
        node = child
    return AlignmentTree("Org", _q4(), date(2026, 11, 22), [top], [])


def _q4():
    from okrcli.periods import parse_period

    return parse_period("2026-Q4")


def test_the_kept_form_of_a_deep_tree_is_flat_and_exact():
    tree = _chain(5000)
    flat = encode(tree)
    again = decode(flat)
    assert isinstance(again, AlignmentTree)
    assert encode(again) == flat  # flat lists: compared without recursion
    node, depth = again.roots[0], 1
    while node.children:
        assert node.key_results[0].progress == math.inf
        node, depth = node.children[0], depth + 1
    assert depth == 5000


def test_the_kept_form_of_a_scorecard_is_exact(example):
    from okrcli.periods import parse_period
    from okrcli.views import Only, build_scorecard

    ws = loader.load_workspace(example, today=date.fromisoformat(AS_OF))
    card = build_scorecard(ws, parse_period("2026-Q4"), date.fromisoformat(AS_OF), None, Only())
    assert card.objectives and card.kpis
    assert decode(encode(card)) == card
    card.kpis[0].value = math.nan
    again = decode(encode(card))
    assert math.isnan(again.kpis[0].value)


FISCAL = """\
version: 1
org: FY
fiscal_year_start: 4
fiscal_year_named_by: end
teams:
  company: {name: Co, lead: dana}
"""
FISCAL_PLAN = """\
team: company
objectives:
  - id: o1
    title: Grow
    owner: dana
    key_results:
      - id: k1
        title: More
        start: 0
        target: 10
"""


@pytest.mark.parametrize(
    "args", [("scorecard",), ("scorecard", "-f", "json"), ("scorecard", "-f", "csv"), ("tree",)]
)
def test_a_kept_view_keeps_the_fiscal_calendar(okr, make_workspace, cache_on, monkeypatch, args):
    root = make_workspace(
        {
            "okrs/2027-Q3/company.yaml": FISCAL_PLAN,
            "checkins/2026-11.yaml": '- {"at": "2026-11-01T10:00:00+00:00", "id": "k1", '
            '"value": 5, "by": "x"}\n',
        },
        settings=FISCAL,
    )
    run = ("--root", str(root), *args, "--as-of", AS_OF)
    fresh = okr(*run, env={"OKR_NO_CACHE": "1"})
    assert fresh.exit_code == 0
    okr(*run)  # kept
    loads = _loads(monkeypatch)
    kept = okr(*run)
    assert loads == []
    assert (kept.stdout, kept.stderr) == (fresh.stdout, fresh.stderr)
