"""Dates and numbers at the edges: a located diagnostic or a usage error, never a crash.

Each case is a reproducer of a crash found by attacking okr (issue #12), run through the
real command line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import AS_OF, SETTINGS

from okrcli.planning import scalar
from okrcli.yamlsource import parse

RECORD = '- {{"at": "{at}", "id": "mrr", "value": 1}}\n'


def _diagnostics(okr, root: Path) -> tuple[int, list[dict]]:
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert "internal error" not in result.stderr
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:00:00-05:00",  # a day of year 10000 in UTC: overflowed
        "0001-01-01T00:00:00+01:00",  # a day of year 0 in UTC: overflowed
        "9998-12-31T23:00:00-05:00",  # 9999 in UTC: its quarter would end after 9999
        "0999-12-31",
    ],
)
def test_a_checkin_at_the_edge_of_time_is_a_located_error(okr, example, at):
    journal = example / "checkins" / "2026-11.yaml"
    lines = journal.read_text(encoding="utf-8").count("\n")
    with journal.open("a", encoding="utf-8") as f:
        f.write(RECORD.format(at=at))
    code, found = _diagnostics(okr, example)
    assert code == 1
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in found] == [
        ("invalid-timestamp", "checkins/2026-11.yaml", lines + 1, 10)
    ]
    assert "years 1000 to 9998" in found[0]["message"]
    for command in (("scorecard",), ("tree",), ("history", "mrr"), ("close", "2026-Q3")):
        result = okr(*command, "--root", str(example), "--as-of", AS_OF)
        assert result.exit_code == 1, (command, result)
        assert "internal error" not in result.stderr
        assert "checkins/2026-11.yaml" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("scorecard", "--as-of", "9999-12-31"),
        ("scorecard", "--as-of", "0001-01-01"),
        ("tree", "--as-of", "9999-12-31"),
        ("scorecard", "--period", "0000"),
        ("scorecard", "--period", "9999-Q4"),
        ("scorecard", "--period", "２０２６-Q4"),
        ("scorecard", "--period", "2026-Q5"),
        ("close", "0000"),
        ("plan", "9999-Q4"),
        ("history", "mrr", "--period", "0000"),
        ("checkin", "mrr", "1", "--at", "0001-01-01"),
        ("checkin", "mrr", "1", "--at", "9999-12-31T23:00:00-05:00"),
        ("checkin", "mrr", "1", "--confidence", "1e1000002%"),
        ("checkin", "mrr", "1", "--confidence", "1e100000000000000000002%"),
        ("checkin", "mrr", "1", "--confidence", "NaN%"),
    ],
)
def test_options_at_the_edges_are_usage_errors(okr, example, args):
    before = sorted(p.name for p in (example / "checkins").iterdir())
    result = okr(*args, "--root", str(example))
    assert result.exit_code == 2, result
    assert "internal error" not in result.stderr
    assert result.stderr.startswith("okr: error:")
    # nothing was written: `--at 0001-01-01` once wrote checkins/1-01.yaml
    assert sorted(p.name for p in (example / "checkins").iterdir()) == before


def test_the_last_day_okr_handles_works(okr, example):
    for day in ("9998-12-31", "1000-01-01"):
        result = okr("scorecard", "--root", str(example), "--as-of", day, "--format", "json")
        assert result.exit_code == 0, result
        assert json.loads(result.stdout)["as_of"] == day


@pytest.mark.parametrize("folder", ["9999-Q4", "0000", "２０２６-Q4", "2026-Q4 ", "1000-Q0"])
def test_a_plan_in_a_folder_that_is_no_period_is_a_located_error(okr, example, folder):
    (example / "okrs" / folder).mkdir()
    shutil.copy(example / "okrs" / "2026-Q3" / "growth.yaml", example / "okrs" / folder / "x.yaml")
    code, found = _diagnostics(okr, example)
    assert code == 1
    assert (
        "invalid-period",
        f"okrs/{folder}/x.yaml",
        1,
        1,
    ) in [(d["code"], d["file"], d["line"], d["column"]) for d in found]
    # the non-ASCII digits of ２０２６ are not 2026: no clash with okrs/2026-Q4
    assert not [d for d in found if d["code"] == "duplicate-id"]


def test_a_checkin_does_not_write_a_file_named_after_a_year_without_four_digits(okr, example):
    result = okr("checkin", "mrr", "1400", "--root", str(example), "--at", "1000-01-01")
    assert result.exit_code == 0, result
    assert (example / "checkins" / "1000-01.yaml").is_file()


@pytest.mark.parametrize(
    "literal", ["1" * 5000, "-" + "9" * 4400, "0x" + "f" * 5000, "1e1000002", "9" * 309]
)
def test_integers_beyond_the_digit_limit_are_not_finite(okr, example, literal):
    kpis = example / "kpis" / "business.yaml"
    text = kpis.read_text(encoding="utf-8")
    kpis.write_text(text.replace("target: 1500", f"target: {literal}", 1), encoding="utf-8")
    assert f"target: {literal}" in kpis.read_text(encoding="utf-8")
    code, found = _diagnostics(okr, example)
    assert code == 1
    assert [d["code"] for d in found] == ["non-finite"]
    assert len(found[0]["message"]) < 200  # the number is not printed in full


@pytest.mark.parametrize("literal", ["1" * 5000, "1e1000002"])
def test_a_huge_value_in_the_journal_is_an_error_of_that_record(okr, example, literal):
    journal = example / "checkins" / "2026-11.yaml"
    with journal.open("a", encoding="utf-8") as f:
        f.write(f'- {{"at": "2026-11-02T10:00:00+00:00", "id": "mrr", "value": {literal}}}\n')
    code, found = _diagnostics(okr, example)
    assert code == 1
    assert [(d["code"], d["file"]) for d in found] == [("non-finite", "checkins/2026-11.yaml")]


@pytest.mark.parametrize("value", ["1" * 5000, "١٢", "１２", "1_000", "1e1000002"])
def test_a_checkin_value_that_is_no_finite_ascii_number_is_refused(okr, example, value):
    result = okr("checkin", "mrr", value, "--root", str(example))
    assert result.exit_code == 1, result
    assert "takes a finite number" in result.stderr
    assert "internal error" not in result.stderr


def test_one_kr_id_in_a_year_and_a_quarter_plan_with_a_checkin(okr, make_workspace):
    """Every command crashed comparing Period(2026, None) with Period(2026, 4)."""
    kr = "    key_results:\n      - {id: same, title: S, start: 0, target: 10}\n"
    root = make_workspace(
        {
            "okrs/2026/company.yaml": "team: company\nobjectives:\n  - id: o-year\n"
            "    title: Year\n" + kr,
            "okrs/2026-Q4/company.yaml": "team: company\nobjectives:\n  - id: o-q\n"
            "    title: Quarter\n" + kr,
            "checkins/2026-11.yaml": '- {"at": "2026-11-02T10:00:00+00:00", "id": "same", '
            '"value": 5}\n',
        },
        settings=SETTINGS,
    )
    assert okr("validate", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    card = okr("scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert card.exit_code == 0, card
    (kr_q4,) = json.loads(card.stdout)["objectives"][0]["key_results"]
    assert kr_q4["current"] == 5  # the quarter is the narrowest period containing the day
    history = okr("history", "same", "--root", str(root), "--as-of", AS_OF)
    assert history.exit_code == 0, history
    assert "also of 2026" in history.stderr
    for command in (("tree",), ("close", "2026-Q4"), ("close", "2026")):
        result = okr(*command, "--root", str(root), "--as-of", "2027-01-05")
        assert result.exit_code == 0, (command, result)


@pytest.mark.parametrize(
    "text", ["Yes", "No", "On", "Off", "y", "n", "Y", "N", "yes", "ON", "off", "True", "Null"]
)
def test_plan_writes_text_every_yaml_reader_reads_as_text(text):
    written = scalar(text)
    assert written == f'"{text}"'
    assert parse(f"a: {written}\n", "f.yaml").data == {"a": text}
    import yaml  # PyYAML reads YAML 1.1: unquoted, these would be booleans or null

    assert yaml.safe_load(f"a: {written}\n") == {"a": text}


@pytest.mark.parametrize("text", ["Cut latency", "p99 latency (ms)", "Yesterday", "Nobody"])
def test_plan_writes_ordinary_text_plain(text):
    assert scalar(text) == text


def test_a_commit_dated_beyond_the_year_9999_is_shown_not_a_crash(okr, example):
    import os
    import subprocess

    from helpers import commit, git_init

    git_init(example)
    commit(example, "plans")
    plan = example / "okrs" / "2026-Q4" / "platform.yaml"
    plan.write_text(plan.read_text().replace("target: 300", "target: 310", 1))
    env = {**os.environ, "GIT_COMMITTER_DATE": "@999999999999 +1400"}
    subprocess.run(["git", "commit", "-qam", "far future"], cwd=example, check=True, env=env)
    result = okr("history", "p99-latency", "--root", str(example), "--as-of", AS_OF)
    assert result.exit_code == 0, result
    assert "9998-12-31" in result.stdout  # clamped to the last day okr handles
    assert okr("diff", "HEAD~1", "HEAD", "--root", str(example)).exit_code == 0


@pytest.mark.parametrize("value", ["1e308", "-1e308", "5e-324", "1.7976931348623157e308"])
def test_values_near_the_float_limit_are_figures_not_crashes(okr, example, value):
    """Found by the fuzz suite: a finite value near the float limit made progress,
    attainment, the forecast or a sparkline infinite, and the scorecard crashed."""
    journal = example / "checkins" / "2026-11.yaml"
    with journal.open("a", encoding="utf-8") as f:
        for day in ("21", "22"):
            f.write(
                f'- {{"at": "2026-11-{day}T10:00:00+00:00", "id": "activation-rate", '
                f'"value": {value}}}\n- {{"at": "2026-11-{day}T10:00:00+00:00", '
                f'"id": "p99-latency", "value": {value}}}\n'
            )
    for args in (
        ("scorecard",),
        ("scorecard", "--format", "json"),
        ("scorecard", "--format", "csv"),
        ("tree", "--format", "json"),
        ("history", "p99-latency", "--format", "json"),
        ("history", "activation-rate"),
        ("close", "2026-Q4", "--format", "json"),
    ):
        result = okr(*args, "--root", str(example), "--as-of", AS_OF)
        assert result.exit_code == 0, (args, result)
        if "json" in args:
            json.loads(result.stdout)
    card = okr("scorecard", "--root", str(example), "--as-of", AS_OF, "--format", "json")
    krs = [k for o in json.loads(card.stdout)["objectives"] for k in o["key_results"]]
    assert all(abs(k["attainment"]) <= 1e6 for k in krs if k["attainment"] is not None)


def test_a_target_a_hair_from_its_start_caps_attainment():
    from okrcli.scoring import MAX_ATTAINMENT, attainment, kr_progress

    assert attainment(0, 5e-324, 1) == MAX_ATTAINMENT
    assert attainment(0, 5e-324, -1) == -MAX_ATTAINMENT
    assert attainment(-1e308, 1e308, 1e308) == 1.0
    assert kr_progress("increase", 0, 5e-324, 1) == 1.0
