"""Renames with ``was:``: check-ins recorded under an old id follow the objective or KR, the
history is one series, ``okr diff`` reports a rename; without ``was:`` the orphaned
check-ins are counted and ``was:`` is suggested (SPEC §2.3)."""

from __future__ import annotations

import json

import pytest
from helpers import commit, git_init, write_tree

PLAN = """\
team: company
objectives:
  - id: trust
    title: Be trusted
    key_results:
      - id: p99
        title: Cut p99
        start: 800
        target: 400
        unit: ms
"""
RENAMED = """\
team: company
objectives:
  - id: enterprise-trust
    was: trust
    title: Be trusted
    key_results:
      - id: p99-latency
        was: p99
        title: Cut p99
        start: 800
        target: 400
        unit: ms
"""
SUB = """\
team: platform
objectives:
  - id: fast
    title: Fast
    aligns_to: trust
    key_results:
      - {id: m, title: M, type: milestone}
"""
CHECKINS = """\
- {at: "2026-10-05T09:00:00+00:00", id: p99, value: 760}
- {at: "2026-10-19T09:00:00+00:00", id: p99, value: 700}
"""
NOVEMBER = """\
- {at: "2026-11-02T09:00:00+00:00", id: p99, value: 650}
- {at: "2026-11-02T09:00:00+00:00", id: m, value: 0.5}
"""


@pytest.fixture
def repo(tmp_path):
    root = git_init(tmp_path / "ws")
    write_tree(
        root,
        {
            "okr.yaml": "version: 1\norg: T\nteams:\n  company: {}\n"
            "  platform: {parent: company}\n",
            "okrs/2026-Q4/company.yaml": PLAN,
            "okrs/2026-Q4/platform.yaml": SUB,
            "checkins/2026-10.yaml": CHECKINS,
            "checkins/2026-11.yaml": NOVEMBER,
        },
    )
    commit(root, "plan", when="2026-10-01T12:00:00+00:00")
    return root


def test_a_renamed_kr_keeps_its_checkins_and_its_history(okr, repo):
    write_tree(repo, {"okrs/2026-Q4/company.yaml": RENAMED})
    base = ("--root", str(repo))
    check = okr(*base, "validate", "--as-of", "2026-11-22")
    # the sub-team's 'aligns_to: trust' still finds the renamed objective
    assert (check.exit_code, check.stderr) == (0, ""), check
    added = okr(*base, "checkin", "p99-latency", "600", "--at", "2026-11-10", "--by", "ann")
    assert added.exit_code == 0, added
    # 760 → 700 → 650 under the old id, then 600: one series; (800 - 600) / (800 - 400) = 0.5
    assert added.stdout.startswith("p99-latency: 650 → 600 ms, progress 38% → 50%")

    card = json.loads(okr(*base, "scorecard", "-f", "json", "--as-of", "2026-11-22").stdout)
    kr = card["objectives"][0]["key_results"][0]
    assert (kr["id"], kr["current"], kr["progress"]) == ("p99-latency", 600, 0.5)

    history = json.loads(
        okr(*base, "history", "p99-latency", "-f", "json", "--as-of", "2026-11-22").stdout
    )
    assert [v["value"] for v in history["values"]] == [760, 700, 650, 600]
    changes = history["definition_changes"]
    assert [(c["action"], c["old"], c["new"]) for c in changes] == [
        ("added", None, None),
        ("renamed", "p99", "p99-latency"),
    ]
    old = okr(*base, "history", "p99", "--as-of", "2026-11-22")
    assert "'p99' was renamed to 'p99-latency' in 2026-Q4" in old.stderr
    assert "4 values" in old.stdout

    # an old id on the command line is recorded under the KR's id now
    again = okr(*base, "checkin", "p99", "590", "--at", "2026-11-12")
    assert again.exit_code == 0, again
    assert '"id": "p99-latency"' in (repo / "checkins" / "2026-11.yaml").read_text()


def test_diff_reports_a_rename_not_a_removal_and_an_addition(okr, repo):
    write_tree(repo, {"okrs/2026-Q4/company.yaml": RENAMED})
    result = okr("diff", "--root", str(repo), "--as-of", "2026-11-22", "-f", "json")
    assert result.exit_code == 0, result
    changes = [
        (c["kind"], c["action"], c["old"], c["new"]) for c in json.loads(result.stdout)["changes"]
    ]
    assert changes == [
        ("objective", "renamed", "trust", "enterprise-trust"),
        ("key_result", "renamed", "p99", "p99-latency"),
    ]
    table = okr("diff", "--root", str(repo), "--as-of", "2026-11-22")
    assert "renamed" in table.stdout and "id: p99 → p99-latency" in table.stdout


def test_a_kr_gone_without_was_orphans_its_checkins(okr, repo):
    write_tree(
        repo,
        {"okrs/2026-Q4/company.yaml": RENAMED.replace("        was: p99\n", "")},
    )
    check = okr("validate", "--root", str(repo), "--as-of", "2026-11-22")
    assert check.exit_code == 1
    assert (
        "checkins/2026-10.yaml:1:41: error[checkin-unknown-id] no KR or KPI has the id 'p99'"
        in check.stderr
    )
    assert (
        "3 check-ins in the journal name it: if its KR was renamed, add 'was: p99' to the KR "
        "it is now" in check.stderr
    )
    diff = json.loads(
        okr("diff", "--root", str(repo), "--as-of", "2026-11-22", "-f", "json").stdout
    )
    removed = next(c for c in diff["changes"] if c["action"] == "removed")
    assert (removed["id"], removed["orphaned"]) == ("p99", 3)
    assert (
        "3 check-ins name it and now belong to no KR: if it was renamed, add 'was: p99'"
        in (removed["detail"])
    )
    added = next(c for c in diff["changes"] if c["action"] == "added" and c["kind"] == "key_result")
    assert added["id"] == "p99-latency"


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            RENAMED.replace("was: p99", "was: [p99, p99-latency]"),
            "'p99-latency' names itself in 'was:'",
        ),
        (
            PLAN.replace("        unit: ms\n", "        unit: ms\n        was: q\n")
            + "      - {id: q, title: Q, type: milestone, was: p99}\n",
            "renames loop: p99 → q → p99",
        ),
        (
            RENAMED + "      - {id: other, title: O, type: milestone, was: p99}\n",
            "'p99' is claimed as an old id by KR 'p99-latency' too",
        ),
    ],
    ids=["itself", "loop", "claimed twice"],
)
def test_bad_renames_are_located_errors(okr, repo, plan, message):
    write_tree(repo, {"okrs/2026-Q4/company.yaml": plan})
    result = okr("validate", "--root", str(repo), "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "error[rename]" in result.stderr and message in result.stderr, result.stderr
