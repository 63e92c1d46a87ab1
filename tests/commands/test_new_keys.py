"""The new plan and KPI keys of SPEC §2.1–2.5: their formulas (worked by hand, through the
CLI's JSON), their validation (located errors), and how diff, plan and the fiscal calendar
treat them."""

from __future__ import annotations

import json

import pytest
from helpers import SETTINGS, commit, git_init, write_tree

# 2026-Q4 runs 2026-10-01 … 2026-12-31, 92 days
PLAN = """\
team: company
objectives:
  - id: bold
    title: A bold bet
    ambition: aspirational
    key_results:
      - {id: reach, title: Reach, start: 0, target: 100}
  - id: steady
    title: Keep it steady
    key_results:
      - {id: latency, title: Latency, type: keep_between, min: 10, max: 12, unit: ms,
         due: 2026-11-30}
      - {id: launch, title: Launch, start: 0, target: 10, due: 2026-11-30}
"""


def _krs(okr, root, as_of):
    result = okr("--root", str(root), "scorecard", "-f", "json", "--as-of", as_of)
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    krs = {k["id"]: k for o in doc["objectives"] for k in o["key_results"]}
    return {o["id"]: o for o in doc["objectives"]}, krs


def test_an_aspirational_objective_at_its_pace_on_the_last_day_is_on_track(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN,
            "checkins/2026-12.yaml": '- {at: "2026-12-31", id: reach, value: 70}\n',
        }
    )
    objectives, krs = _krs(okr, root, "2026-12-31")
    # reach (70 − 0) / (100 − 0) = 0.7; expected on the last day 1 × pace.aspirational 0.7
    # = 0.7: 0.7 ≥ 0.7 − 0.15, on track (committed it would be 0.7 < 1 − 0.15 = 0.85: at
    # risk, as 0.7 ≥ 1 − 0.30)
    assert (krs["reach"]["progress"], krs["reach"]["expected"], krs["reach"]["status"]) == (
        0.7, 0.7, "on_track",
    )  # fmt: skip
    bold = objectives["bold"]
    assert (bold["progress"], bold["expected"], bold["status"], bold["ambition"]) == (
        0.7, 0.7, "on_track", "aspirational",
    )  # fmt: skip
    committed = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN.replace("    ambition: aspirational\n", ""),
            "checkins/2026-12.yaml": '- {at: "2026-12-31", id: reach, value: 70}\n',
        }
    )
    objectives, krs = _krs(okr, committed, "2026-12-31")
    assert (krs["reach"]["expected"], krs["reach"]["status"]) == (1.0, "at_risk")


def test_a_due_day_sets_the_pace_and_after_it_the_kr_is_judged_finished(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN,
            "checkins/2026-11.yaml": '- {at: "2026-11-10", id: latency, value: 11}\n'
            '- {at: "2026-11-10", id: launch, value: 6}\n',
        }
    )
    _, krs = _krs(okr, root, "2026-11-15")
    # due 2026-11-30: 61 days from 2026-10-01; as of 2026-11-15, 46 of them have run:
    # expected 46 / 61 = 0.7541 (not 46 / 92 = 0.5); launch (6 − 0) / 10 = 0.6 < 0.7541 −
    # 0.15 = 0.6041: at risk
    assert (krs["launch"]["expected"], krs["launch"]["status"]) == (0.7541, "at_risk")
    assert krs["launch"]["due"] == "2026-11-30"
    # keep_between 10–12 holds at 11: progress 1, on track before its due day
    latency = krs["latency"]
    assert (latency["progress"], latency["status"], latency["min"], latency["max"]) == (
        1.0, "on_track", 10, 12,
    )  # fmt: skip
    _, krs = _krs(okr, root, "2026-12-02")
    # after the due day: expected 1; a kept KR that holds is done
    assert (krs["launch"]["expected"], krs["latency"]["status"]) == (1.0, "done")
    assert krs["launch"]["status"] == "off_track"  # 0.6 < 1 − 0.30


def test_keep_between_outside_its_band(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN,
            "checkins/2026-11.yaml": '- {at: "2026-11-10", id: latency, value: 12.5}\n',
        }
    )
    _, krs = _krs(okr, root, "2026-11-15")
    # 12.5 > max 12: progress 0, off track
    assert (krs["latency"]["progress"], krs["latency"]["status"]) == (0.0, "off_track")
    table = okr("--root", str(root), "scorecard", "--as-of", "2026-11-15").stdout
    assert "12.5 ms (keep 10–12 ms)" in table


