"""``okr diff``: semantic changes between revisions of real git repositories."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import EXAMPLE, REPO, SETTINGS, commit, git, git_init, write_tree

PLAN = """\
team: platform
objectives:
  - id: fast
    title: Be fast
    owner: alice
    aligns_to: trust
    key_results:
      - id: p99
        title: p99 latency
        start: 850
        target: 300
        unit: ms
"""
COMPANY = "team: company\nobjectives:\n  - id: trust\n    title: Be trusted\n"
KPIS = """\
kpis:
  - id: uptime
    title: Uptime
    direction: up
    cadence: weekly
    target: 99.9
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Three commits: the plan before Q4, a retarget mid-Q4, a rename."""
    root = git_init(tmp_path / "ws")
    write_tree(
        root,
        {
            "okr.yaml": SETTINGS,
            "okrs/2026-Q4/platform.yaml": PLAN,
            "okrs/2026-Q4/company.yaml": COMPANY,
            "kpis/k.yaml": KPIS,
        },
    )
    commit(root, "plan Q4", "2026-09-25T10:00:00+00:00")
    write_tree(root, {"okrs/2026-Q4/platform.yaml": PLAN.replace("target: 300", "target: 400")})
    commit(root, "lower the bar", "2026-11-02T10:00:00+00:00", author="Bob")
    git(root, "mv", "okrs/2026-Q4/platform.yaml", "okrs/2026-Q4/plat.yaml")
    commit(root, "rename", "2026-11-03T10:00:00+00:00")
    return root


def test_identical_revisions_say_nothing_changed(okr, repo):
    result = okr("diff", "--root", str(repo))
    assert result.exit_code == 0, result
    assert "No changes to plans or KPIs between HEAD" in result.stdout
    assert "working tree" in result.stdout
    same = okr("diff", "HEAD", "HEAD", "--root", str(repo), "--format", "json")
    doc = json.loads(same.stdout)
    assert (doc["changed"], doc["changes"], doc["goalposts"]) == (False, [], 0)


def test_a_retarget_mid_period_is_flagged_as_moving_the_goal_posts(okr, repo):
    result = okr("diff", "HEAD~2", "HEAD~1", "--root", str(repo), "--format", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["to"]["date"] == "2026-11-02"
    [change] = doc["changes"]
    assert change == {
        "kind": "key_result",
        "id": "p99",
        "action": "changed",
        "period": "2026-Q4",
        "team": "platform",
        "field": "target",
        "old": 300,
        "new": 400,
        "detail": "2026-Q4 began 2026-10-01",
        "goalposts": True,
        "orphaned": 0,
    }
    table = okr("diff", "HEAD~2", "HEAD~1", "--root", str(repo))
    assert "2026-Q4 · platform" in table.stdout
    assert "target: 300 → 400" in table.stdout
    assert "moving the goal posts" in table.stdout


def test_ci_gates_exit_1_on_changes_or_moved_goal_posts(okr, repo):
    base = ("diff", "--root", str(repo))
    # HEAD~1 -> HEAD only renames a file: a change, but no goal post moved
    assert okr(*base, "HEAD~1", "HEAD").exit_code == 0
    assert okr(*base, "HEAD~1", "HEAD", "--exit-code").exit_code == 1
    assert okr(*base, "HEAD~1", "HEAD", "--fail-on-goalposts").exit_code == 0
    # HEAD~2 -> HEAD~1 lowers a target after Q4 began
    moved = okr(*base, "HEAD~2", "HEAD~1", "--fail-on-goalposts", "-f", "json")
    assert moved.exit_code == 1
    assert json.loads(moved.stdout)["goalposts"] == 1  # the report is printed all the same
    assert "goal posts moved after their period began: 1 change(s)" in moved.stderr
    same = okr(*base, "HEAD", "HEAD", "--exit-code", "--fail-on-goalposts")
    assert (same.exit_code, same.stderr) == (0, "")


def test_a_renamed_file_matches_by_team_and_period(okr, repo):
    result = okr("diff", "HEAD~1", "HEAD", "--root", str(repo), "--format", "json")
    [change] = json.loads(result.stdout)["changes"]
    assert (change["kind"], change["action"], change["old"], change["new"]) == (
        "plan",
        "moved",
        "okrs/2026-Q4/platform.yaml",
        "okrs/2026-Q4/plat.yaml",
    )


def test_working_tree_changes_with_one_revision(okr, repo):
    plan = (repo / "okrs/2026-Q4/plat.yaml").read_text()
    plan = plan.replace("owner: alice", "owner: bob").replace("    aligns_to: trust\n", "")
    plan += "  - id: cheap\n    title: Be cheap\n"
    write_tree(
        repo,
        {
            "okrs/2026-Q4/plat.yaml": plan,
            "kpis/k.yaml": KPIS.replace("99.9", "99.95"),
        },
    )
    result = okr("diff", "HEAD~2", "--root", str(repo), "--as-of", "2026-11-22", "-f", "json")
    doc = json.loads(result.stdout)
    got = {
        (c["kind"], c["id"], c["action"], c["field"], c["old"], c["new"]) for c in doc["changes"]
    }
    assert got == {
        (
            "plan",
            "platform",
            "moved",
            "path",
            "okrs/2026-Q4/platform.yaml",
            "okrs/2026-Q4/plat.yaml",
        ),
        ("key_result", "p99", "changed", "target", 300, 400),
        ("objective", "fast", "changed", "owner", "alice", "bob"),
        ("objective", "fast", "changed", "aligns_to", "trust", None),
        ("objective", "cheap", "added", None, None, None),
        ("kpi", "uptime", "changed", "target", 99.9, 99.95),
    }
    assert doc["goalposts"] == 1
    assert doc["to"] == {
        "label": "working tree",
        "commit": None,
        "date": "2026-11-22",
        "diagnostics": [],
    }
    md = okr("diff", "HEAD~2", "--root", str(repo), "--as-of", "2026-11-22", "-f", "markdown")
    assert md.stdout.startswith("### okr diff: HEAD\\~2 (")
    assert "| re-aligned | objective `fast` | aligns\\_to: trust → none |" in md.stdout
    assert "| changed | KR `p99` | target: 300 → 400 ⚠️ **moving the goal posts**" in md.stdout
    assert "#### KPIs" in md.stdout


def test_a_revision_with_a_broken_file_is_reported_not_a_crash(okr, repo):
    write_tree(repo, {"okrs/2026-Q4/plat.yaml": PLAN + "      - id: [oops\n"})
    commit(repo, "broken", "2026-11-05T10:00:00+00:00")
    result = okr("diff", "HEAD~1", "HEAD", "--root", str(repo))
    assert result.exit_code == 1  # the newer side is broken
    assert "HEAD (" in result.stderr and "has problems in its goal files" in result.stderr
    assert "okrs/2026-Q4/plat.yaml:14:1:" in result.stderr
    assert "yaml-syntax" in result.stderr
    assert "Traceback" not in result.stderr
    assert "not compared" in result.stdout
    assert "removed" not in result.stdout  # what the broken file held is not "removed"
    # the broken revision as the older side: reported, and the diff still exits 0
    write_tree(repo, {"okrs/2026-Q4/plat.yaml": PLAN})
    fixed = okr("diff", "HEAD", "--root", str(repo))
    assert fixed.exit_code == 0, fixed
    assert "okrs/2026-Q4/plat.yaml:14:1:" in fixed.stderr


def test_an_unknown_revision_is_a_usage_error(okr, repo):
    result = okr("diff", "no-such-thing", "--root", str(repo))
    assert result.exit_code == 2
    assert "unknown revision 'no-such-thing'" in result.stderr


def test_outside_git_says_git_is_needed(okr, make_workspace):
    root = make_workspace({"okrs/2026-Q4/platform.yaml": PLAN})
    result = okr("diff", "--root", str(root))
    assert result.exit_code == 1
    assert "okr diff needs git" in result.stderr
    assert "not inside a git repository" in result.stderr


def test_an_unborn_branch_has_nothing_to_compare_against(okr, tmp_path):
    root = git_init(tmp_path / "new")
    write_tree(root, {"okr.yaml": SETTINGS, "okrs/2026-Q4/platform.yaml": PLAN})
    result = okr("diff", "--root", str(root))
    assert result.exit_code == 1
    assert "no commits yet" in result.stderr
    assert "Traceback" not in result.stderr


def test_detached_head(okr, repo):
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    result = okr("diff", "--root", str(repo), "--format", "json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["changed"] is False
    back = okr("diff", "HEAD", "main", "--root", str(repo), "--format", "json")
    [change] = json.loads(back.stdout)["changes"]
    assert change["action"] == "moved"


def test_shallow_clone_compares_what_it_has(okr, repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    plan = (clone / "okrs/2026-Q4/plat.yaml").read_text()
    write_tree(clone, {"okrs/2026-Q4/plat.yaml": plan.replace("start: 850", "start: 900")})
    result = okr("diff", "--root", str(clone), "--as-of", "2026-09-30", "--format", "json")
    assert result.exit_code == 0, result
    [change] = json.loads(result.stdout)["changes"]
    assert (change["field"], change["old"], change["new"], change["goalposts"]) == (
        "start",
        850,
        900,
        False,  # dated before 2026-Q4 began
    )
    older = okr("diff", "HEAD~1", "--root", str(clone))
    assert older.exit_code == 2
    assert "shallow clone" in older.stderr


def test_a_workspace_in_a_sub_folder_of_the_repository(okr, tmp_path):
    top = git_init(tmp_path / "mono")
    shutil.copytree(EXAMPLE, top / "goals")
    write_tree(top, {"README.md": "x\n"})
    commit(top, "add goals", "2026-11-20T10:00:00+00:00")
    plan = top / "goals/okrs/2026-Q4/platform.yaml"
    plan.write_text(plan.read_text().replace("target: 300", "target: 250"))
    result = okr("diff", "--root", str(top / "goals"), "--as-of", "2026-11-22", "-f", "json")
    [change] = json.loads(result.stdout)["changes"]
    assert (change["id"], change["old"], change["new"], change["goalposts"]) == (
        "p99-latency",
        300,
        250,
        True,
    )


def _docs_scenario(tmp_path: Path) -> Path:
    """The throwaway copy of the example that docs/plans-in-git.md reviews."""
    root = git_init(tmp_path / "acme")
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    commit(root, "Acme's goals", "2026-11-20T10:00:00+00:00", author="alice")
    platform = root / "okrs/2026-Q4/platform.yaml"
    text = platform.read_text().replace("        target: 300", "        target: 400")
    platform.write_text(text.replace("    aligns_to: q4-growth", "    aligns_to: q4-trust"))
    git(root, "mv", "okrs/2026-Q3/growth.yaml", "okrs/2026-Q3/funnel.yaml")
    kpis = root / "kpis/platform.yaml"
    kpis.write_text(
        kpis.read_text().replace("    target: 400\n    red: 700", "    target: 450\n    red: 700")
    )
    support = root / "okrs/2026-Q4/support.yaml"
    support.write_text(
        support.read_text() + "      - id: csat-held\n        title: Keep CSAT at 85 or better\n"
        "        kpi: csat\n        type: keep_above\n        target: 85\n"
    )
    return root


def _no_hashes(text: str) -> str:
    return re.sub(r"\b[0-9a-f]{7,40}\b", "<sha>", text)


def test_docs_transcripts_of_diff_and_history_are_current(okr, tmp_path, monkeypatch):
    root = _docs_scenario(tmp_path)
    monkeypatch.chdir(root)
    docs = _no_hashes((REPO / "docs" / "plans-in-git.md").read_text(encoding="utf-8"))
    table = okr("diff", "--as-of", "2026-11-22")
    assert _no_hashes("$ okr diff --as-of 2026-11-22\n" + table.stdout) in docs
    md = okr("diff", "--as-of", "2026-11-22", "--format", "markdown")
    assert _no_hashes("$ okr diff --as-of 2026-11-22 --format markdown\n" + md.stdout) in docs
    commit(root, "Q4 plan review", "2026-11-22T09:00:00+00:00", author="bob")
    history = okr("history", "p99-latency", "--as-of", "2026-11-22")
    assert _no_hashes("$ okr history p99-latency --as-of 2026-11-22\n" + history.stdout) in docs
