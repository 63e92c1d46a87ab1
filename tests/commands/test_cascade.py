"""A real cascade, written in okr files without bending it (issue #11).

Modelled on how a large company's handbook sets its OKRs: the fiscal year is named after
the year it ends (FY21 = 2020-02-01 … 2021-01-31, `fiscal_year_named_by: end`), a company
objective is owned by two people, one of its key results is a *roll-up* of the department
objectives hung under it (one of them aspirational, one with a key result due before the
quarter ends), another is a range ("MR rate 10–12"), and KPIs come as people write them:
a KPI with a health set by hand and its reason, one kept within a band, one with neither
cadence nor direction.

FY21-Q3 is 2021-Q3: 2020-08-01 … 2020-10-31, 92 days.  As of 2020-09-15 it is at day
(2020-09-15 − 2020-08-01) + 1 = 46, so elapsed = 46 / 92 = 0.5.

By hand, as of 2020-09-15 (pace: at risk below expected − 0.15, off track below − 0.30):

  eng-offers     (20 − 0) / (40 − 0) = 0.5, expected 0.5           on track (≥ 0.35)
  eng-hiring     0.5, expected 0.5                                  on track
  sales-reps     (30 − 20) / (60 − 20) = 0.25; aspirational, so expected 0.5 × 0.7 = 0.35
                 → on track (≥ 0.35 − 0.15 = 0.20); committed it would be at risk (< 0.35)
  sales-hiring   0.25, expected 0.35 (aspirational)                on track
  field-team     milestone 0.6, due 2020-09-30: expected (46 days) / (2020-09-30 −
                 2020-08-01 + 1 = 61 days) = 0.7541 → at risk (0.6 < 0.6041, ≥ 0.4541);
                 without the due day it would be on track against 0.5
  mktg-hiring    0.6, its own expected 0.5                          on track
  hire-to-plan   rollup: mean of the three objectives (0.5 + 0.6 + 0.25) / 3 = 0.45,
                 expected 0.5                                       on track (≥ 0.35)
  mr-rate        keep_between 10–12, value 11.2 holds: progress 1   on track (not done
                 before the period's last day)
  grow-iacv      (0.45 + 1) / 2 = 0.725                             on track
  hiring-vs-plan value 91 (computed yellow: 85 ≤ 91 < 95), then a status update with
                 health red and a reason: red, set by hand
  cost-per-hire  within 60–70, tolerance 5: 74 is 4 outside → yellow
  retention      no target, no cadence: status null, never stale (last value 45 days old)

Closed as of 2020-11-10 (after the quarter, with the final values):
  eng-offers 36 → 0.9; sales-reps 44 → (44 − 20) / 40 = 0.6; field-team done → 1;
  mr-rate 11.5 holds → 1
  hire-to-plan (0.9 + 0.6 + 1) / 3 = 0.8333; grow-iacv (0.8333 + 1) / 2 = 0.9167
  period: mean of the four objectives (0.9167 + 0.9 + 0.6 + 1) / 4 = 0.8542
"""

from __future__ import annotations

import json

import pytest

SETTINGS = """\
version: 1
org: Handbook Inc.
fiscal_year_start: 2
fiscal_year_named_by: end
teams:
  company: {name: Handbook Inc.}
  engineering: {name: Engineering, parent: company}
  sales: {name: Sales, parent: company}
  marketing: {name: Marketing, parent: company}
"""
COMPANY = """\
team: company
objectives:
  - id: grow-iacv
    title: Grow incremental ACV
    owner: [sid, scott]
    key_results:
      - id: hire-to-plan
        title: Hire to plan in every department
        type: rollup
      - id: mr-rate
        title: Merge requests per engineer per month
        type: keep_between
        min: 10
        max: 12
        owner: [christopher, eric]
"""
ENGINEERING = """\
team: engineering
objectives:
  - id: eng-hiring
    title: Hire engineers to plan
    owner: christopher
    aligns_to: hire-to-plan
    key_results:
      - {id: eng-offers, title: Offers accepted, start: 0, target: 40}
"""
SALES = """\
team: sales
objectives:
  - id: sales-hiring
    title: Double sales capacity
    owner: [michael, ryan]
    ambition: aspirational
    aligns_to: hire-to-plan
    key_results:
      - {id: sales-reps, title: Ramped reps, start: 20, target: 60}
"""
MARKETING = """\
team: marketing
objectives:
  - id: mktg-hiring
    title: Staff the field marketing team
    owner: todd
    aligns_to: hire-to-plan
    key_results:
      - {id: field-team, title: Field marketing team staffed, type: milestone, due: 2020-09-30}
"""
KPIS = """\
kpis:
  - id: hiring-vs-plan
    title: Hiring actual vs plan
    owner: company
    unit: "%"
    direction: up
    cadence: monthly
    target: 95
    red: 85
  - id: cost-per-hire
    title: Recruiting cost per hire, share of budget
    owner: company
    unit: "%"
    direction: within
    min: 60
    max: 70
    tolerance: 5
  - id: retention
    title: Team member retention
    owner: company
    unit: "%"
"""
DURING = """\
- {at: "2020-08-31", id: retention, value: 85}
- {at: "2020-09-01", id: hiring-vs-plan, value: 91}
- {at: "2020-09-01", id: cost-per-hire, value: 74}
- {at: "2020-09-08", id: eng-offers, value: 20}
- {at: "2020-09-09", id: sales-reps, value: 30}
- {at: "2020-09-10", id: field-team, value: 0.6}
- {at: "2020-09-10", id: hiring-vs-plan, health: red, note: "sales hiring paused for Q3"}
- {at: "2020-09-11", id: mr-rate, value: 11.2}
"""
LATER = """\
- {at: "2020-09-28", id: field-team, value: true}
- {at: "2020-10-01", id: hiring-vs-plan, value: 96}
- {at: "2020-10-26", id: eng-offers, value: 36}
- {at: "2020-10-27", id: sales-reps, value: 44}
- {at: "2020-10-28", id: mr-rate, value: 11.5}
"""
FILES = {
    "okrs/2021-Q3/company.yaml": COMPANY,
    "okrs/2021-Q3/engineering.yaml": ENGINEERING,
    "okrs/2021-Q3/sales.yaml": SALES,
    "okrs/2021-Q3/marketing.yaml": MARKETING,
    "kpis/people.yaml": KPIS,
    "checkins/2020-08.yaml": DURING.splitlines()[0] + "\n",
    "checkins/2020-09.yaml": "\n".join(DURING.splitlines()[1:])
    + "\n"
    + LATER.splitlines()[0]
    + "\n",
    "checkins/2020-10.yaml": "\n".join(LATER.splitlines()[1:]) + "\n",
}
AS_OF = ("--as-of", "2020-09-15")


