"""``okr scorecard`` through the real CLI, on a small organisation worked out by hand.

2026-Q4 runs 2026-10-01 … 2026-12-31 (92 days).  As of 2026-11-15 it is at day 46, so
elapsed = expected = 46 / 92 = 0.5; with the default pace a KR or objective is on track
from 0.35, at risk from 0.20 and off track below.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from helpers import AS_OF, EXAMPLE, write_tree

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"

COMPANY = """\
team: company
objectives:
  - id: grow
    title: Grow revenue
    owner: dana
    key_results:
      - {id: revenue, title: Revenue, start: 100, target: 200, unit: k$, weight: 3}
      - {id: launch, title: Launch the app, type: milestone, owner: gus}
  - id: rollup
    title: Be a great platform
    owner: dana
"""

PLATFORM = """\
team: platform
objectives:
  - id: fast
    title: Be fast
    owner: alice
    aligns_to: rollup
    key_results:
      - {id: latency, title: Cut latency, type: decrease, start: 800, target: 400, unit: ms,
         owner: bob}
      - {id: uptime, title: Hold uptime, kpi: api-uptime, type: keep_above, target: 99.9}
  - id: cheap
    title: Be cheap
    owner: alice
    aligns_to: rollup
    key_results:
      - {id: spot, title: Spot share, start: 10, target: 50, unit: "%"}
      - {id: more-signups, title: More sign-ups, kpi: signups, type: increase, target: 1400}
      - {id: happier, title: Happier users, kpi: nps, type: increase, target: 50}
"""

KPIS = """\
kpis:
  - {id: api-uptime, title: API uptime, owner: platform, unit: "%", direction: up,
     cadence: weekly, target: 99.9, red: 99.5}
  - {id: signups, title: Weekly sign-ups, owner: company, direction: up, cadence: weekly,
     target: 1200}
  - {id: nps, title: NPS, owner: company, direction: up, cadence: quarterly, target: 40,
     red: 20}
  - {id: churn, title: Churn, owner: company, unit: "%", direction: down, cadence: monthly,
     target: 2, red: 3}
  - {id: mrr, title: MRR, owner: company, unit: k$, direction: up, cadence: monthly}
