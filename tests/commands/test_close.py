"""``okr close``: grades at the period's end, checked by hand; --write and --tag."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import AS_OF, EXAMPLE, REPO, git

PLATFORM = """\
team: platform
objectives:
  - id: fast
    title: Be fast
    aligns_to: trust
    key_results:
      - id: p99
        title: p99 latency
        start: 850
        target: 300
        weight: 3
      - id: docs
        title: Docs
        type: milestone
      - id: uptime
        title: Uptime held
        type: keep_above
        target: 99.9
  - id: cheap
    title: Be cheap
    aligns_to: trust
    key_results:
      - id: cost
        title: Cost
        start: 200
        target: 100
"""
COMPANY = "team: company\nobjectives:\n  - id: trust\n    title: Be trusted\n"
AUGUST = '- {at: "2026-08-15T10:00:00+00:00", id: p99, value: 600}\n'
SEPTEMBER = """\
- {at: "2026-09-20T10:00:00+00:00", id: p99, value: 520}
- {at: "2026-09-21T10:00:00+00:00", id: docs, value: 0.8}
- {at: "2026-09-22T10:00:00+00:00", id: cost, value: 120}
"""
FILES = {
    "okrs/2026-Q3/platform.yaml": PLATFORM,
    "okrs/2026-Q3/company.yaml": COMPANY,
    "checkins/2026-08.yaml": AUGUST,
    "checkins/2026-09.yaml": SEPTEMBER,
}

# by hand:
#   p99    (850 - 520) / (850 - 300) = 0.6   yellow (weight 3)
#   docs   0.8                              green
#   uptime no data -> 0.0                   red
#   cost   (200 - 120) / (200 - 100) = 0.8  green
#   fast   (0.6 * 3 + 0.8 + 0.0) / 5 = 0.52 yellow
#   cheap  0.8                              green
#   trust  no KRs: mean of fast and cheap = 0.66 yellow
#   team platform (0.52 + 0.8) / 2 = 0.66   yellow;  team company 0.66 yellow
#   period: mean of the three objectives (0.52 + 0.8 + 0.66) / 3 = 0.66 yellow


@pytest.fixture
def ws(make_workspace):
    return make_workspace(FILES)


def test_close_grades_krs_objectives_and_teams(okr, ws):
    result = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02", "-f", "json")
    assert result.exit_code == 0, result
    assert result.stderr == ""  # the period has ended: no warning
    doc = json.loads(result.stdout)
    assert (doc["period"], doc["graded_as_of"], doc["ended"]) == ("2026-Q3", "2026-09-30", True)
    teams = {t["team"]: t for t in doc["teams"]}
    platform = teams["platform"]
    objectives = {o["id"]: o for o in platform["objectives"]}
    krs = {k["id"]: k for o in platform["objectives"] for k in o["key_results"]}
    assert {k: (v["grade"], v["band"], v["no_data"]) for k, v in krs.items()} == {
        "p99": (0.6, "yellow", False),
        "docs": (0.8, "green", False),
        "uptime": (0.0, "red", True),
        "cost": (0.8, "green", False),
    }
    assert krs["p99"]["final"] == 520 and krs["uptime"]["final"] is None
    assert (objectives["fast"]["grade"], objectives["fast"]["band"]) == (0.52, "yellow")
    assert (objectives["cheap"]["grade"], objectives["cheap"]["band"]) == (0.8, "green")
    assert (platform["grade"], platform["band"]) == (0.66, "yellow")
    [trust] = teams["company"]["objectives"]
    assert (trust["grade"], trust["band"], trust["rolled_up"]) == (0.66, "yellow", True)
    assert teams["company"]["grade"] == 0.66
    assert (doc["grade"], doc["band"]) == (0.66, "yellow")
    assert doc["distribution"] == {
        "key_results": {"green": 2, "yellow": 1, "red": 1},
        "objectives": {"green": 1, "yellow": 2, "red": 0},
        "teams": {"green": 0, "yellow": 2, "red": 0},
    }


def test_close_table_and_markdown(okr, ws):
    table = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02")
    assert table.exit_code == 0, table
    assert "2026-Q3 graded as of 2026-09-30 — grade 0.66 (yellow)" in table.stdout
    assert "Platform (platform): 0.66 yellow" in table.stdout
    assert "p99 ×3" in table.stdout
    assert "no data" in table.stdout
    assert "key results:  2 green, 1 yellow, 1 red" in table.stdout
    md = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02", "-f", "markdown")
    assert "| ↳ `p99` ×3 p99 latency | 0.60 | yellow | 520 (target 300) |" in md.stdout
    assert "| **fast** Be fast | 0.52 | yellow |  |" in md.stdout


def test_a_period_not_ended_yet_is_graded_with_a_warning(okr, ws):
    result = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-09-21", "-f", "json")
    assert result.exit_code == 0, result
    assert "warning: 2026-Q3 has not ended yet (it ends 2026-09-30)" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["ended"] is False
    assert doc["grade"] == 0.66  # every check-in up to the last day counts


def test_write_saves_grades_once(okr, ws):
    result = okr("close", "2026-Q3", "--write", "--root", str(ws), "--as-of", "2026-10-02")
    assert result.exit_code == 0, result
    path = ws / "grades" / "2026-Q3.yaml"
    text = path.read_text()
    assert text.startswith("# Grades of 2026-Q3, as of its last day 2026-09-30.")
    saved = yaml.safe_load(text)
    assert (saved["period"], saved["grade"], saved["band"]) == ("2026-Q3", 0.66, "yellow")
    platform = next(t for t in saved["teams"] if t["team"] == "platform")
    assert platform["objectives"][0]["key_results"][0]["grade"] == 0.6
    again = okr("close", "2026-Q3", "--write", "--root", str(ws), "--as-of", "2026-10-02")
    assert again.exit_code == 1
    assert "grades/2026-Q3.yaml already exists" in again.stderr
    assert path.read_text() == text
    check = okr("validate", "--root", str(ws), "--as-of", "2026-10-02")
    assert check.exit_code == 0  # grades/ is not a goal folder


def test_tag_creates_an_annotated_tag_once(okr, ws, git_repo):
    git_repo(ws)
    result = okr("close", "2026-Q3", "--tag", "--root", str(ws), "--as-of", "2026-10-02")
    assert result.exit_code == 0, result
    head = git(ws, "rev-parse", "HEAD").strip()
    assert git(ws, "rev-parse", "okr/2026-Q3^{commit}").strip() == head
    assert git(ws, "cat-file", "-t", "okr/2026-Q3").strip() == "tag"
    message = git(ws, "tag", "-l", "--format=%(contents)", "okr/2026-Q3")
    assert "okr close 2026-Q3: grade 0.66 (yellow); key results 2 green, 1 yellow, 1 red" in (
        message
    )
    again = okr("close", "2026-Q3", "--tag", "--root", str(ws), "--as-of", "2026-10-02")
    assert again.exit_code == 1
    assert "the tag okr/2026-Q3 already exists" in again.stderr
    assert again.stdout == ""  # refused before printing anything


def test_tag_needs_git_and_a_commit(okr, ws):
    result = okr("close", "2026-Q3", "--tag", "--root", str(ws))
    assert result.exit_code == 1
    assert "okr close --tag needs git" in result.stderr
    git(ws, "init", "-q", "-b", "main")
    unborn = okr("close", "2026-Q3", "--tag", "--root", str(ws))
    assert unborn.exit_code == 1
    assert "no commits yet" in unborn.stderr


def test_close_of_the_example(okr, example):
    result = okr("close", "2026-Q3", "--root", str(example), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    grades = {
        k["id"]: k["grade"] for t in doc["teams"] for o in t["objectives"] for k in o["key_results"]
    }
    # last values in 2026-Q3: traced 38 of 5 → 40, alerts 14 of 30 → 8, dashboards true,
    # conversion 3.1 of 2.1 → 3.5, SSO 0.8
    assert grades == {
        "traced-services": round(33 / 35, 4),
        "alert-noise": round(16 / 22, 4),
        "slo-dashboards": 1.0,
        "signup-conversion": round(1.0 / 1.4, 4),
        "sso-signup": 0.8,
    }
    observability = (33 / 35 + 16 / 22 + 1.0) / 3
    funnel = (1.0 / 1.4 + 0.8) / 2
    assert doc["grade"] == round((observability + funnel) / 2, 4)
    assert doc["band"] == "green"


def test_close_errors(okr, ws):
    assert okr("close", "2026-Q9", "--root", str(ws)).exit_code == 2
    none = okr("close", "2025-Q1", "--root", str(ws))
    assert none.exit_code == 1
    assert "there are no objectives for 2025-Q1" in none.stderr


def test_docs_transcript_is_current(okr, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = okr("close", "2026-Q3", "--as-of", AS_OF)
    docs = (REPO / "docs" / "plans-in-git.md").read_text(encoding="utf-8")
    assert f"$ okr close 2026-Q3 --as-of {AS_OF}\n" + result.stdout in docs
    q4 = okr("close", "2026-Q4", "--as-of", AS_OF)
    assert f"$ okr close 2026-Q4 --as-of {AS_OF}\n" + q4.stderr in docs
