"""``dropped: true`` / ``dropped: "reason"``: kept in the file and the history, shown as
dropped, and left out of every mean, grade, pace, count and lint (SPEC §2.3, §4)."""

from __future__ import annotations

import json

SETTINGS = """\
version: 1
org: Test Org
teams:
  company: {name: Test Org}
lint: {max_key_results: 2}
"""
PLAN = """\
team: company
objectives:
  - id: top
    title: Be great
  - id: grow
    title: Grow
    aligns_to: top
    key_results:
      - {id: a, title: A, start: 0, target: 10}
      - {id: b, title: B, start: 0, target: 10, kpi: signups, dropped: "vendor gone"}
      - {id: c, title: C, type: milestone}
  - id: old
    title: Old bet
    aligns_to: top
    dropped: true
    key_results:
      - {id: d, title: D, start: 0, target: 10}
"""
KPIS = """\
kpis:
  - {id: signups, title: Sign-ups, direction: up, cadence: monthly, target: 100, red: 50}
"""
CHECKINS = """\
- {at: "2026-11-01T09:00:00+00:00", id: a, value: 5}
- {at: "2026-11-01T09:00:00+00:00", id: signups, value: 40}
- {at: "2026-11-01T09:00:00+00:00", id: c, value: 0.2}
- {at: "2026-11-01T09:00:00+00:00", id: d, value: 8}
"""
FILES = {
    "okrs/2026-Q4/company.yaml": PLAN,
    "kpis/k.yaml": KPIS,
    "checkins/2026-11.yaml": CHECKINS,
}

# By hand, as of 2026-11-15 (2026-Q4 day 46 of 92: expected 0.5; on track from 0.35, at
# risk from 0.20):
#   a    (5 - 0) / (10 - 0) = 0.5                  on track
#   b    start 0, its KPI signups reads 40: progress clamp(40 / 10) = 1.0, but it is
#        dropped ("vendor gone"): status dropped, counted nowhere
#   c    milestone 0.2                             at risk (0.2 >= 0.5 - 0.3)
#   grow (0.5 + 0.2) / 2 = 0.35, b left out        on track (0.35 >= 0.5 - 0.15)
#   old  dropped (its KR d at 0.8 is dropped with it)
#   top  roll-up of grow only: 0.35                on track
#   close: graded 2 of 2 (a 0.5, c 0.2); grow 0.35; top 0.35; team 0.35; period 0.35


def _card(okr, root, *args):
    result = okr("scorecard", "--root", str(root), "--as-of", "2026-11-15", *args)
    assert result.exit_code == 0, result
    return result


def test_dropped_items_are_shown_but_counted_nowhere(okr, make_workspace):
    root = make_workspace(FILES, settings=SETTINGS)
    doc = json.loads(_card(okr, root, "-f", "json").stdout)
    objectives = {o["id"]: o for o in doc["objectives"]}
    krs = {k["id"]: k for o in doc["objectives"] for k in o["key_results"]}
    assert (krs["a"]["progress"], krs["a"]["status"], krs["a"]["dropped"]) == (
        0.5,
        "on_track",
        False,
    )
    assert (krs["b"]["status"], krs["b"]["dropped"]) == ("dropped", "vendor gone")
    assert (krs["c"]["progress"], krs["c"]["status"]) == (0.2, "at_risk")
    assert (objectives["grow"]["progress"], objectives["grow"]["status"]) == (0.35, "on_track")
    old = objectives["old"]
    assert (old["status"], old["dropped"]) == ("dropped", True)
    assert krs["d"]["status"] == "dropped" and krs["d"]["dropped"] is True
    assert objectives["top"]["rolled_up_from"] == ["grow"]
    assert (objectives["top"]["progress"], objectives["top"]["status"]) == (0.35, "on_track")
    # a dropped KR does not address its KPI
    kpi = doc["kpis"][0]
    assert (kpi["status"], kpi["addressed"], kpi["needs_attention"]) == ("red", False, True)

    table = _card(okr, root).stdout
    assert "dropped: vendor gone" in table
    assert "dropped, counted nowhere" in table
    md = _card(okr, root, "-f", "markdown").stdout
    assert "| dropped (vendor gone) |" in md
    tree = okr("tree", "--root", str(root), "--as-of", "2026-11-15", "--period", "2026-Q4")
    assert "old · 2026-Q4 · company" in tree.stdout and "dropped" in tree.stdout


