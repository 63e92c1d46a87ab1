"""Input as people type it: values with units, relative days, choices in any case; every
refusal says what to type instead."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

NOV = "checkins/2026-11.yaml"


def last_record(root: Path) -> dict:
    return json.loads((root / NOV).read_text(encoding="utf-8").splitlines()[-1][2:])


def utc_today():
    return datetime.now(timezone.utc).date()


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (["p99-latency", "580ms"], 580),
        (["p99-latency", "580 ms"], 580),
        (["p99-latency", "580", "ms"], 580),  # typed without quotes
        (["p99-latency", "1", "200"], 1200),
        (["p99-latency", "1,200ms"], 1200),
        (["spot-share", "70%"], 70),
        (["infra-cost", "-5k$"], -5),  # a negative value is not taken for an option
    ],
)
def test_values_with_units_and_digit_groups(okr, example, args, value):
    result = okr("--root", str(example), "checkin", *args, "-c", "70%", "--at", "2026-11-21")
    assert result.exit_code == 0, result
    record = last_record(example)
    assert (record["id"], record["value"], record["confidence"]) == (args[0], value, 0.7)


def test_a_unit_that_does_not_match_says_what_to_type(okr, example):
    before = (example / NOV).read_bytes()
    result = okr("--root", str(example), "checkin", "p99-latency", "0.58s", "--at", "2026-11-21")
    assert result.exit_code == 1
    assert result.stderr == "okr: error: write 580: p99-latency is measured in ms, not in s\n"
    assert (example / NOV).read_bytes() == before


def test_words_after_a_value_are_still_refused(okr, example):
    result = okr("--root", str(example), "checkin", "p99-latency", "5", "6")
    assert result.exit_code == 2
    assert "unexpected argument(s): 6; quote a value with spaces" in result.stderr


def test_an_unknown_option_suggests_the_nearest(okr, example):
    result = okr("--root", str(example), "checkin", "p99-latency", "5", "--confidance", "0.7")
    assert result.exit_code == 2
    assert "no such option: --confidance; did you mean '--confidence'?" in result.stderr


# --- days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "days_ago"), [("today", 0), ("yesterday", 1), ("-3d", 3), ("-1w", 7)]
)
def test_as_of_takes_relative_days(okr, example, word, days_ago):
    iso = (utc_today() - timedelta(days=days_ago)).isoformat()
    relative = okr("--root", str(example), "scorecard", "-f", "json", "--as-of", word)
    explicit = okr("--root", str(example), "scorecard", "-f", "json", "--as-of", iso)
    assert relative.exit_code == explicit.exit_code
    assert json.loads(relative.stdout)["as_of"] == iso
    assert relative.stdout == explicit.stdout


def test_monday_is_the_most_recent_monday(okr, example):
    today = utc_today()
    monday = today - timedelta(days=today.weekday())
    result = okr("--root", str(example), "scorecard", "-f", "json", "--as-of", "Monday")
    assert json.loads(result.stdout)["as_of"] == monday.isoformat()


def test_at_takes_a_relative_day_as_that_day_at_midnight(okr, example):
    result = okr("--root", str(example), "checkin", "p99-latency", "580", "--at", "yesterday")
    assert result.exit_code == 0, result
    yesterday = utc_today() - timedelta(days=1)
    record = json.loads(
        (example / f"checkins/{yesterday:%Y-%m}.yaml").read_text().splitlines()[-1][2:]
    )
    assert record["at"] == f"{yesterday.isoformat()}T00:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scorecard", "--as-of", "lastweek"], "--as-of takes a date like 2026-11-22 (or today,"),
        (["checkin", "p99-latency", "5", "--at", "tomorow"], "(or today, yesterday, monday, -3d)"),
    ],
)
def test_days_refused_say_what_to_write(okr, example, args, message):
    result = okr("--root", str(example), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_csv_file_takes_dates_only(okr, example, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("id,at,value\np99-latency,yesterday,580\n")
    result = okr("--root", str(example), "import", str(csv))
    assert result.exit_code == 1
    assert "column 'at' takes an ISO date or date-time like 2026-11-21" in result.stderr
    assert "yesterday, monday" not in result.stderr


# --- choices in any case, and the nearest name for an unknown one -------------------------------


def test_choices_and_periods_in_any_case(okr, example):
    upper = okr("--root", str(example), "scorecard", "-f", "JSON", "--period", "2026-q4")
    assert upper.exit_code == 0, upper
    assert json.loads(upper.stdout)["period"] == "2026-Q4"
    team = okr("--root", str(example), "scorecard", "--team", "Platform", "-f", "json")
    assert team.exit_code == 0, team
    assert {o["team"] for o in json.loads(team.stdout)["objectives"]} == {"platform"}
    close = okr("--root", str(example), "close", "2026-q3", "-f", "Markdown")
    assert close.exit_code == 0, close


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["scorecard", "-f", "jsn"],
            2,
            "okr: error: --format takes table, json, markdown or csv, not 'jsn'; "
            "did you mean 'json'?\n",
        ),
        (
            ["scorecard", "--team", "platfrom"],
            2,
            "okr: error: --team: no team 'platfrom' in okr.yaml; did you mean 'platform'? "
            "(teams: company, engineering, platform, growth, support)\n",
        ),
        (
            ["history", "p99-latenc"],
            1,
            "okr: error: no KR or KPI has the id 'p99-latenc'; did you mean 'p99-latency'?\n",
        ),
        (
            ["checkin", "p99-latenc", "5"],
            1,
            "okr: error: no KR or KPI has the id 'p99-latenc'; did you mean 'p99-latency'?\n",
        ),
        (
            ["close", "2026-Q2"],
            1,
            "okr: error: there are no objectives for 2026-Q2; did you mean '2026-Q4' or "
            "'2026-Q3' or '2026'? (periods with plans: 2026, 2026-Q3, 2026-Q4)\n",
        ),
        (
            ["--color", "alwys", "validate"],
            2,
            "okr: error: --color takes auto, always or never, not 'alwys'; "
            "did you mean 'always'?\n",
        ),
        (["schema", "plans"], 2, "KIND takes settings, plan, kpi or journal, not 'plans'; "),
    ],
)
def test_unknown_names_suggest_the_nearest(okr, example, args, code, message):
    result = okr("--root", str(example), *args)
    assert result.exit_code == code, result
    assert message in result.stderr
    assert result.stdout == ""


def test_a_period_without_plans_is_shown_with_the_nearest_planned_one(okr, example):
    result = okr("--root", str(example), "scorecard", "--period", "2027-Q3")
    assert result.exit_code == 0
    assert result.stderr == (
        "okr: nothing is planned for 2027-Q3; did you mean '2026-Q3' or '2026-Q4'? "
        "(periods with plans: 2026, 2026-Q3, 2026-Q4)\n"
    )


def test_unknown_commands_and_options_use_the_same_words(okr, example):
    command = okr("chekin")
    assert command.exit_code == 2
    assert "No such command 'chekin'; did you mean 'checkin'?" in command.stderr
    option = okr("--root", str(example), "scorecard", "--formt", "json")
    assert option.exit_code == 2
    assert "No such option: --formt; did you mean '--format'" in option.stderr
    assert "Possible options" not in option.stderr


def test_an_unknown_owner_on_a_terminal(okr, example, monkeypatch):
    from okrcli.commands import checkin as checkin_module

    monkeypatch.setattr(checkin_module, "stdin_is_terminal", lambda: True)
    result = okr("--root", str(example), "checkin", "--owner", "bobb", input="\n")
    assert result.exit_code == 2
    assert "--owner: nobody called 'bobb' owns a goal; did you mean 'bob'?" in (result.stderr)