KPIS = """\
kpis:
  - {id: band, title: In a band, unit: "%", direction: within, min: 60, max: 70, tolerance: 5}
  - {id: plain, title: No target}
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (60, "green"),  # inside [60, 70], its edge included
        (70, "green"),
        (75, "yellow"),  # 5 outside: within the tolerance
        (54.5, "red"),  # 5.5 outside: beyond it
    ],
)
def test_a_kpi_within_a_band(okr, make_workspace, value, status):
    root = make_workspace(
        {
            "kpis/k.yaml": KPIS,
            "checkins/2026-11.yaml": f'- {{at: "2026-11-10", id: band, value: {value}}}\n'
            '- {at: "2026-01-10", id: plain, value: 3}\n',
        }
    )
    result = okr("--root", str(root), "scorecard", "-f", "json", "--as-of", "2026-11-15")
    kpis = {k["id"]: k for k in json.loads(result.stdout)["kpis"]}
    assert kpis["band"]["status"] == status
    # no direction, no target, no cadence: no status, never stale (309 days old)
    assert (kpis["plain"]["status"], kpis["plain"]["stale"]) == (None, False)
    table = okr("--root", str(root), "scorecard", "--as-of", "2026-11-15").stdout
    assert "60–70%" in table


def test_a_manual_health_holds_only_while_it_is_the_latest_record(okr, make_workspace):
    kpis = "kpis:\n  - {id: up, title: Up, direction: up, cadence: weekly, target: 10}\n"
    root = make_workspace(
        {
            "kpis/k.yaml": kpis,
            "checkins/2026-11.yaml": '- {at: "2026-11-10", id: up, value: 12}\n'
            '- {at: "2026-11-11", id: up, health: red, note: "a bad week ahead"}\n'
            '- {at: "2026-11-13", id: up, value: 11}\n',
        }
    )

    def kpi(as_of):
        out = okr("--root", str(root), "scorecard", "-f", "json", "--as-of", as_of).stdout
        return json.loads(out)["kpis"][0]

    k = kpi("2026-11-12")  # the health record is the latest: it is the status
    assert (k["value"], k["status"], k["status_source"], k["status_note"]) == (
        12, "red", "manual", "a bad week ahead",
    )  # fmt: skip
    k = kpi("2026-11-14")  # a newer measurement: computed again, 11 ≥ 10 green
    assert (k["value"], k["status"], k["status_source"]) == (11, "green", "computed")


FY = """\
version: 1
org: FY Org
fiscal_year_start: 2
fiscal_year_named_by: end
teams:
  company: {name: FY Org}
"""


def test_a_fiscal_year_named_by_its_end(okr, make_workspace):
    plan = "team: company\nobjectives:\n  - id: o\n    title: O\n    key_results:\n" \
           "      - {id: k, title: K, type: milestone}\n"  # fmt: skip
    root = make_workspace(
        {
            "okrs/2021-Q1/company.yaml": plan,
            "checkins/2020-03.yaml": '- {at: "2020-03-15", id: k, value: 0.5}\n',
        },
        settings=FY,
    )
    # 2021-Q1 with fiscal_year_start 2, named by its end: 2020-02-01 … 2020-04-30 (90 days)
    doc = json.loads(okr("--root", str(root), "scorecard", "-f", "json", "--as-of",
                         "2020-03-15").stdout)  # fmt: skip
    assert (doc["period"], doc["first_day"], doc["last_day"]) == (
        "2021-Q1", "2020-02-01", "2020-04-30",
    )  # fmt: skip
    # day (2020-03-15 − 2020-02-01) + 1 = 44 of 90: 0.4889
    assert doc["elapsed"] == 0.4889
    assert doc["objectives"][0]["key_results"][0]["current"] == 0.5
    planned = okr("--root", str(root), "plan", "2021-Q2", "--as-of", "2020-05-02", "--dry-run")
    assert planned.exit_code == 0, planned
    assert "# ==> okrs/2021-Q2/company.yaml <==" in planned.stdout
    assert "judged as of 2020-04-30" in planned.stderr
    year = okr("--root", str(root), "close", "2021-Q1", "--as-of", "2020-05-02")
    assert "2021-Q1 (FY21-Q1) graded as of 2020-05-02" in year.stdout


BAD = [
    (
        "keep_between with min not below max",
        "      - {id: k, title: K, type: keep_between, min: 12, max: 10}\n",
        "kr-type",
        "has min (12) not below max (10)",
    ),
    (
        "rollup with a start",
        "      - {id: k, title: K, type: rollup, start: 3}\n",
        "kr-type",
        "is a rollup, which takes no start",
    ),
    (
        "min on an increase",
        "      - {id: k, title: K, start: 0, target: 5, min: 1}\n",
        "kr-type",
        "takes no min",
    ),
    (
        "a bad due",
        "      - {id: k, title: K, type: milestone, due: 15.11.2026}\n",
        "invalid-value",
        "is not a date; write it like 2026-11-15",
    ),
    (
        "an owner list that is empty",
        "      - {id: k, title: K, type: milestone, owner: []}\n",
        "wrong-type",
        "must be a name or a list of names",
    ),
]


@pytest.mark.parametrize(("kr", "code", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_new_keys_are_located_errors(okr, make_workspace, kr, code, message):
    plan = "team: company\nobjectives:\n  - id: o\n    title: O\n    key_results:\n" + kr
    root = make_workspace({"okrs/2026-Q4/company.yaml": plan})
    result = okr("--root", str(root), "validate", "--as-of", "2026-11-15", "-f", "json")
    assert result.exit_code == 1
    found = [(d["code"], d["line"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert any(c == code and line == 6 and message in m for c, line, m in found), found


def test_a_cycle_through_a_key_result_is_an_error_naming_the_loop(okr, make_workspace):
    plan = """\