def test_close_neither_grades_nor_counts_dropped_items(okr, make_workspace):
    root = make_workspace(FILES, settings=SETTINGS)
    result = okr("close", "2026-Q4", "--root", str(root), "--as-of", "2026-11-15", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert (doc["graded"], doc["total"], doc["ungraded"]) == (2, 2, [])
    [team] = doc["teams"]
    objectives = {o["id"]: o for o in team["objectives"]}
    krs = {k["id"]: k for o in team["objectives"] for k in o["key_results"]}
    assert (krs["b"]["grade"], krs["b"]["dropped"]) == (None, "vendor gone")
    assert (krs["d"]["grade"], krs["d"]["dropped"]) == (None, True)
    assert objectives["grow"]["grade"] == 0.35  # (0.5 + 0.2) / 2
    assert (objectives["old"]["grade"], objectives["old"]["dropped"]) == (None, True)
    assert objectives["top"]["grade"] == 0.35  # grow alone
    assert team["grade"] == doc["grade"] == 0.35  # (0.35 + 0.35) / 2
    assert doc["distribution"]["key_results"] == {"green": 0, "yellow": 1, "red": 1}
    table = okr("close", "2026-Q4", "--root", str(root), "--as-of", "2026-11-15").stdout
    assert "dropped: vendor gone" in table


def test_dropped_items_leave_lint(okr, make_workspace):
    # three KRs with lint.max_key_results 2: one is dropped, so no warning
    root = make_workspace(FILES, settings=SETTINGS)
    result = okr("validate", "--root", str(root), "--as-of", "2026-11-15")
    assert result.exit_code == 0 and result.stderr == ""


def test_an_objective_whose_krs_are_all_dropped_is_flagged(okr, make_workspace):
    plan = PLAN.replace("      - {id: a, title: A, start: 0, target: 10}\n", "").replace(
        "{id: c, title: C, type: milestone}", "{id: c, title: C, type: milestone, dropped: true}"
    )
    root = make_workspace({**FILES, "okrs/2026-Q4/company.yaml": plan}, settings=SETTINGS)
    result = okr("validate", "--root", str(root), "--as-of", "2026-11-15")
    assert "warning[no-key-results] objective 'grow' has no key results left" in result.stderr


def test_dropped_on_a_kpi_is_a_located_error(okr, make_workspace):
    kpis = KPIS.replace("red: 50}", "red: 50, dropped: true}")
    root = make_workspace({**FILES, "kpis/k.yaml": kpis}, settings=SETTINGS)
    result = okr("validate", "--root", str(root), "--as-of", "2026-11-15")
    assert result.exit_code == 1
    column = kpis.splitlines()[1].index("dropped") + 1
    assert f"kpis/k.yaml:2:{column}: error[unknown-key] unknown key 'dropped'; only objectives" in (
        result.stderr
    )


def test_a_wrong_dropped_value_is_a_located_error(okr, make_workspace):
    plan = PLAN.replace("dropped: true", "dropped: 3")
    root = make_workspace({**FILES, "okrs/2026-Q4/company.yaml": plan}, settings=SETTINGS)
    result = okr("validate", "--root", str(root), "--as-of", "2026-11-15")
    assert result.exit_code == 1
    assert (
        "okrs/2026-Q4/company.yaml:15:14: error[wrong-type] 'dropped': must be true, false or "
        "the reason as text, got the number 3" in result.stderr
    )


def test_plan_leaves_dropped_work_behind(okr, make_workspace):
    root = make_workspace(FILES, settings=SETTINGS)
    result = okr("plan", "2027-Q1", "--root", str(root), "--as-of", "2027-01-02", "--dry-run")
    assert result.exit_code == 0, result
    assert "id: old" not in result.stdout and "id: d\n" not in result.stdout
    assert "id: b\n" not in result.stdout
    assert "# left behind, dropped in 2026-Q4: b" in result.stdout
    assert "objective old (company, dropped)" in result.stderr
    assert "KR b (company, dropped)" in result.stderr
