"""Every diagnostic code, caught at its exact file, line and column (through the CLI)."""

from __future__ import annotations

import json

import pytest
from helpers import SETTINGS

from okrcli.diagnostics import CODES

PLAN_OK = """\
team: platform
objectives:
  - id: reliable
    title: Reliable
    aligns_to: trust
    key_results:
      - id: p99
        title: Cut p99
        start: 850
        target: 300
"""
COMPANY = """\
team: company
objectives:
  - id: trust
    title: Trust
    key_results:
      - id: logos
        title: Logos
        start: 1
        target: 5
"""
KPIS = """\
kpis:
  - id: uptime
    title: Uptime
    direction: up
    cadence: weekly
    target: 99.9
    red: 99.5
"""

BASE = {
    "okrs/2026-Q4/company.yaml": COMPANY,
    "okrs/2026-Q4/platform.yaml": PLAN_OK,
    "kpis/platform.yaml": KPIS,
}

# (name, files to add or replace, expected code, file, line, column)
CASES = [
    ("yaml syntax", {"kpis/x.yaml": "kpis: [\n"}, "yaml-syntax", "kpis/x.yaml", 2, 1),
    (
        "duplicate key",
        {"kpis/x.yaml": "kpis:\n  - id: a\n    title: A\n    id: b\n"},
        "yaml-duplicate-key",
        "kpis/x.yaml",
        4,
        5,
    ),
    ("complex key", {"kpis/x.yaml": "? [a, b]\n: 1\n"}, "yaml-key", "kpis/x.yaml", 1, 3),
    (
        "python tag",
        {"kpis/x.yaml": "kpis: !!python/object/apply:os.system ['true']\n"},
        "yaml-tag",
        "kpis/x.yaml",
        1,
        7,
    ),
    (
        "too deep",
        {"kpis/x.yaml": "kpis: " + "[" * 100 + "]" * 100},
        "yaml-too-deep",
        "kpis/x.yaml",
        1,
        70,
    ),
    ("self alias", {"kpis/x.yaml": "kpis: &a [*a]\n"}, "yaml-alias", "kpis/x.yaml", 1, 11),
    (
        "not utf-8",
        {"kpis/x.yaml": "kpis:\n  - id: caf\udce9\n"},
        "file-encoding",
        "kpis/x.yaml",
        2,
        12,
    ),
    (
        "missing key",
        {"kpis/x.yaml": "kpis:\n  - id: a\n    direction: up\n"},
        "missing-key",
        "kpis/x.yaml",
        2,
        5,
    ),
    (
        "unknown key",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: up2\n    tagret: 5")},
        "unknown-key",
        "kpis/x.yaml",
        3,
        5,
    ),
    (
        "wrong type",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: up2").replace("99.9", '"99.9"')},
        "wrong-type",
        "kpis/x.yaml",
        6,
        13,
    ),
    (
        "number as id",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: 42")},
        "wrong-type",
        "kpis/x.yaml",
        2,
        9,
    ),
    (
        "invalid id",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: Up Time")},
        "invalid-id",
        "kpis/x.yaml",
        2,
        9,
    ),
    (
        "invalid value",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: up2").replace("weekly", "hourly")},
        "invalid-value",
        "kpis/x.yaml",
        5,
        14,
    ),
    (
        "out of range weight",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "target: 300", "target: 300\n        weight: 0"
            )
        },
        "out-of-range",
        "okrs/2026-Q4/platform.yaml",
        11,
        17,
    ),
    (
        "nan",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: up2").replace("99.9", ".nan")},
        "non-finite",
        "kpis/x.yaml",
        6,
        13,
    ),
    (
        "overflow",
        {"kpis/x.yaml": KPIS.replace("id: uptime", "id: up2").replace("99.9", "1.0e999")},
        "non-finite",
        "kpis/x.yaml",
        6,
        13,
    ),
    (
        "plan outside a period folder",
        {"okrs/platform.yaml": "team: platform\n"},
        "invalid-period",
        "okrs/platform.yaml",
        1,
        1,
    ),
    (
        "bad timestamp",
        {"checkins/2026-11.yaml": '- {at: "20 Nov", id: uptime, value: 99.9}\n'},
        "invalid-timestamp",
        "checkins/2026-11.yaml",
        1,
        8,
    ),
    (
        "duplicate objective id across teams",
        {"okrs/2026-Q4/company.yaml": COMPANY.replace("id: logos", "id: p99")},
        "duplicate-id",
        "okrs/2026-Q4/platform.yaml",
        7,
        13,
    ),
    (
        "duplicate kpi id",
        {"kpis/y.yaml": KPIS},
        "duplicate-id",
        "kpis/y.yaml",
        2,
        9,
    ),
    (
        "two plans for one team",
        {"okrs/2026-Q4/platform2.yaml": "team: platform\nobjectives: []\n"},
        "duplicate-plan",
        "okrs/2026-Q4/platform2.yaml",
        1,
        7,
    ),
    (
        "kr id equals kpi id",
        {"okrs/2026-Q4/platform.yaml": PLAN_OK.replace("id: p99", "id: uptime")},
        "id-clash",
        "okrs/2026-Q4/platform.yaml",
        7,
        13,
    ),
    (
        "unknown team",
        {"okrs/2026-Q4/platform.yaml": PLAN_OK.replace("team: platform", "team: platfrom")},
        "unknown-team",
        "okrs/2026-Q4/platform.yaml",
        1,
        7,
    ),
    (
        "unknown parent team",
        {"okr.yaml": SETTINGS.replace("parent: company", "parent: compny")},
        "unknown-team",
        "okr.yaml",
        5,
        38,
    ),
    (
        "unknown alignment",
        {"okrs/2026-Q4/platform.yaml": PLAN_OK.replace("aligns_to: trust", "aligns_to: trusst")},
        "unknown-objective",
        "okrs/2026-Q4/platform.yaml",
        5,
        16,
    ),
    (
        "unknown kpi",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "start: 850\n        target: 300",
                "kpi: uptme\n        type: keep_above\n        target: 99",
            )
        },
        "unknown-kpi",
        "okrs/2026-Q4/platform.yaml",
        9,
        14,
    ),
    (
        "team cycle",
        {
            "okr.yaml": SETTINGS.replace(
                "company: {name: Test Org}", "company: {name: Test Org, parent: platform}"
            )
        },
        "team-cycle",
        "okr.yaml",
        4,
        37,
    ),
    (
        "alignment cycle",
        {
            "okrs/2026-Q4/company.yaml": COMPANY.replace(
                "title: Trust", "title: Trust\n    aligns_to: reliable"
            )
        },
        "alignment-cycle",
        "okrs/2026-Q4/company.yaml",
        5,
        16,
    ),
    (
        "was names an id still in use",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "target: 300", "target: 300\n        was: logos"
            )
        },
        "rename",
        "okrs/2026-Q4/platform.yaml",
        11,
        14,
    ),
    (
        "period key disagrees",
        {"okrs/2026-Q4/platform.yaml": "period: 2026-Q3\n" + PLAN_OK},
        "period-mismatch",
        "okrs/2026-Q4/platform.yaml",
        1,
        9,
    ),
    (
        "increase with lower target",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "start: 850", "type: increase\n        start: 850"
            )
        },
        "kr-type",
        "okrs/2026-Q4/platform.yaml",
        9,
        15,
    ),
    (
        "kpi-linked kr without type",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "start: 850\n        target: 300", "kpi: uptime\n        target: 99.95"
            )
        },
        "kr-type",
        "okrs/2026-Q4/platform.yaml",
        7,
        9,
    ),
    (
        "red better than target",
        {"kpis/platform.yaml": KPIS.replace("red: 99.5", "red: 99.99")},
        "kpi-thresholds",
        "kpis/platform.yaml",
        7,
        10,
    ),
    (
        "kpi within without max",
        {
            "kpis/x.yaml": "kpis:\n  - id: lat\n    title: Latency\n    direction: within\n"
            "    min: 10\n"
        },
        "kpi-definition",
        "kpis/x.yaml",
        2,
        5,
    ),
    (
        "kr due outside its period",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "target: 300", "target: 300\n        due: 2027-01-15"
            )
        },
        "kr-due",
        "okrs/2026-Q4/platform.yaml",
        11,
        14,
    ),
    (
        "aspirational kr under a committed objective",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "target: 300", "target: 300\n        ambition: aspirational"
            )
        },
        "ambition",
        "okrs/2026-Q4/platform.yaml",
        11,
        19,
    ),
    (
        "pace out of order",
        {"okr.yaml": SETTINGS + "pace: {at_risk: 0.4, off_track: 0.2}\n"},
        "settings",
        "okr.yaml",
        6,
        17,
    ),
    (
        "unknown time zone",
        {"okr.yaml": SETTINGS + "timezone: Europe/Berln\n"},
        "unknown-timezone",
        "okr.yaml",
        6,
        11,
    ),
    (
        "check-in for unknown id",
        {"checkins/2026-11.yaml": '- {at: "2026-11-20", id: p98, value: 600}\n'},
        "checkin-unknown-id",
        "checkins/2026-11.yaml",
        1,
        26,
    ),
    (
        "check-in period without the kr",
        {"checkins/2026-11.yaml": '- {at: "2026-11-20", id: p99, period: 2026-Q3, value: 600}\n'},
        "checkin-period",
        "checkins/2026-11.yaml",
        1,
        39,
    ),
    (
        "check-in outside every period of the kr",
        {"checkins/2026-09.yaml": '- {at: "2026-09-20", id: p99, value: 600}\n'},
        "checkin-period",
        "checkins/2026-09.yaml",
        1,
        8,
    ),
    (
        "boolean for a numeric kr",
        {"checkins/2026-11.yaml": '- {at: "2026-11-20", id: p99, value: true}\n'},
        "checkin-value",
        "checkins/2026-11.yaml",
        1,
        38,
    ),
    (
        "check-in missing its value",
        {"checkins/2026-11.yaml": "- at: 2026-11-20\n  id: p99\n"},
        "missing-key",
        "checkins/2026-11.yaml",
        1,
        3,
    ),
    (
        "confidence above 1",
        {"checkins/2026-11.yaml": '- {at: "2026-11-20", id: p99, value: 600, confidence: 1.5}\n'},
        "out-of-range",
        "checkins/2026-11.yaml",
        1,
        55,
    ),
    # warnings
    (
        "too many objectives",
        {
            "okr.yaml": SETTINGS + "lint: {max_objectives: 1}\n",
            "okrs/2026-Q4/company.yaml": COMPANY
            + "  - id: second\n    title: Second\n    key_results:\n"
            "      - {id: s1, title: S1, type: milestone}\n",
        },
        "too-many-objectives",
        "okrs/2026-Q4/company.yaml",
        10,
        5,
    ),
    (
        "too many key results",
        {
            "okr.yaml": SETTINGS + "lint: {max_key_results: 1}\n",
            "okrs/2026-Q4/company.yaml": COMPANY + "      - {id: l2, title: L2, type: milestone}\n",
        },
        "too-many-key-results",
        "okrs/2026-Q4/company.yaml",
        10,
        9,
    ),
    (
        "objective without key results",
        {"okrs/2026-Q4/company.yaml": COMPANY + "  - id: empty\n    title: Empty\n"},
        "no-key-results",
        "okrs/2026-Q4/company.yaml",
        10,
        9,
    ),
    (
        "sub-team objective aligned to nothing",
        {"okrs/2026-Q4/platform.yaml": PLAN_OK.replace("    aligns_to: trust\n", "")},
        "unaligned-objective",
        "okrs/2026-Q4/platform.yaml",
        3,
        9,
    ),
    (
        "stale kpi",
        {"checkins/2026-10.yaml": '- {at: "2026-10-01", id: uptime, value: 99.95}\n'},
        "stale-kpi",
        "kpis/platform.yaml",
        2,
        9,
    ),
    (
        "check-in in the future",
        {"checkins/2026-12.yaml": '- {at: "2026-12-01", id: uptime, value: 99.95}\n'},
        "future-checkin",
        "checkins/2026-12.yaml",
        1,
        8,
    ),
    (
        "check-in on a kpi-linked kr",
        {
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "start: 850\n        target: 300",
                "kpi: uptime\n        type: keep_above\n        target: 99.95",
            ),
            "checkins/2026-11.yaml": '- {at: "2026-11-20", id: p99, value: 99.97}\n'
            '- {at: "2026-11-20", id: uptime, value: 99.97}\n',
        },
        "checkin-linked-kr",
        "checkins/2026-11.yaml",
        1,
        26,
    ),
    (
        "check-in dated before the period it names",
        {"checkins/2026-09.yaml": '- {at: "2026-09-20", id: p99, period: 2026-Q4, value: 600}\n'},
        "checkin-before-period",
        "checkins/2026-09.yaml",
        1,
        8,
    ),
    (
        "check-in in another month's file",
        {"checkins/2026-10.yaml": '- {at: "2026-11-20", id: uptime, value: 99.95}\n'},
        "checkin-file",
        "checkins/2026-10.yaml",
        1,
        8,
    ),
]


