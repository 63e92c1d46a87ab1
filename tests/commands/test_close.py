"""``okr close``: grades as of a date, checked by hand; ungraded KRs; --write and --tag."""

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

# by hand, as of 2026-10-02:
#   p99    (850 - 520) / (850 - 300) = 0.6   yellow (weight 3)
#   docs   0.8                              green
#   uptime no data: ungraded (null), not 0
#   cost   (200 - 120) / (200 - 100) = 0.8  green
#   fast   graded KRs only: (0.6 * 3 + 0.8 * 1) / 4 = 0.65 yellow (graded 2 of 3)
#   cheap  0.8                              green
#   trust  no KRs: mean of fast and cheap = (0.65 + 0.8) / 2 = 0.725 green
#   team platform (0.65 + 0.8) / 2 = 0.725  green;  team company 0.725 green
#   period: mean of the three objectives (0.65 + 0.8 + 0.725) / 3 = 0.725 green
#   graded 3 of 4 KRs


@pytest.fixture
def ws(make_workspace):
    return make_workspace(FILES)


def test_close_grades_krs_objectives_and_teams(okr, ws):
    result = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02", "-f", "json")
    assert result.exit_code == 0, result
    assert "has not ended" not in result.stderr  # the period has ended
    doc = json.loads(result.stdout)
    assert (doc["period"], doc["graded_as_of"], doc["ended"]) == ("2026-Q3", "2026-10-02", True)
    assert (doc["graded"], doc["total"], doc["ungraded"]) == (3, 4, ["uptime"])
    teams = {t["team"]: t for t in doc["teams"]}
    platform = teams["platform"]
    objectives = {o["id"]: o for o in platform["objectives"]}
    krs = {k["id"]: k for o in platform["objectives"] for k in o["key_results"]}
    assert {k: (v["grade"], v["band"], v["no_data"]) for k, v in krs.items()} == {
        "p99": (0.6, "yellow", False),
        "docs": (0.8, "green", False),
        "uptime": (None, None, True),
        "cost": (0.8, "green", False),
    }
    assert krs["p99"]["final"] == 520 and krs["uptime"]["final"] is None
    fast, cheap = objectives["fast"], objectives["cheap"]
    assert (fast["grade"], fast["band"], fast["graded"], fast["total"]) == (0.65, "yellow", 2, 3)
    assert (cheap["grade"], cheap["band"], cheap["graded"], cheap["total"]) == (0.8, "green", 1, 1)
    assert (platform["grade"], platform["band"]) == (0.725, "green")
    assert (platform["graded"], platform["total"]) == (3, 4)
    [trust] = teams["company"]["objectives"]
    assert (trust["grade"], trust["band"], trust["rolled_up"]) == (0.725, "green", True)
    assert (trust["graded"], trust["total"]) == (3, 4)  # the KRs it rolls up from
    assert teams["company"]["grade"] == 0.725
    assert (doc["grade"], doc["band"]) == (0.725, "green")
    assert doc["distribution"] == {
        "key_results": {"green": 2, "yellow": 1, "red": 0},
        "objectives": {"green": 2, "yellow": 1, "red": 0},
        "teams": {"green": 2, "yellow": 0, "red": 0},
    }
    # the ungraded KR is named on stderr
    assert "graded 3 of 4 KRs; 1 have no data and are ungraded: uptime" in result.stderr


def test_close_table_and_markdown(okr, ws):
    table = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02")
    assert table.exit_code == 0, table
    assert "2026-Q3 graded as of 2026-10-02 — grade 0.73 (green)" in table.stdout
    assert "Platform (platform): 0.73 green" in table.stdout
    assert "p99 ×3" in table.stdout
    assert "no check-in: ungraded" in table.stdout
    assert "graded 3 of 4 KRs; ungraded (no data): uptime" in table.stdout
    assert "key results:  2 green, 1 yellow, 0 red" in table.stdout
    md = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-10-02", "-f", "markdown")
    assert "| ↳ `p99` ×3 p99 latency | 0.60 | yellow | 520 (target 300) |" in md.stdout
    assert "| ↳ `uptime` Uptime held | — | ungraded | no check-in: ungraded |" in md.stdout
    assert "| **fast** Be fast | 0.65 | yellow | graded 2 of 3 KRs |" in md.stdout