team: company
objectives:
  - id: top
    title: Top
    aligns_to: mid
    key_results:
      - {id: top-kr, title: Top KR, type: rollup}
  - id: mid
    title: Mid
    aligns_to: top-kr
    key_results:
      - {id: m, title: M, type: milestone}
"""
    root = make_workspace({"okrs/2026-Q4/company.yaml": plan})
    result = okr("--root", str(root), "validate", "--as-of", "2026-11-15")
    assert result.exit_code == 1
    assert (
        "error[alignment-cycle] objectives align in a cycle: top aligns to mid, mid aligns to "
        "KR top-kr of top" in result.stderr
    )


def test_kpi_definitions_that_do_not_fit(okr, make_workspace):
    kpis = """\
kpis:
  - {id: a, title: A, target: 5}
  - {id: b, title: B, direction: within, min: 1, max: 3, target: 2}
  - {id: c, title: C, direction: up, min: 1}
"""
    root = make_workspace({"kpis/k.yaml": kpis})
    result = okr("--root", str(root), "validate", "-f", "json")
    found = {(d["line"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {(2, "kpi-definition"), (3, "kpi-definition"), (4, "kpi-definition")}


def test_an_unknown_fiscal_year_naming(okr, make_workspace):
    root = make_workspace({}, settings=FY.replace("named_by: end", "named_by: ending"))
    result = okr("--root", str(root), "validate")
    assert "okr.yaml:4:23: error[invalid-value] 'fiscal_year_named_by' is the text 'ending'" in (
        result.stderr
    )


def test_diff_reports_the_new_keys_and_a_moved_due_day_as_moving_goal_posts(okr, tmp_path):
    root = git_init(tmp_path / "ws")
    write_tree(root, {"okr.yaml": SETTINGS, "okrs/2026-Q4/company.yaml": PLAN})
    commit(root, "plan", "2026-09-25T10:00:00+00:00")
    changed = (
        PLAN.replace("due: 2026-11-30}", "due: 2026-12-15}")
        .replace("min: 10, max: 12", "min: 10, max: 14")
        .replace("    ambition: aspirational\n", "    owner: [ann, bo]\n")
    )
    write_tree(root, {"okrs/2026-Q4/company.yaml": changed})
    result = okr("diff", "--root", str(root), "--as-of", "2026-11-02", "-f", "json")
    assert result.exit_code == 0, result
    changes = {(c["id"], c["field"]): c for c in json.loads(result.stdout)["changes"]}
    assert (changes[("latency", "due")]["old"], changes[("latency", "due")]["new"]) == (
        "2026-11-30", "2026-12-15",
    )  # fmt: skip
    assert changes[("latency", "due")]["goalposts"] is True
    assert changes[("launch", "due")]["goalposts"] is True
    assert changes[("latency", "max")]["goalposts"] is True
    assert (changes[("bold", "ambition")]["old"], changes[("bold", "ambition")]["new"]) == (
        "aspirational", "committed",
    )  # fmt: skip
    assert changes[("bold", "owner")]["new"] == "ann, bo"


def test_plan_carries_the_new_keys_over(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN.replace("title: Latency,", "title: Latency, "
                                                      "owner: [ann, bo],"),
        }
    )  # fmt: skip
    result = okr("plan", "2027-Q1", "--root", str(root), "--as-of", "2027-01-02", "--dry-run")
    assert result.exit_code == 0, result
    text = result.stdout
    assert "    ambition: aspirational" in text
    assert "type: keep_between" in text and "min: 10" in text and "max: 12" in text
    assert "owner: [ann, bo]" in text
    assert "# due: 2026-11-30 was a day of 2026-Q4; give one inside 2027-Q1" in text


def test_the_schema_knows_the_new_keys(okr):
    doc = json.loads(okr("schema").stdout)
    plan = doc["plan"]["$defs"]
    kr, objective = plan["KeyResult"]["properties"], plan["Objective"]["properties"]
    for key in ("min", "max", "due", "ambition", "dropped", "was", "owner"):
        assert key in kr, key
    for key in ("ambition", "dropped", "was", "owner", "aligns_to"):
        assert key in objective, key
    assert "rollup" in json.dumps(kr["type"]) and "keep_between" in json.dumps(kr["type"])
    kpi = doc["kpi"]["$defs"]["KPI"]
    assert set(kpi["required"]) == {"id", "title"}  # no cadence or direction needed
    assert "within" in json.dumps(kpi["properties"]["direction"])
    assert "health" in doc["journal"]["$defs"]["CheckinRecord"]["properties"]
    settings = doc["settings"]["$defs"]
    assert "fiscal_year_named_by" in doc["settings"]["properties"]
    assert "timezone" in doc["settings"]["properties"]
    assert "aspirational" in settings["PaceSettings"]["properties"]