"""

CHECKINS = {
    "2026-08": ['{at: "2026-08-01T09:00:00+00:00", id: churn, value: 2.0}'],
    "2026-09": [
        '{at: "2026-09-01T09:00:00+00:00", id: churn, value: 2.5}',
        '{at: "2026-09-01T09:00:00+00:00", id: mrr, value: 80}',
        '{at: "2026-09-20T08:00:00+00:00", id: api-uptime, value: 99.95}',
    ],
    "2026-10": [
        # a date alone on the period's first day: 00:00 UTC
        '{at: "2026-10-01", id: revenue, value: 120, confidence: 0.5}',
        '{at: "2026-10-01T09:00:00+00:00", id: churn, value: 3.5}',
        '{at: "2026-10-01T08:00:00+00:00", id: api-uptime, value: 99.92}',
        '{at: "2026-10-05T09:00:00+00:00", id: signups, value: 1000}',
    ],
    "2026-11": [
        # the same instant twice: the later line wins
        '{at: "2026-11-01T12:00:00+00:00", id: latency, value: 700, confidence: 0.4}',
        '{at: "2026-11-01T13:00:00+01:00", id: latency, value: 600, confidence: 0.8}',
        '{at: "2026-11-08T08:00:00+00:00", id: api-uptime, value: 99.8}',
        '{at: "2026-11-10T09:00:00+00:00", id: signups, value: 1100}',
        # the last second of the as-of day counts
        '{at: "2026-11-15T23:59:59+00:00", id: revenue, value: 140, confidence: 0.6}',
        # 2026-11-15T22:30 UTC: counts as of 2026-11-15; beyond the target
        '{at: "2026-11-16T00:30:00+02:00", id: spot, value: 60, by: carol}',
        # the first instant after the as-of day: does not count
        '{at: "2026-11-16T00:00:00+00:00", id: latency, value: 500}',
    ],
    "2026-12": [
        '{at: "2026-12-20T08:00:00+00:00", id: api-uptime, value: 99.95}',
        # a date alone on the period's last day
        '{at: "2026-12-31", id: launch, value: true}',
    ],
}


def files() -> dict[str, str]:
    tree = {
        "okrs/2026-Q4/company.yaml": COMPANY,
        "okrs/2026-Q4/platform.yaml": PLATFORM,
        "kpis/all.yaml": KPIS,
    }
    for month, lines in CHECKINS.items():
        tree[f"checkins/{month}.yaml"] = "".join(f"- {line}\n" for line in lines)
    return tree


@pytest.fixture
def org(make_workspace) -> Path:
    return make_workspace(files())


def scorecard(okr, root: Path, *args: str):
    return okr("scorecard", "--root", str(root), *args)


def as_json(okr, root: Path, *args: str) -> dict:
    result = scorecard(okr, root, "--format", "json", *args)
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def kr(id_, title, type_, owner, unit, start, target, current, progress, attainment, status,
       confidence, updated, kpi, weight, expected=0.5):  # fmt: skip
    return {
        "id": id_, "title": title, "type": type_, "owner": owner, "unit": unit,
        "start": start, "target": target, "current": current, "progress": progress,
        "attainment": attainment, "expected": expected, "status": status,
        "confidence": confidence, "updated": updated, "kpi": kpi, "weight": weight,
        "dropped": False, "note": None,
    }  # fmt: skip


# Every field as of 2026-11-15, worked out by hand.
EXPECTED_KRS = {
    # (140 - 100) / (200 - 100) = 0.4 >= 0.35: on track; latest confidence 0.6
    "revenue": kr("revenue", "Revenue", "increase", "dana", "k$", 100, 200, 140, 0.4, 0.4,
                  "on_track", 0.6, "2026-11-15T23:59:59+00:00", None, 3),
    # the date-only check-in of 2026-12-31 does not count yet: never measured, no data
    "launch": kr("launch", "Launch the app", "milestone", "gus", None, None, None, None, None,
                 None, "no_data", None, None, None, 1),
    # tie at 12:00 UTC: the later line (600, confidence 0.8) wins; 500 on 11-16 is too late;
    # (600 - 800) / (400 - 800) = 0.5
    "latency": kr("latency", "Cut latency", "decrease", "bob", "ms", 800, 400, 600, 0.5, 0.5,
                  "on_track", 0.8, "2026-11-01T12:00:00+00:00", None, 1),
    # latest api-uptime inside the period: 99.8 < 99.9; the unit comes from the KPI
    "uptime": kr("uptime", "Hold uptime", "keep_above", "alice", "%", None, 99.9, 99.8, 0.0,
                 0.0, "off_track", None, "2026-11-08T08:00:00+00:00", "api-uptime", 1),
    # (60 - 10) / (50 - 10) = 1.25: progress clamped to 1, done
    "spot": kr("spot", "Spot share", "increase", "alice", "%", 10, 50, 60, 1.0, 1.25, "done",
               None, "2026-11-15T22:30:00+00:00", None, 1),
    # no sign-ups value before the period: start = first inside (1000); (1100-1000)/400
    "more-signups": kr("more-signups", "More sign-ups", "increase", "alice", None, 1000, 1400,
                       1100, 0.25, 0.25, "at_risk", None, "2026-11-10T09:00:00+00:00",
                       "signups", 1),
    # nps has no value at all: no data
    "happier": kr("happier", "Happier users", "increase", "alice", None, None, 50, None, None,
                  None, "no_data", None, None, "nps", 1),
}  # fmt: skip


def expected_scorecard() -> dict:
    """Every field as of 2026-11-15, with the fields every objective, KR and KPI of this
    org has at their defaults (one owner each, committed, no due day, no band)."""
    doc = _expected_scorecard()
    for o in doc["objectives"]:
        o.update(owners=[o["owner"]] if o["owner"] else [], ambition="committed")
        for k in o["key_results"]:
            k.update(owners=[k["owner"]] if k["owner"] else [], ambition="committed", due=None,
                     min=None, max=None, aligned=[])  # fmt: skip
    for kpi in doc["kpis"]:
        kpi.update(status_source="computed", status_note=None, min=None, max=None,
                   tolerance=None)  # fmt: skip
    return doc


def _expected_scorecard() -> dict:
    k = {name: dict(kr) for name, kr in EXPECTED_KRS.items()}
    return {
        "org": "Test Org",
        "period": "2026-Q4",
        "first_day": "2026-10-01",
        "last_day": "2026-12-31",
        "as_of": "2026-11-15",
        "elapsed": 0.5,  # 46 / 92
        "team": None,
        "filter": None,  # --owner and --status, in words, when given
        "objectives": [
            {
                "id": "grow", "title": "Grow revenue", "team": "company", "owner": "dana",
                "aligns_to": None,
                # 'launch' has no data and is left out: 0.4 * 3 / 3 = 0.4 >= 0.35
                "progress": 0.4,
                "expected": 0.5, "status": "on_track",
                "key_results": [k["revenue"], k["launch"]], "rolled_up_from": [], "dropped": False,
            },
            {
                "id": "rollup", "title": "Be a great platform", "team": "company",
                "owner": "dana", "aligns_to": None,
                "progress": 0.4375,  # mean of fast (0.25) and cheap (0.625)
                "expected": 0.5, "status": "on_track",
                "key_results": [], "rolled_up_from": ["fast", "cheap"], "dropped": False,
            },
            {
                "id": "fast", "title": "Be fast", "team": "platform", "owner": "alice",
                "aligns_to": "rollup",
                "progress": 0.25,  # (0.5 + 0) / 2
                "expected": 0.5, "status": "at_risk",
                "key_results": [k["latency"], k["uptime"]], "rolled_up_from": [], "dropped": False,
            },
            {
                "id": "cheap", "title": "Be cheap", "team": "platform", "owner": "alice",
                "aligns_to": "rollup",
                "progress": 0.625,  # (1 + 0.25) / 2, 'happier' has no data and is left out
                "expected": 0.5, "status": "on_track",
                "key_results": [k["spot"], k["more-signups"], k["happier"]],
                "rolled_up_from": [], "dropped": False,
            },
        ],
        "kpis": [
            {
                "id": "api-uptime", "title": "API uptime", "owner": "platform", "unit": "%",
                "direction": "up", "cadence": "weekly", "value": 99.8, "target": 99.9,
                "red": 99.5, "status": "yellow",  # between red and target
                "stale": False,  # 7 days old
                "updated": "2026-11-08T08:00:00+00:00", "trend": [99.95, 99.92, 99.8],
                "addressed": True, "declining": True, "needs_attention": False,
            },
            {
                "id": "signups", "title": "Weekly sign-ups", "owner": "company", "unit": None,
                "direction": "up", "cadence": "weekly", "value": 1100, "target": 1200,
                "red": None, "status": "red",  # worse than target and no red set
                "stale": False, "updated": "2026-11-10T09:00:00+00:00", "trend": [1000, 1100],
                "addressed": True, "declining": False, "needs_attention": False,
            },
            {
                "id": "nps", "title": "NPS", "owner": "company", "unit": None,
                "direction": "up", "cadence": "quarterly", "value": None, "target": 40,
                "red": 20, "status": "no_data", "stale": False, "updated": None, "trend": [],
                "addressed": True, "declining": False, "needs_attention": False,
            },
            {
                "id": "churn", "title": "Churn", "owner": "company", "unit": "%",
                "direction": "down", "cadence": "monthly", "value": 3.5, "target": 2,
                "red": 3, "status": "red",
                "stale": False,  # exactly 45 days = 1.5 months: not yet stale
                "updated": "2026-10-01T09:00:00+00:00", "trend": [2, 2.5, 3.5],
                "addressed": False, "declining": True, "needs_attention": True,
            },
            {
                "id": "mrr", "title": "MRR", "owner": "company", "unit": "k$",
                "direction": "up", "cadence": "monthly", "value": 80, "target": None,
                "red": None, "status": None,
                "stale": True,  # 75 days old
                "updated": "2026-09-01T09:00:00+00:00", "trend": [80],
                "addressed": False, "declining": False, "needs_attention": False,
            },
        ],
    }  # fmt: skip


class TestJson:
    def test_every_field(self, okr, org):
        result = scorecard(okr, org, "--format", "json", "--as-of", "2026-11-15")
        assert result.exit_code == 0, result
        assert result.stderr == ""
        assert json.loads(result.stdout) == expected_scorecard()

    def test_numbers_are_json_numbers_and_absent_values_null(self, okr, org):
        text = scorecard(okr, org, "-f", "json", "--as-of", "2026-11-15").stdout
        assert '"elapsed": 0.5,' in text
        assert '"start": 800,' in text  # a whole number is written as an integer
        assert '"progress": null' in text
        assert "NaN" not in text and "Infinity" not in text

    def test_team_includes_sub_teams(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-11-15", "--team", "company")
        assert [o["id"] for o in data["objectives"]] == ["grow", "rollup", "fast", "cheap"]
        assert data["team"] == "company"

    def test_team_filters_objectives_and_kpis(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-11-15", "--team", "platform")
        assert [o["id"] for o in data["objectives"]] == ["fast", "cheap"]
        assert [k["id"] for k in data["kpis"]] == ["api-uptime"]
        # the numbers do not depend on the filter
        assert data["objectives"][0] == expected_scorecard()["objectives"][2]

    def test_on_the_last_day(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-12-31", "--period", "2026-Q4")
        assert data["elapsed"] == 1.0
        krs = {k["id"]: k for o in data["objectives"] for k in o["key_results"]}
        # the date-only check-in of the last day counts: the milestone is done
        assert (krs["launch"]["current"], krs["launch"]["status"]) == (1, "done")
        assert krs["launch"]["updated"] == "2026-12-31T00:00:00+00:00"
        # api-uptime holds (99.95 >= 99.9) on the period's last day: done
        assert (krs["uptime"]["current"], krs["uptime"]["status"]) == (99.95, "done")
        # the 2026-11-16 latency check-in now counts: (500 - 800) / (400 - 800) = 0.75
        assert (krs["latency"]["current"], krs["latency"]["progress"]) == (500, 0.75)
        # 0.75 < 1 - 0.15 = 0.85 but >= 0.70: at risk at the end
        assert krs["latency"]["status"] == "at_risk"

    def test_the_day_before_the_last_a_kept_kr_is_only_on_track(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-12-30")
        krs = {k["id"]: k for o in data["objectives"] for k in o["key_results"]}
        assert krs["uptime"]["status"] == "on_track"
        assert krs["launch"]["status"] == "no_data"  # its only check-in is of 2026-12-31
        assert data["elapsed"] == round(91 / 92, 4)

    def test_before_the_period_starts(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-09-25", "--period", "2026-Q4")
        assert data["elapsed"] == 0.0
        krs = {k["id"]: k for o in data["objectives"] for k in o["key_results"]}
        # nothing counted yet: no data (not the start), whatever the type
        assert (krs["revenue"]["current"], krs["revenue"]["progress"]) == (None, None)
        assert krs["revenue"]["status"] == "no_data"
        assert (krs["launch"]["current"], krs["launch"]["status"]) == (None, "no_data")
        # no api-uptime value inside the period yet: no data
        assert (krs["uptime"]["current"], krs["uptime"]["status"]) == (None, "no_data")
        assert krs["more-signups"]["status"] == "no_data"
        kpis = {k["id"]: k for k in data["kpis"]}
        assert kpis["api-uptime"]["value"] == 99.95
        assert kpis["churn"]["trend"] == [2, 2.5]

    def test_after_the_period_ends_falls_back_to_the_last_planned_period(self, okr, org):
        result = scorecard(okr, org, "-f", "json", "--as-of", "2027-01-10")
        assert result.exit_code == 0, result
        data = json.loads(result.stdout)
        assert data["period"] == "2026-Q4"
        assert data["elapsed"] == 1.0
        assert "no plans for 2027-Q1" in result.stderr
        assert "2026-Q4" in result.stderr

    def test_default_period_is_the_quarter_of_the_as_of_date(self, okr, org):
        result = scorecard(okr, org, "-f", "json", "--as-of", "2026-11-15")
        assert json.loads(result.stdout)["period"] == "2026-Q4"
        assert result.stderr == ""

    def test_explicit_period_without_plans_is_empty_not_an_error(self, okr, org):
        data = as_json(okr, org, "--as-of", "2026-11-15", "--period", "2025-Q1")
        assert data["objectives"] == []
        assert data["elapsed"] == 1.0
        # no KR of 2025-Q1 is linked, so every red or declining KPI needs attention:
        # api-uptime fell three times running, signups is red, churn is both
        attention = [k["id"] for k in data["kpis"] if k["needs_attention"]]
        assert attention == ["api-uptime", "signups", "churn"]
        assert not any(k["addressed"] for k in data["kpis"])

    def test_spec_example_p99_latency(self, okr):
        data = as_json(okr, EXAMPLE, "--as-of", AS_OF, "--team", "platform")
        assert data["elapsed"] == 0.5761  # 53 / 92
        p99 = data["objectives"][0]["key_results"][0]
        assert p99["id"] == "p99-latency"
        # 850 -> 620 toward 300: 230 / 550 = 0.41818; 0.418 < 0.5761 - 0.15: at risk
        assert (p99["start"], p99["current"], p99["target"]) == (850, 620, 300)
        assert (p99["progress"], p99["attainment"], p99["status"]) == (0.4182, 0.4182, "at_risk")
        assert (p99["confidence"], p99["updated"]) == (0.7, "2026-11-20T10:31:00+00:00")


class TestErrors:
    def test_unknown_team(self, okr, org):
        result = scorecard(okr, org, "--team", "nope")
        assert result.exit_code == 2
        assert "no team 'nope'" in result.stderr
        assert result.stdout == ""

    @pytest.mark.parametrize("period", ["2026-Q5", "Q4", "26-Q1", "2026Q4"])
    def test_bad_period(self, okr, org, period):
        result = scorecard(okr, org, "--period", period)
        assert result.exit_code == 2
        assert f"not '{period}'" in result.stderr
        assert "Traceback" not in result.stderr

    @pytest.mark.parametrize("day", ["2026-13-01", "yesterdays", "2026/11/15"])
    def test_bad_as_of(self, okr, org, day):
        result = scorecard(okr, org, "--as-of", day)
        assert result.exit_code == 2
        assert "--as-of takes a date" in result.stderr

    def test_bad_format(self, okr, org):
        result = scorecard(okr, org, "--format", "xml")
        assert result.exit_code == 2

    @pytest.mark.parametrize("fmt", ["table", "json", "markdown", "csv"])
    def test_invalid_files_exit_1_with_what_they_do_not_touch(self, okr, make_workspace, fmt):
        broken = files()
        # a decrease KR whose target is above its start, and a bad check-in value
        broken["okrs/2026-Q4/platform.yaml"] = PLATFORM.replace("target: 400", "target: 900")
        broken["checkins/2026-11.yaml"] += '- {at: "2026-11-02", id: revenue, value: lots}\n'
        root = make_workspace(broken)
        result = okr("scorecard", "--root", str(root), "--as-of", "2026-11-15", "-f", fmt)
        assert result.exit_code == 1
        assert "platform.yaml" in result.stderr
        assert "2026-11.yaml" in result.stderr
        assert "okr: 2 errors in the goal files (listed above): the figures leave out" in (
            result.stderr
        )
        assert "Traceback" not in result.stderr
        # everything else is printed; the broken KR has no figure
        assert "revenue" in result.stdout and "spot" in result.stdout
        if fmt == "json":
            doc = json.loads(result.stdout)
            krs = {k["id"]: k for o in doc["objectives"] for k in o["key_results"]}
            assert krs["revenue"]["current"] == 140  # the bad record is left out
            assert (krs["latency"]["progress"], krs["latency"]["status"]) == (None, "no_data")

    def test_no_workspace(self, okr, tmp_path):
        result = okr("scorecard", "--root", str(tmp_path / "nowhere"))
        assert result.exit_code == 2


class TestCsv:
    def test_one_row_per_kr_and_kpi(self, okr, org):
        result = scorecard(okr, org, "-f", "csv", "--as-of", "2026-11-15")
        assert result.exit_code == 0, result
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["kind"], r["id"]) for r in rows] == [
            ("kr", "revenue"),
            ("kr", "launch"),
            ("kr", "latency"),
            ("kr", "uptime"),
            ("kr", "spot"),
            ("kr", "more-signups"),
            ("kr", "happier"),
            ("kpi", "api-uptime"),
            ("kpi", "signups"),
            ("kpi", "nps"),
            ("kpi", "churn"),
            ("kpi", "mrr"),
        ]
        latency = rows[2]
        assert latency["team"] == "platform" and latency["objective"] == "fast"
        assert (latency["start"], latency["current"], latency["target"]) == ("800", "600", "400")
        assert (latency["progress"], latency["status"], latency["confidence"]) == (
            "0.5",
            "on_track",
            "0.8",
        )
        spot = rows[4]
        assert (spot["progress"], spot["attainment"]) == ("1.0", "1.25")
        churn = rows[10]
        assert (churn["current"], churn["target"], churn["red"]) == ("3.5", "2", "3")
        assert churn["trend"] == "2 2.5 3.5"
        assert (churn["addressed"], churn["needs_attention"]) == ("false", "true")
        assert rows[6]["progress"] == ""  # no data: an empty cell


# --- golden output ---------------------------------------------------------------------------


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/<name>; OKR_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("OKR_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with OKR_UPDATE_SNAPSHOTS=1 to write it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_snapshot_of_the_test_org(okr, org, fmt):
    result = scorecard(okr, org, "-f", fmt, "--as-of", "2026-11-15")
    assert result.exit_code == 0, result
    ext = {"table": "txt", "markdown": "md", "csv": "csv"}[fmt]
    check_snapshot(f"scorecard-org.{ext}", result.stdout)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_snapshot_of_the_example(okr, fmt):
    result = scorecard(okr, EXAMPLE, "-f", fmt, "--as-of", AS_OF)
    assert result.exit_code == 0, result
    check_snapshot(f"scorecard-acme.{'txt' if fmt == 'table' else 'md'}", result.stdout)


def test_table_words_carry_the_meaning(okr, org):
    out = scorecard(okr, org, "--as-of", "2026-11-15").stdout
    assert "\x1b[" not in out  # NO_COLOR: no escape codes
    lines = out.splitlines()
    detail = {lines[i - 1].split()[0]: lines[i] for i in range(1, len(lines)) if lines[i - 1]}
    assert "800 → 600 → 400 ms" in detail["latency"] and "on track" in detail["latency"]
    assert "conf 0.8" in detail["latency"] and "2026-11-01" in detail["latency"]
    assert "10 → 60 → 50%" in detail["spot"] and "125%" in detail["spot"]
    assert "done" in detail["spot"]
    assert "no data" in detail["happier"]
    assert "99.8% (keep ≥99.9%)" in detail["uptime"] and "off track" in detail["uptime"]
    assert "day 46 of 92 (50% elapsed)" in out
    at = next(i for i, line in enumerate(lines) if line.startswith("! churn · Churn"))
    assert "red" in lines[at + 1] and "45d ago" in lines[at + 1]  # figures below the name
    at = next(i for i, line in enumerate(lines) if line.startswith("  mrr · MRR"))
    assert "stale" in lines[at + 1]


@pytest.mark.parametrize(
    "args",
    [
        ("--root", str(EXAMPLE), "--as-of", AS_OF),
        ("--root", str(EXAMPLE), "--as-of", AS_OF, "--period", "2026"),
        ("--root", str(EXAMPLE), "--as-of", AS_OF, "--period", "2026-Q3"),
    ],
)
def test_every_table_line_fits_in_80_columns(okr, args):
    result = okr("scorecard", *args)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert len(lines) > 20
    too_long = [line for line in lines if len(line) > 80]
    assert too_long == []


def test_org_table_fits_in_80_columns(okr, org):
    out = scorecard(okr, org, "--as-of", "2026-11-15").stdout
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("--as-of", AS_OF), "$ okr scorecard --as-of 2026-11-22\n"),
        (
            ("--as-of", AS_OF, "--team", "platform", "--format", "markdown"),
            "$ okr scorecard --as-of 2026-11-22 --team platform --format markdown\n",
        ),
        (
            ("--as-of", AS_OF, "--team", "support", "--format", "json"),
            "$ okr scorecard --as-of 2026-11-22 --team support --format json\n",
        ),
        (
            ("--as-of", AS_OF, "--team", "support", "--format", "csv"),
            "$ okr scorecard --as-of 2026-11-22 --team support --format csv\n",
        ),
    ],
)
def test_docs_transcripts_are_current(okr, args, shown):
    docs = (EXAMPLE.parent.parent / "docs" / "scorecard.md").read_text(encoding="utf-8")
    result = okr("scorecard", "--root", str(EXAMPLE), *args)
    assert result.exit_code == 0, result
    output = result.stdout
    if "json" in args:  # the transcript was taken on a terminal, where JSON is indented
        assert "\n" not in output.rstrip("\n")  # piped: one line
        output = json.dumps(json.loads(output), indent=2, ensure_ascii=False) + "\n"
    assert shown + output in docs


def test_narrow_terminal_keeps_values_whole(okr):
    result = okr(
        "scorecard", "--root", str(EXAMPLE), "--as-of", AS_OF, "--team", "support",
        env={"COLUMNS": "60"},
    )  # fmt: skip
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    # the values stay whole; confidence and date move to a line of their own
    assert any(line.strip().startswith("6.2 → 8.4 → 4 h") for line in lines)
    assert "      conf 0.6 · updated 2026-11-21" in lines
    # the KPI id stays whole, with its title shortened; columns given up are named
    assert any(line.startswith("  first-response-hours · Median") for line in lines)
    assert any("8.4 h" in line and "≤4 h" in line for line in lines)
    assert any(line.startswith("not shown for lack of width:") for line in lines)


def test_wide_terminal_stays_at_most_100_columns(okr):
    result = okr("scorecard", "--root", str(EXAMPLE), "--as-of", AS_OF, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result
    assert max(len(line) for line in result.stdout.splitlines()) == 100


LONG_UNITS = """\
kpis:
  - id: revenue-per-enterprise-customer
    title: Average revenue per enterprise customer in the reporting currency
    owner: company
    unit: thousand euro per customer per month
    direction: up
    cadence: monthly
    target: 1200