@pytest.fixture
def cascade(make_workspace):
    return make_workspace(FILES, settings=SETTINGS)


def _card(okr, root, *args):
    result = okr("--root", str(root), "scorecard", *args)
    assert result.exit_code == 0, result
    return result


def test_the_cascade_validates_clean(okr, cascade):
    result = okr("--root", str(cascade), "validate", "--as-of", "2020-11-10")
    assert (result.exit_code, result.stderr) == (0, "")


def test_scorecard_figures_by_hand(okr, cascade):
    doc = json.loads(_card(okr, cascade, "-f", "json", *AS_OF).stdout)
    # the default period is the quarter of the as-of day, named by the year it ends in
    assert (doc["period"], doc["first_day"], doc["last_day"]) == (
        "2021-Q3", "2020-08-01", "2020-10-31",
    )  # fmt: skip
    assert doc["elapsed"] == 0.5
    objectives = {o["id"]: o for o in doc["objectives"]}
    krs = {k["id"]: k for o in doc["objectives"] for k in o["key_results"]}
    assert {k: (v["progress"], v["expected"], v["status"]) for k, v in krs.items()} == {
        "hire-to-plan": (0.45, 0.5, "on_track"),
        "mr-rate": (1.0, 0.5, "on_track"),
        "eng-offers": (0.5, 0.5, "on_track"),
        "sales-reps": (0.25, 0.35, "on_track"),
        "field-team": (0.6, 0.7541, "at_risk"),
    }
    assert {k: (v["progress"], v["expected"], v["status"]) for k, v in objectives.items()} == {
        "grow-iacv": (0.725, 0.5, "on_track"),
        "eng-hiring": (0.5, 0.5, "on_track"),
        "sales-hiring": (0.25, 0.35, "on_track"),
        "mktg-hiring": (0.6, 0.5, "on_track"),
    }
    # in the order of okr.yaml's teams
    assert krs["hire-to-plan"]["aligned"] == ["eng-hiring", "sales-hiring", "mktg-hiring"]
    assert (krs["mr-rate"]["min"], krs["mr-rate"]["max"], krs["mr-rate"]["current"]) == (
        10, 12, 11.2,
    )  # fmt: skip
    assert krs["field-team"]["due"] == "2020-09-30"
    assert objectives["sales-hiring"]["ambition"] == "aspirational"
    assert krs["sales-reps"]["ambition"] == "aspirational"  # inherited
    assert (objectives["grow-iacv"]["owners"], objectives["grow-iacv"]["owner"]) == (
        ["sid", "scott"], "sid",
    )  # fmt: skip
    assert krs["mr-rate"]["owners"] == ["christopher", "eric"]
    kpis = {k["id"]: k for k in doc["kpis"]}
    hiring = kpis["hiring-vs-plan"]
    assert (hiring["value"], hiring["status"], hiring["status_source"]) == (91, "red", "manual")
    assert hiring["status_note"] == "sales hiring paused for Q3"
    cost = kpis["cost-per-hire"]
    assert (cost["status"], cost["status_source"], cost["min"], cost["max"]) == (
        "yellow", "computed", 60, 70,
    )  # fmt: skip
    retention = kpis["retention"]
    assert (retention["status"], retention["stale"], retention["direction"]) == (None, False, None)