def test_a_period_not_ended_yet_is_graded_with_a_warning(okr, ws):
    result = okr("close", "2026-Q3", "--root", str(ws), "--as-of", "2026-09-21", "-f", "json")
    assert result.exit_code == 0, result
    assert "warning: 2026-Q3 has not ended yet (it ends 2026-09-30)" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["ended"] is False
    # as of 2026-09-21 the cost check-in of 09-22 does not count yet: cost and uptime are
    # ungraded; fast (0.6 * 3 + 0.8) / 4 = 0.65, cheap ungraded, trust = mean(0.65) = 0.65;
    # the period: mean of fast and trust = 0.65
    assert doc["ungraded"] == ["uptime", "cost"]
    assert doc["grade"] == 0.65


def test_write_saves_grades_once(okr, ws):
    result = okr("close", "2026-Q3", "--write", "--root", str(ws), "--as-of", "2026-10-02")
    assert result.exit_code == 0, result
    path = ws / "grades" / "2026-Q3.yaml"
    text = path.read_text()
    assert text.startswith("# Grades of 2026-Q3, as of 2026-10-02 (its last day is 2026-09-30).")
    saved = yaml.safe_load(text)
    assert (saved["period"], saved["grade"], saved["band"]) == ("2026-Q3", 0.725, "green")
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
    assert (
        "okr close 2026-Q3: grade 0.72 (green); key results 2 green, 1 yellow, 0 red; "
        "graded 3 of 4" in message
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
    # last values for 2026-Q3: traced 38 of 5 → 40, alerts 12 of 30 → 8 (the final count,
    # recorded on 2026-10-05 naming 2026-Q3; 14 before it), dashboards true, conversion 3.1
    # of 2.1 → 3.5, SSO 0.8
    assert grades == {
        "traced-services": round(33 / 35, 4),
        "alert-noise": round(18 / 22, 4),
        "slo-dashboards": 1.0,
        "signup-conversion": round(1.0 / 1.4, 4),
        "sso-signup": 0.8,
    }
    observability = (33 / 35 + 18 / 22 + 1.0) / 3
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


# --- late records, agreement with the scorecard, refusals ------------------------------------

LATE = {
    **FILES,
    "kpis/k.yaml": "kpis:\n  - {id: api-up, title: API uptime, direction: up, cadence: weekly}\n",
    "okrs/2026-Q3/platform.yaml": PLATFORM.replace(
        "type: keep_above\n        target: 99.9",
        "type: keep_above\n        target: 99.9\n        kpi: api-up",
    ),
    # final scores written after the quarter, naming it; a KPI value inside the quarter and
    # one after it (which a Q3 KR must not take)
    "checkins/2026-10.yaml": (
        '- {at: "2026-10-09T10:00:00+00:00", id: p99, period: 2026-Q3, value: 410}\n'
        '- {at: "2026-10-09T10:05:00+00:00", id: docs, period: 2026-Q3, value: true}\n'
        '- {at: "2026-10-03T10:00:00+00:00", id: api-up, value: 99.0}\n'
    ),
    "checkins/2026-09.yaml": SEPTEMBER
    + '- {at: "2026-09-29T10:00:00+00:00", id: api-up, value: 99.95}\n',
}


def test_final_scores_written_after_the_quarter_count_in_close_and_scorecard(okr, make_workspace):
    root = make_workspace(LATE)
    close = okr("close", "2026-Q3", "--root", str(root), "--as-of", "2026-10-12", "-f", "json")
    assert close.exit_code == 0, close
    doc = json.loads(close.stdout)
    krs = {k["id"]: k for t in doc["teams"] for o in t["objectives"] for k in o["key_results"]}
    # p99 graded on its late record: (850 - 410) / (850 - 300) = 0.8; docs true = 1
    assert (krs["p99"]["final"], krs["p99"]["grade"]) == (410, 0.8)
    assert (krs["docs"]["final"], krs["docs"]["grade"]) == (1, 1.0)
    # the linked KR takes the KPI's last value inside Q3 (99.95 >= 99.9), not 99.0 of October
    assert (krs["uptime"]["final"], krs["uptime"]["grade"]) == (99.95, 1.0)
    # fast = (0.8 * 3 + 1 + 1) / 5 = 0.88; cheap 0.8; trust (0.88 + 0.8) / 2 = 0.84
    fast = doc["teams"][1]["objectives"][0] if doc["teams"][1]["team"] == "platform" else None
    assert fast is not None and fast["grade"] == 0.88
    assert doc["grade"] == round((0.88 + 0.8 + 0.84) / 3, 4)
    assert doc["graded"] == doc["total"] == 4

    card = okr("scorecard", "--root", str(root), "--period", "2026-Q3", "--as-of", "2026-10-12",
               "-f", "json")  # fmt: skip
    assert card.exit_code == 0, card
    progress = {
        k["id"]: k["progress"]
        for o in json.loads(card.stdout)["objectives"]
        for k in o["key_results"]
    }
    # the scorecard of the ended period and close agree on every KR
    assert progress == {k: v["grade"] for k, v in krs.items()}

    # as of the quarter's last day the late records did not exist yet
    early = json.loads(
        okr("close", "2026-Q3", "--root", str(root), "--as-of", "2026-09-30", "-f", "json").stdout
    )
    krs = {k["id"]: k for t in early["teams"] for o in t["objectives"] for k in o["key_results"]}
    assert (krs["p99"]["final"], krs["p99"]["grade"]) == (520, 0.6)


def test_write_and_tag_wait_for_the_end_of_the_period_unless_forced(okr, make_workspace):
    root = make_workspace(FILES)
    refused = okr("close", "2026-Q3", "--write", "--root", str(root), "--as-of", "2026-09-30")
    assert refused.exit_code == 1
    assert "2026-Q3 has not ended yet (its last day is 2026-09-30, as of 2026-09-30)" in (
        refused.stderr
    )
    assert "--force" in refused.stderr
    assert refused.stdout == ""
    assert not (root / "grades").exists()
    forced = okr(
        "close", "2026-Q3", "--write", "--force", "--root", str(root), "--as-of", "2026-09-30"
    )
    assert forced.exit_code == 0, forced
    assert "okr: --force: keeping the grades of 2026-Q3 before it has ended (--write)" in (
        forced.stderr
    )
    assert (root / "grades" / "2026-Q3.yaml").exists()


def test_tag_refuses_uncommitted_goal_files(okr, make_workspace, git_repo):
    root = git_repo(make_workspace(FILES))
    # a check-in not committed yet: HEAD would not reproduce the grades
    (root / "checkins" / "2026-09.yaml").write_text(
        SEPTEMBER + '- {at: "2026-09-29T10:00:00+00:00", id: cost, value: 110}\n'
    )
    refused = okr("close", "2026-Q3", "--tag", "--root", str(root), "--as-of", "2026-10-02")
    assert refused.exit_code == 1
    assert "goal files have uncommitted changes (checkins/2026-09.yaml)" in refused.stderr
    assert git(root, "tag", "-l").strip() == ""
    git(root, "add", "-A")
    git(root, "commit", "-qm", "late check-in")
    # an untracked file under checkins/ is a change too
    (root / "checkins" / "2026-10.yaml").write_text(
        '- {at: "2026-10-01T10:00:00+00:00", id: cost, period: 2026-Q3, value: 100}\n'
    )
    again = okr("close", "2026-Q3", "--tag", "--root", str(root), "--as-of", "2026-10-02")
    assert again.exit_code == 1 and "checkins/2026-10.yaml" in again.stderr
    (root / "checkins" / "2026-10.yaml").unlink()
    done = okr("close", "2026-Q3", "--tag", "--root", str(root), "--as-of", "2026-10-02")
    assert done.exit_code == 0, done
    assert git(root, "tag", "-l").strip() == "okr/2026-Q3"