"""


@pytest.mark.parametrize("width", [60, 72, 80, 100, 140])
def test_the_kpi_table_fits_any_terminal_and_never_loses_an_id(okr, org, width):
    write_tree(org, {"kpis/long.yaml": LONG_UNITS})
    okr("--root", str(org), "checkin", "revenue-per-enterprise-customer", "1100", "--at",
        "2026-11-10")  # fmt: skip
    result = okr(
        "--root", str(org), "scorecard", "--as-of", "2026-11-15", env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result
    table = result.stdout[result.stdout.index("── KPIs") :]
    widest = max(len(line) for line in table.splitlines())
    assert widest <= max(width, 60), (width, widest)
    for kpi in ("api-uptime", "signups", "nps", "churn", "mrr", "revenue-per-enterprise-customer"):
        assert f" {kpi} · " in table, kpi
    assert "Average revenue" in table  # the title, shortened if need be
    header = table.splitlines()[1]
    for column in ("last value", "trend", "addressed"):  # shown, or named as not shown
        assert column in header or column in table[table.index("not shown") :], column
    if width >= 100:
        assert "not shown" not in table


def test_stale_legend_only_when_something_is_stale(okr, org):
    stale = scorecard(okr, org, "--as-of", "2026-11-15").stdout
    assert "stale: no value for over 1.5" in stale
    fresh = scorecard(okr, org, "--as-of", "2026-11-15", "--team", "platform").stdout
    assert "stale: no value" not in fresh and "api-uptime" in fresh


def test_owner_and_status_filters_keep_objectives_as_context(okr, org):
    result = scorecard(okr, org, "--as-of", "2026-11-15", "-f", "json", "--status", "no_data")
    doc = json.loads(result.stdout)
    assert doc["filter"] == "status no_data"
    krs = [k["id"] for o in doc["objectives"] for k in o["key_results"]]
    # a milestone never checked in (launch) has no data, like a KR linked to an empty KPI
    assert krs == ["launch", "happier"] and all(k["status"] == "no_data" for o in doc["objectives"]
                                      for k in o["key_results"])  # fmt: skip
    assert [k["id"] for k in doc["kpis"]] == ["nps"]
    bad = scorecard(okr, org, "--status", "late")
    assert bad.exit_code == 2 and "'late' is no status" in bad.stderr
    nobody = scorecard(okr, org, "--owner", "zed")
    assert nobody.exit_code == 2 and "nobody called 'zed' owns a goal" in nobody.stderr