def test_the_table_reads_as_the_company_writes_it(okr, cascade):
    out = _card(okr, cascade, *AS_OF).stdout
    assert "Handbook Inc. · OKR scorecard · 2021-Q3 (FY21-Q3)" in out
    assert "owner sid, scott" in out
    assert "rolls up 3 objectives" in out
    assert "11.2 (keep 10–12)" in out
    assert "expected 35% (aspirational)" in out
    assert "field-team · Field marketing team staffed · due 2020-09-30" in out
    assert "60–70%" in out  # the band of cost-per-hire
    assert "red*" in out and "* status set by hand (health): hiring-vs-plan: sales hiring" in out
    md = _card(okr, cascade, "-f", "markdown", *AS_OF).stdout
    assert "red (set by hand: sales hiring paused for Q3)" in md


def test_tree_hangs_department_objectives_under_the_company_kr(okr, cascade):
    tree = okr("--root", str(cascade), "tree", *AS_OF)
    assert tree.exit_code == 0, tree
    lines = tree.stdout.splitlines()
    assert "alignment tree · 2021-Q3 (FY21-Q3) and the year 2021 (FY21)" in lines[0]
    kr_line = next(i for i, line in enumerate(lines) if "KR hire-to-plan" in line)
    assert " 45%  on track" in lines[kr_line]
    below = "\n".join(lines[kr_line : kr_line + 8])
    for child in ("eng-hiring", "mktg-hiring", "sales-hiring"):
        assert child in below
    doc = json.loads(okr("--root", str(cascade), "tree", *AS_OF, "-f", "json").stdout)
    [root] = doc["roots"]
    [kr] = root["key_results"]
    assert (kr["id"], kr["type"], kr["progress"]) == ("hire-to-plan", "rollup", 0.45)
    assert [c["id"] for c in kr["children"]] == ["eng-hiring", "sales-hiring", "mktg-hiring"]
    assert doc["unaligned"] == []


def test_close_grades_the_roll_up(okr, cascade):
    result = okr("--root", str(cascade), "close", "2021-Q3", "--as-of", "2020-11-10", "-f",
                 "json")  # fmt: skip
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    krs = {k["id"]: k["grade"] for t in doc["teams"] for o in t["objectives"]
           for k in o["key_results"]}  # fmt: skip
    assert krs == {
        "hire-to-plan": 0.8333,
        "mr-rate": 1.0,
        "eng-offers": 0.9,
        "sales-reps": 0.6,
        "field-team": 1.0,
    }
    grades = {o["id"]: o["grade"] for t in doc["teams"] for o in t["objectives"]}
    assert grades == {
        "grow-iacv": 0.9167,
        "eng-hiring": 0.9,
        "sales-hiring": 0.6,
        "mktg-hiring": 1.0,
    }
    assert doc["grade"] == 0.8542
    # the scorecard of the ended quarter agrees on every KR
    card = json.loads(_card(okr, cascade, "-f", "json", "--period", "2021-Q3", "--as-of",
                            "2020-11-10").stdout)  # fmt: skip
    assert {k["id"]: k["progress"] for o in card["objectives"] for k in o["key_results"]} == krs
    table = okr("--root", str(cascade), "close", "2021-Q3", "--as-of", "2020-11-10").stdout
    assert "2021-Q3 (FY21-Q3) graded as of 2020-11-10" in table
    assert "rolled up from eng-hiring," in table
    aligned = [k["aligned"] for t in doc["teams"] for o in t["objectives"] for k in o["key_results"]
               if k["id"] == "hire-to-plan"]  # fmt: skip
    assert aligned == [["eng-hiring", "sales-hiring", "mktg-hiring"]]
    assert "11.5 (keep 10–12)" in table


def test_checkin_asks_any_owner_of_a_shared_kr(okr, cascade, monkeypatch):
    from okrcli.commands import checkin as checkin_module

    monkeypatch.setattr(checkin_module, "stdin_is_terminal", lambda: True)
    result = okr("--root", str(cascade), "checkin", "--owner", "eric", "--at", "2020-09-15",
                 input="\n\n")  # fmt: skip
    assert result.exit_code == 0, result
    # eric is the second owner of mr-rate: it is asked about
    shown = " ".join(result.stdout.split())  # the header wraps between words
    assert (
        "mr-rate · Merge requests per engineer per month · 2021-Q3 · owner christopher, eric"
        in (shown)
    )


def test_a_kpi_health_set_by_hand_from_the_command_line(okr, cascade):
    done = okr("--root", str(cascade), "checkin", "cost-per-hire", "--health", "green", "--note",
               "budget raised", "--at", "2020-09-15")  # fmt: skip
    assert done.exit_code == 0, done
    assert done.stdout.startswith(
        "cost-per-hire: status update, the value stays 74%, yellow → green (set by hand: "
        "budget raised)"
    )
    kr = okr("--root", str(cascade), "checkin", "eng-offers", "--health", "red", "--at",
             "2020-09-15")  # fmt: skip
    assert kr.exit_code == 1
    assert "--health is a person's judgement of a KPI" in kr.stderr
