"""``okr history``: values over time, the forecast, and the definition's audit trail in git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import AS_OF, SETTINGS, commit, git, git_init, write_tree

PLAN = """\
team: platform
objectives:
  - id: grow
    title: Grow
    key_results:
      - id: signups
        title: Sign-ups
        start: 0
        target: 100
        unit: users
"""
KPIS = """\
kpis:
  - id: uptime
    title: Uptime
    unit: "%"
    direction: up
    cadence: weekly
    target: 99.9
"""
OCTOBER = """\
- {at: "2026-10-11T00:00:00+00:00", id: signups, value: 10, by: ann, confidence: 0.5}
- {at: "2026-10-21T00:00:00+00:00", id: signups, value: 20, by: bob, note: "launch week"}
- {at: "2026-10-05T09:00:00+00:00", id: uptime, value: 99.95, by: ann}
"""
SEPTEMBER = '- {at: "2026-09-28T09:00:00+00:00", id: uptime, value: 99.8, by: ann}\n'


def files() -> dict[str, str]:
    return {
        "okr.yaml": SETTINGS,
        "okrs/2026-Q4/platform.yaml": PLAN,
        "kpis/k.yaml": KPIS,
        "checkins/2026-09.yaml": SEPTEMBER,
        "checkins/2026-10.yaml": OCTOBER,
    }


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """Commits: the plan before Q4; a retarget and a re-weight during Q4; check-ins only;
    a rename; a KPI retarget."""
    root = git_init(tmp_path / "ws")
    write_tree(root, {k: v for k, v in files().items() if k != "checkins/2026-10.yaml"})
    shas = [commit(root, "plan Q4", "2026-09-20T10:00:00+00:00")[:10]]
    write_tree(root, {"okrs/2026-Q4/platform.yaml": PLAN.replace("target: 100", "target: 120")})
    shas.append(commit(root, "raise the bar", "2026-10-15T10:00:00+00:00", author="Bob")[:10])
    plan = PLAN.replace("target: 100", "target: 120").replace("unit: users", "weight: 2")
    write_tree(root, {"okrs/2026-Q4/platform.yaml": plan})
    shas.append(commit(root, "weight", "2026-10-20T10:00:00+00:00")[:10])
    write_tree(root, {"checkins/2026-10.yaml": OCTOBER})
    shas.append(commit(root, "check-ins", "2026-10-22T10:00:00+00:00")[:10])
    git(root, "mv", "okrs/2026-Q4/platform.yaml", "okrs/2026-Q4/plat.yaml")
    shas.append(commit(root, "rename", "2026-10-23T10:00:00+00:00")[:10])
    write_tree(root, {"kpis/k.yaml": KPIS.replace("99.9", "99.5")})
    shas.append(commit(root, "kpi", "2026-10-24T10:00:00+00:00", author="Cy")[:10])
    return root, shas


def test_values_forecast_and_definition_changes_of_a_kr(okr, repo):
    root, shas = repo
    result = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert (doc["kind"], doc["period"], doc["start"], doc["target"], doc["current"]) == (
        "key_result",
        "2026-Q4",
        0,
        120,
        20,
    )
    assert doc["values"] == [
        {
            "at": "2026-10-11T00:00:00+00:00",
            "value": 10,
            "by": "ann",
            "confidence": 0.5,
            "note": None,
        },
        {
            "at": "2026-10-21T00:00:00+00:00",
            "value": 20,
            "by": "bob",
            "confidence": None,
            "note": "launch week",
        },
    ]
    # the points (day 0, 0), (10, 10), (20, 20) lie on value = day: on 2026-12-31, day 91,
    # the line reads 91, which is progress 91 / 120
    assert doc["forecast"] == {"at": "2026-12-31", "value": 91.0, "progress": round(91 / 120, 4)}
    assert doc["sparkline"] == "▁█"
    changes = [
        (c["commit"], c["who"], c["action"], c["field"], c["old"], c["new"], c["goalposts"])
        for c in doc["definition_changes"]
    ]
    assert changes == [
        (shas[0], "Ann", "added", None, None, None, False),
        (shas[1], "Bob", "changed", "target", 100, 120, True),  # after 2026-10-01
        (shas[2], "Ann", "changed", "weight", 1, 2, False),
    ]
    assert doc["definition_changes"][1]["when"] == "2026-10-15T10:00:00+00:00"
    assert doc["git"] == {"available": True, "shallow": False, "note": None}


def test_the_table_shows_values_forecast_and_audit(okr, repo):
    root, shas = repo
    plan = (root / "okrs/2026-Q4/plat.yaml").read_text().replace("start: 0", "start: 5")
    write_tree(root, {"okrs/2026-Q4/plat.yaml": plan})
    result = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "signups: Sign-ups  (key result of 2026-Q4, team platform)" in out
    assert "goal: increase from 5 to 120" in out
    assert "2026-10-21 00:00" in out and "launch week" in out
    assert "definition changes (git):" in out
    assert f"{shas[1]}" in out
    assert "target: 100 → 120  ⚠ goal posts moved" in out
    # the uncommitted edit is listed too, dated by --as-of
    assert "working tree" in out and "start: 0 → 5" in out


def test_kpi_history_inside_a_period_and_its_audit(okr, repo):
    root, shas = repo
    result = okr(
        "history",
        "uptime",
        "--period",
        "2026-Q4",
        "--root",
        str(root),
        "--as-of",
        "2026-10-25",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["kind"] == "kpi"
    assert [v["value"] for v in doc["values"]] == [99.95]  # the September value is outside
    assert (doc["value"], doc["status"], doc["target"]) == (99.95, "green", 99.5)
    changes = [
        (c["commit"], c["field"], c["old"], c["new"], c["goalposts"])
        for c in doc["definition_changes"]
    ]
    assert changes == [(shas[0], None, None, None, False), (shas[5], "target", 99.9, 99.5, False)]
    everything = okr("history", "uptime", "--root", str(root), "--as-of", "2026-10-25", "-f", "csv")
    assert everything.stdout == (
        "at,value,by,confidence,note\n"
        "2026-09-28T09:00:00+00:00,99.8,ann,,\n"
        "2026-10-05T09:00:00+00:00,99.95,ann,,\n"
    )


def test_history_outside_git_has_no_audit(okr, make_workspace):
    root = make_workspace({k: v for k, v in files().items() if k != "okr.yaml"})
    result = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["definition_changes"] is None
    assert doc["git"]["available"] is False
    assert len(doc["values"]) == 2
    table = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25")
    assert "definition changes: not available" in table.stdout


def test_history_in_a_shallow_clone(okr, repo, tmp_path):
    root, shas = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    result = okr("history", "signups", "--root", str(clone), "--as-of", "2026-10-25", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["git"]["shallow"] is True
    assert "shallow clone" in doc["git"]["note"]
    # all the clone holds is its one commit, where the KR already exists as it is now
    assert [(c["commit"], c["action"]) for c in doc["definition_changes"]] == [(shas[5], "added")]


def test_history_on_an_unborn_branch_and_a_detached_head(okr, repo, tmp_path):
    fresh = git_init(tmp_path / "fresh")
    write_tree(fresh, files())
    result = okr("history", "signups", "--root", str(fresh), "--as-of", "2026-10-25", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["git"]["note"] == "the repository has no commits yet"
    assert [(c["commit"], c["action"]) for c in doc["definition_changes"]] == [
        ("working tree", "added")
    ]

    root, shas = repo
    git(root, "checkout", "-q", "--detach", "HEAD~4")  # at "raise the bar"
    detached = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    assert detached.exit_code == 0, detached
    changes = json.loads(detached.stdout)["definition_changes"]
    assert [c["commit"] for c in changes] == [shas[0], shas[1]]


def test_a_kpi_linked_kr_shows_the_kpis_values_inside_its_period(okr, example):
    result = okr("history", "uptime-held", "--root", str(example), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["kpi"] == "api-uptime"
    # api-uptime's October and November values; September's are outside 2026-Q4
    assert [v["value"] for v in doc["values"]] == [99.96, 99.99, 99.97, 99.95, 99.96, 99.98, 99.88]
    assert (doc["current"], doc["status"]) == (99.88, "off_track")


def test_unknown_ids_and_periods(okr, make_workspace):
    root = make_workspace({k: v for k, v in files().items() if k != "okr.yaml"})
    result = okr("history", "signup", "--root", str(root))
    assert result.exit_code == 1
    assert "no KR or KPI has the id 'signup'; did you mean 'signups'?" in result.stderr
    wrong = okr("history", "signups", "--period", "2026-Q3", "--root", str(root))
    assert wrong.exit_code == 1
    assert "signups is no key result of 2026-Q3; it is one of 2026-Q4" in wrong.stderr
    bad = okr("history", "signups", "--period", "Q3", "--root", str(root))
    assert bad.exit_code == 2


def test_a_closed_period_is_over_not_forecast(okr, example):
    result = okr("--root", str(example), "history", "alert-noise", "--as-of", AS_OF)
    assert result.exit_code == 0, result
    text = " ".join(result.stdout.split())  # the terminal may wrap the long line
    assert (
        # its final score, 12 pages, was written after the quarter and names 2026-Q3
        "2026-Q3 is over (it ended 2026-09-30): final value 12 pages, progress 82%, at risk" in text
    )
    assert "forecast: none, the period is over" in text
    assert "expected" not in text
    doc = json.loads(
        okr("--root", str(example), "history", "alert-noise", "-f", "json", "--as-of", AS_OF).stdout
    )
    assert doc["period_over"] is True and doc["forecast"] is None


def test_an_open_period_is_forecast_in_the_same_words(okr, example):
    result = okr("--root", str(example), "history", "p99-latency", "--as-of", AS_OF)
    text = " ".join(result.stdout.split())
    assert "as of 2026-11-22: current 620 ms, progress 42% (expected 58%)" in text
    assert "forecast: 415.625 ms by 2026-12-31, which would be progress 79%" in text
    doc = json.loads(
        okr("--root", str(example), "history", "p99-latency", "-f", "json", "--as-of", AS_OF).stdout
    )
    assert doc["period_over"] is False and doc["forecast"]["at"] == "2026-12-31"
    # the last day of the period still looks ahead
    last = okr("--root", str(example), "history", "p99-latency", "--as-of", "2026-12-31")
    assert "is over" not in last.stdout


def test_a_kpi_without_a_target(okr, make_workspace):
    kpis = "kpis:\n  - {id: nps, title: NPS, direction: up, cadence: monthly}\n"
    root = make_workspace({"kpis/k.yaml": kpis})
    result = okr("--root", str(root), "history", "nps", "--as-of", AS_OF)
    assert result.exit_code == 0, result
    assert "goal: higher is better; measured monthly\n" in result.stdout
    assert "latest —, no target" in result.stdout


@pytest.mark.parametrize("id_", ["quarterly-trust", "churn-held", "p99-latency", "api-uptime"])
def test_history_reads_only_what_its_figures_need_and_they_match_the_scorecard(okr, example, id_):
    """history reads only the check-ins its id's figures are made of (a rollup KR: those
    of the objectives aligned to it; a linked KR: its KPI's): the figures are those of a
    scorecard that read everything."""
    result = okr("history", id_, "--root", str(example), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    history = json.loads(result.stdout)
    period = "--period", history["period"] if history["period"] else "2026-Q4"
    card = okr("scorecard", "--root", str(example), "--as-of", AS_OF, "--format", "json", *period)
    data = json.loads(card.stdout)
    rows = [k for o in data["objectives"] for k in o["key_results"] if k["id"] == id_]
    rows += [k for k in data["kpis"] if k["id"] == id_]
    assert len(rows) == 1
    row = rows[0]
    if history["kind"] == "key_result":
        assert (history["current"], history["progress"], history["status"]) == (
            row["current"],
            row["progress"],
            row["status"],
        )
        if id_ == "quarterly-trust":
            assert history["progress"] is not None  # made of the quarter's check-ins
    else:
        assert (history["value"], history["status"]) == (row["value"], row["status"])


def test_the_audit_reads_only_files_that_can_define_the_id_and_escapes_count(okr, tmp_path):
    """The audit parses only files whose bytes name the id (``may_define``); an id spelt
    with YAML escapes, and a broken file that does not name it, are judged right."""
    root = git_init(tmp_path / "ws")
    other = PLAN.replace("team: platform", "team: web").replace("signups", "visits")
    other = other.replace("id: grow", "id: reach")
    write_tree(root, {**files(), "okrs/2026-Q4/web.yaml": other})
    shas = [commit(root, "plan", "2026-09-20T10:00:00+00:00")[:10]]
    # the id spelt with escapes ("\x73" is "s"): the file does not contain "signups"
    escaped = PLAN.replace("id: signups", 'id: "\\x73ignups"').replace("target: 100", "target: 90")
    write_tree(root, {"okrs/2026-Q4/platform.yaml": escaped})
    shas.append(commit(root, "escaped", "2026-10-05T10:00:00+00:00")[:10])
    # another team's file breaks: it cannot define signups, so the version still counts
    write_tree(root, {"okrs/2026-Q4/web.yaml": other + "  - [broken\n"})
    write_tree(root, {"okrs/2026-Q4/platform.yaml": escaped.replace("target: 90", "target: 80")})
    shas.append(commit(root, "broken neighbour", "2026-10-06T10:00:00+00:00")[:10])
    result = okr("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    assert result.exit_code == 1, result  # the broken file is reported
    doc = json.loads(result.stdout)
    changes = [(c["commit"], c["action"], c["old"], c["new"]) for c in doc["definition_changes"]]
    assert changes == [
        (shas[0], "added", None, None),
        (shas[1], "changed", 100, 90),
        (shas[2], "changed", 90, 80),
    ]


def test_may_define_is_a_byte_search_that_escapes_defeat():
    from okrcli.definitions import may_define, parse_file

    plain = PLAN.encode()
    assert may_define(plain, ("signups",)) and not may_define(plain, ("visits",))
    assert may_define(plain, ("visits", "grow"))
    escaped = PLAN.replace("id: signups", 'id: "\\x73ignups"').encode()
    assert b"signups" not in escaped and may_define(escaped, ("signups",))
    parsed = parse_file("okrs/2026-Q4/platform.yaml", escaped)
    assert parsed.plan is not None and "signups" in parsed.plan.key_results


def test_the_working_tree_counts_a_goal_file_git_ignores(okr, tmp_path):
    """The working tree is taken as the newest commit only when git sees no change and it
    holds the same goal files: a file git ignores is read too."""
    root = git_init(tmp_path / "ws")
    write_tree(root, {**files(), ".gitignore": "okrs/2026-Q4/aaa.yaml\n"})
    commit(root, "plan", "2026-09-20T10:00:00+00:00")
    run = ("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    clean = json.loads(okr(*run).stdout)
    assert [c["action"] for c in clean["definition_changes"]] == ["added"]
    ignored = PLAN.replace("team: platform", "team: web").replace("target: 100", "target: 999")
    write_tree(root, {"okrs/2026-Q4/aaa.yaml": ignored})
    assert git(root, "status", "--porcelain").strip() == ""
    doc = json.loads(okr(*run).stdout)
    last = doc["definition_changes"][-1]
    assert (last["commit"], last["field"], last["old"], last["new"]) == (
        "working tree",
        "target",
        100,
        999,
    )


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_the_working_tree_counts_a_file_git_status_does_not_see(okr, tmp_path, flag):
    """An edit to a file marked so that git status does not show it is still audited."""
    root = git_init(tmp_path / "ws")
    write_tree(root, files())
    commit(root, "plan", "2026-09-20T10:00:00+00:00")
    git(root, "update-index", flag, "okrs/2026-Q4/platform.yaml")
    write_tree(root, {"okrs/2026-Q4/platform.yaml": PLAN.replace("target: 100", "target: 150")})
    assert git(root, "status", "--porcelain").strip() == ""
    run = ("history", "signups", "--root", str(root), "--as-of", "2026-10-25", "-f", "json")
    last = json.loads(okr(*run).stdout)["definition_changes"][-1]
    assert (last["commit"], last["field"], last["old"], last["new"]) == (
        "working tree",
        "target",
        100,
        150,
    )