def _validate(okr, root, *extra):
    result = okr(
        "validate", "--root", str(root), "--as-of", "2026-11-22", "--format", "json", *extra
    )
    return result, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("files", "code", "path", "line", "column"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_diagnostic_at_exact_place(okr, make_workspace, files, code, path, line, column):
    tree = {**BASE, **files}
    root = make_workspace(
        {k: v for k, v in tree.items() if k != "okr.yaml"}, settings=tree.get("okr.yaml", SETTINGS)
    )
    result, doc = _validate(okr, root)
    found = [(d["code"], d["file"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert (code, path, line, column) in found, doc["diagnostics"]
    severity = CODES[code][0]
    assert result.exit_code == (1 if severity == "error" else 0)


def test_the_base_fixture_is_clean(okr, make_workspace):
    root = make_workspace(BASE)
    result, doc = _validate(okr, root)
    assert result.exit_code == 0
    assert doc == {"ok": True, "errors": 0, "warnings": 0, "diagnostics": []}


def test_every_code_has_a_test():
    tested = {case[2] for case in CASES}
    untested = set(CODES) - tested - {"file-too-large"}  # tested in test_yamlsource
    assert not untested, f"codes without a test: {sorted(untested)}"


def test_all_problems_are_reported_not_only_the_first(okr, make_workspace):
    root = make_workspace(
        {
            **BASE,
            "kpis/x.yaml": "kpis:\n  - id: a\n    title: A\n"
            "    direction: sideways\n    cadence: weekly\n",
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace("aligns_to: trust", "aligns_to: nope"),
            "checkins/2026-11.yaml": '- {at: "2026-11-20", id: ghost, value: 1}\n'
            '- {at: "2026-11-20", id: p99, value: "fast"}\n',
        }
    )
    result, doc = _validate(okr, root)
    codes = sorted(d["code"] for d in doc["diagnostics"])
    assert codes == ["checkin-unknown-id", "invalid-value", "unknown-objective", "wrong-type"]
    assert result.exit_code == 1


def test_one_bad_objective_does_not_hide_the_others(okr, make_workspace):
    plan = PLAN_OK + (
        "  - id: broken\n    title: 7\n    aligns_to: trust\n"
        "  - id: fine\n    title: Fine\n    aligns_to: nowhere\n"
        "    key_results:\n      - {id: f1, title: F1, type: milestone}\n"
    )
    root = make_workspace({**BASE, "okrs/2026-Q4/platform.yaml": plan})
    _, doc = _validate(okr, root)
    found = {(d["code"], d["line"]) for d in doc["diagnostics"]}
    assert ("wrong-type", 12) in found
    assert ("unknown-objective", 16) in found


def test_lint_ignore_silences_a_warning(okr, make_workspace):
    root = make_workspace(
        {**BASE, "okrs/2026-Q4/platform.yaml": PLAN_OK.replace("    aligns_to: trust\n", "")},
        settings=SETTINGS + "lint: {ignore: [unaligned-objective]}\n",
    )
    result, doc = _validate(okr, root)
    assert doc["diagnostics"] == []
    assert result.exit_code == 0


def test_lint_ignore_refuses_errors_and_unknown_codes(okr, make_workspace):
    root = make_workspace(BASE, settings=SETTINGS + "lint: {ignore: [duplicate-id, stale-kpis]}\n")
    _, doc = _validate(okr, root)
    messages = [d["message"] for d in doc["diagnostics"] if d["code"] == "settings"]
    assert len(messages) == 2
    assert "cannot be ignored" in messages[0]
    assert "did you mean 'stale-kpi'" in messages[1]


def test_milestone_check_in_out_of_range(okr, make_workspace):
    plan = PLAN_OK + "      - {id: ship, title: Ship, type: milestone}\n"
    root = make_workspace(
        {
            **BASE,
            "okrs/2026-Q4/platform.yaml": plan,
            "checkins/2026-11.yaml": '- {at: "2026-11-20", id: ship, value: 1.5}\n'
            '- {at: "2026-11-21", id: ship, value: true}\n',
        }
    )
    _, doc = _validate(okr, root)
    assert [(d["code"], d["line"]) for d in doc["diagnostics"]] == [("checkin-value", 1)]


def test_year_objectives_can_be_aligned_to_from_quarters(okr, make_workspace):
    year = COMPANY.replace("id: trust", "id: year-trust").replace("id: logos", "id: y-logos")
    root = make_workspace(
        {
            **BASE,
            "okrs/2026/company.yaml": year,
            "okrs/2026-Q4/platform.yaml": PLAN_OK.replace(
                "aligns_to: trust", "aligns_to: year-trust"
            ),
        }
    )
    _, doc = _validate(okr, root)
    assert doc["diagnostics"] == []


def test_fiscal_calendar_decides_which_period_a_check_in_belongs_to(okr, make_workspace):
    # with fiscal_year_start 2, 2026-Q4 is 2026-11-01 .. 2027-01-31
    root = make_workspace(
        {**BASE, "checkins/2027-01.yaml": '- {at: "2027-01-15", id: p99, value: 600}\n'},
        settings=SETTINGS.replace("version: 1", "version: 1\nfiscal_year_start: 2"),
    )
    result = okr("validate", "--root", str(root), "--as-of", "2027-01-20")
    assert result.exit_code == 0, result
    assert "checkin-period" not in result.stderr
