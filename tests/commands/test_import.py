"""``okr import FILE.csv``: every row checked first, all or nothing, every bad row reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import AS_OF, git

NOV, OCT = "checkins/2026-11.yaml", "checkins/2026-10.yaml"


def snapshot(root: Path) -> dict[str, bytes]:
    base = root / "checkins"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def added(root: Path, rel: str, before: dict[str, bytes]) -> list[dict]:
    """The records appended to ``rel`` since ``before`` (the old bytes must be a prefix)."""
    data = (root / rel).read_bytes()
    old = before.get(rel, b"")
    assert data[: len(old)] == old
    return [json.loads(x[2:]) for x in data[len(old) :].decode().splitlines()]


def csv_file(tmp_path: Path, text: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_appends_every_row_to_its_month_and_summarises(okr, example, tmp_path):
    before = snapshot(example)
    path = csv_file(
        tmp_path,
        "id,at,value,confidence,by,note,period\n"
        "p99-latency,2026-10-30,700,0.6,bob,before the cache,\n"
        "api-uptime,2026-11-20T08:00:00Z,99.93,,alice,,\n"
        'runbooks,2026-11-21,60%,70%,alice,"two\nlines",2026-Q4\n'
        "\n"
        "api-uptime,2026-11-21T08:00:00Z,99.95,,alice,,\n",
    )
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 0, result
    assert result.stdout.splitlines() == [
        "p99-latency: 1 value, latest 700 ms at 2026-10-30T00:00:00+00:00",
        "api-uptime: 2 values, latest 99.95% at 2026-11-21T08:00:00+00:00",
        "runbooks: 1 value, latest 60% done at 2026-11-21T00:00:00+00:00",
        f"imported 4 check-ins from {path}",
    ]
    assert result.stderr.splitlines() == [
        f"recorded 1 check-in in {OCT}",
        f"recorded 3 check-ins in {NOV}",
    ]
    assert added(example, OCT, before) == [
        {
            "at": "2026-10-30T00:00:00+00:00",
            "id": "p99-latency",
            "period": "2026-Q4",
            "value": 700,
            "confidence": 0.6,
            "by": "bob",
            "note": "before the cache",
        }
    ]
    november = added(example, NOV, before)
    assert [(r["id"], r["value"]) for r in november] == [
        ("api-uptime", 99.93),
        ("runbooks", 0.6),
        ("api-uptime", 99.95),
    ]
    assert november[1]["note"] == "two\nlines" and november[1]["confidence"] == 0.7
    report = json.loads(
        okr("validate", "--root", str(example), "--format", "json", "--as-of", AS_OF).stdout
    )
    assert (report["errors"], report["warnings"]) == (0, 0)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(okr, example, tmp_path):
    before = snapshot(example)
    path = csv_file(
        tmp_path,
        "id,at,value,period\n"  # 1
        "p99-latncy,2026-10-30,700,\n"  # 2
        "api-uptime,2026-11-20,abc,\n"  # 3
        "infra-cost,2026-11-01,190,\n"  # 4: good
        'runbooks,2026-11-21,"1\n'  # 5: a value over two lines
        '.5",\n'  # 6
        "p99-latency,2027-02-01,5,\n"  # 7
        "p99-latency,2026-11-01,5,2026-Q3\n"  # 8
        "api-uptime,,5,\n"  # 9
        "api-uptime,2026-11-01,5\n"  # 10
        "uptime-held,2026-11-01,99.9,\n"  # 11
        "api-uptime,2026-11-01,99.9,2026-Q4\n",  # 12
        name="bad.csv",
    )
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:2: no KR or KPI has the id 'p99-latncy'; did you mean 'p99-latency'?",
        f"{path}:3: KPI 'api-uptime' takes a finite number as its value, not 'abc'",
        f"{path}:5: 'runbooks' is a milestone: its value is done, true, false or a fraction "
        "from 0 to 1 (like 0.6 or 60%), not '1\\n.5'",
        f"{path}:7: 2027-02-01 is outside every period of KR 'p99-latency' (2026-Q4); give "
        "column 'period' to say which plan the value belongs to",
        f"{path}:8: KR 'p99-latency' is not planned in 2026-Q3; it is planned in 2026-Q4",
        f"{path}:9: column 'at' is empty",
        f"{path}:10: the row has 3 cells but the header names 4 columns",
        f"{path}:11: KR 'uptime-held' takes its values from KPI 'api-uptime'; check in "
        "'api-uptime' instead",
        f"{path}:12: 'api-uptime' is a KPI, and KPI values take no period; leave out "
        "column 'period'",
        f"okr: 9 bad rows in {path}; nothing was imported",
    ]
    assert snapshot(example) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,at,value,colour\np99-latency,2026-11-21,580,red\n",
            ":1: unknown column 'colour' (the columns are id, at, value, confidence, by, note, "
            "period, health",
        ),
        ("id,value\np99-latency,580\n", ":1: missing column(s): at"),
        ("id,at,value,value\np99-latency,2026-11-21,580,1\n", ":1: column 'value' appears 2"),
        ("p99-latency,2026-11-21,580\n", ":1: unknown column 'p99-latency'"),
    ],
)
def test_a_bad_header_is_reported_and_nothing_is_written(okr, example, tmp_path, text, message):
    before = snapshot(example)
    path = csv_file(tmp_path, text)
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.endswith("nothing was imported\n")
    assert snapshot(example) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty; it needs a header row: id,at,value"),
        (b"id,at,value\n", "has no rows to import"),
        (b"id,at,value\nmrr,2026-11-21,caf\xe9\n", "is not UTF-8 text"),
    ],
)
def test_unusable_files(okr, example, tmp_path, content, message):
    before = snapshot(example)
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(example) == before


def test_a_missing_file(okr, example, tmp_path):
    result = okr("--root", str(example), "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_a_byte_order_mark_and_crlf_are_fine(okr, example, tmp_path):
    before = snapshot(example)
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfid,at,value\r\nmrr,2026-11-21,1400\r\n")
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 0, result
    assert [r["value"] for r in added(example, NOV, before)] == [1400]


def test_by_defaults_to_git_user_name(okr, example, tmp_path, git_repo):
    git_repo(example)
    before = snapshot(example)
    path = csv_file(tmp_path, "id,at,value,by\nmrr,2026-11-21,1400,\ncsat,2026-11-21,90,sam\n")
    assert okr("--root", str(example), "import", str(path)).exit_code == 0
    assert [r["by"] for r in added(example, NOV, before)] == ["Test User", "sam"]


def test_commit_commits_exactly_the_journal_files(okr, example, tmp_path, git_repo):
    git_repo(example)
    (example / "okr.yaml").write_text((example / "okr.yaml").read_text() + "# staged\n")
    git(example, "add", "okr.yaml")
    (example / "scratch.txt").write_text("untracked\n")
    path = csv_file(
        tmp_path,
        "id,at,value\n"
        "p99-latency,2026-10-30,700\n"
        "api-uptime,2026-11-20,99.93\n"
        "api-p99,2026-12-01,450\n"
        "csat,2026-11-21,90\n",
    )
    result = okr("--root", str(example), "import", str(path), "--commit")
    assert result.exit_code == 0, result
    assert sorted(git(example, "show", "--name-only", "--format=", "HEAD").split()) == [
        OCT,
        NOV,
        "checkins/2026-12.yaml",
    ]
    message = git(example, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == (
        "okr import: 4 check-ins (p99-latency, api-uptime, api-p99, ...)"
    )
    assert "- api-p99 450 at 2026-12-01T00:00:00+00:00" in message
    assert git(example, "diff", "--cached", "--name-only").split() == ["okr.yaml"]
    assert git(example, "status", "--porcelain", "--", "scratch.txt").strip() == "?? scratch.txt"


def test_commit_outside_git_fails_before_writing(okr, example, tmp_path):
    before = snapshot(example)
    path = csv_file(tmp_path, "id,at,value\nmrr,2026-11-21,1400\n")
    result = okr("--root", str(example), "import", str(path), "--commit")
    assert result.exit_code == 1
    assert "--commit needs git" in result.stderr
    assert snapshot(example) == before


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("id;at;value;note\np99-latency;2026-11-21;580;with, a comma\n", ";"),
        ("id\tat\tvalue\tnote\np99-latency\t2026-11-21\t580\twith; a semicolon\n", "\t"),
        ('id,at,value,note\np99-latency,2026-11-21,580,"a; b"\n', ","),
    ],
)
def test_semicolon_and_tab_delimiters_are_detected(okr, example, tmp_path, text, delimiter):
    path = tmp_path / "values.csv"
    path.write_text(text)
    before = snapshot(example)
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 0, result
    (record,) = added(example, NOV, before)
    assert (record["id"], record["value"]) == ("p99-latency", 580)
    assert record["note"] == text.splitlines()[1].split(delimiter)[3].strip('"')


def test_a_semicolon_file_with_decimal_commas_is_one_clear_refusal_per_row(okr, example, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("id;at;value\napi-uptime;2026-11-21;99,97\n")
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:2: KPI 'api-uptime' takes a number, and '99,97' is not")
    assert "write a decimal point (1.5)" in lines[0]
    assert len(lines) == 2  # the row, then the summary


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,Date,value", "unknown column 'Date'; did you mean 'at'?"),
        ("id,date,value", "unknown column 'date'; did you mean 'at'?"),
        ("kr,at,value", "unknown column 'kr'; did you mean 'id'?"),
        ("id,at,valeu", "unknown column 'valeu'; did you mean 'value'?"),
        ("id;When;value", "unknown column 'When'; did you mean 'at'?"),
    ],
)
def test_a_column_under_another_name_is_one_message(okr, example, tmp_path, header, message):
    path = tmp_path / "values.csv"
    delimiter = ";" if ";" in header else ","
    path.write_text(header + "\n" + delimiter.join(["p99-latency", "2026-11-21", "580"]) + "\n")
    result = okr("--root", str(example), "import", str(path))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(problems) == 1, result.stderr  # no second "missing column" for the same thing
    assert problems[0] == (
        f"{path}:1: {message} (the columns are id, at, value, confidence, by, note, period, health)"
    )


# --- skipping what is already there, --dry-run, standard input --------------------------------

ROWS = (
    "id,at,value,confidence,by,note\n"
    "p99-latency,2026-11-21T09:00:00Z,600,0.7,bob,edge cache\n"
    "api-uptime,2026-11-21T08:00:00Z,99.95,,alice,\n"
)


def test_importing_the_same_file_twice_adds_nothing(okr, example, tmp_path):
    path = csv_file(tmp_path, ROWS)
    first = okr("--root", str(example), "import", str(path))
    assert first.exit_code == 0, first
    after_first = snapshot(example)
    again = okr("--root", str(example), "import", str(path))
    assert again.exit_code == 0, again
    assert again.stdout == (
        f"nothing to import from {path}: all 2 check-ins are in the journal already\n"
    )
    assert snapshot(example) == after_first
    # one new row among old ones: only it is appended, the others are counted as skipped
    more = csv_file(tmp_path, ROWS + "runbooks,2026-11-21,0.6,,alice,\n", name="more.csv")
    third = okr("--root", str(example), "import", str(more))
    assert third.exit_code == 0, third
    assert "imported 1 check-in from" in third.stdout
    assert "skipped 2 check-ins already in the journal" in third.stdout
    assert [r["id"] for r in added(example, NOV, after_first)] == ["runbooks"]


def test_a_record_written_by_hand_counts_as_already_there(okr, example, tmp_path):
    # the same check-in typed by hand, without a period and with a +01:00 offset
    with (example / NOV).open("a") as f:
        f.write('- {at: "2026-11-21T10:00:00+01:00", id: p99-latency, value: 600, '
                'confidence: 0.7, by: bob, note: edge cache}\n')  # fmt: skip
    before = snapshot(example)
    result = okr("--root", str(example), "import", str(csv_file(tmp_path, ROWS)))
    assert result.exit_code == 0, result
    assert "skipped 1 check-in already in the journal" in result.stdout
    assert [r["id"] for r in added(example, NOV, before)] == ["api-uptime"]


def test_dry_run_prints_what_it_would_append_and_writes_nothing(okr, example, tmp_path):
    before = snapshot(example)
    result = okr("--root", str(example), "import", str(csv_file(tmp_path, ROWS)), "--dry-run")
    assert result.exit_code == 0, result
    assert snapshot(example) == before
    assert f"would append 2 lines to {NOV}:" in result.stdout
    assert (
        '  - {"at": "2026-11-21T09:00:00+00:00", "id": "p99-latency", "period": "2026-Q4", '
        '"value": 600, "confidence": 0.7, "by": "bob", "note": "edge cache"}' in result.stdout
    )
    assert "(--dry-run: nothing written)" in result.stdout
    both = okr("--root", str(example), "import", str(csv_file(tmp_path, ROWS)), "--dry-run",
               "--commit")  # fmt: skip
    assert both.exit_code == 2


def test_standard_input(okr, example):
    before = snapshot(example)
    result = okr("--root", str(example), "import", "-", input=ROWS)
    assert result.exit_code == 0, result
    assert "imported 2 check-ins from standard input" in result.stdout
    assert [r["id"] for r in added(example, NOV, before)] == ["p99-latency", "api-uptime"]
    bad = okr("--root", str(example), "import", "-", input="id,at,value\nnope,2026-11-21,1\n")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("<stdin>:2: no KR or KPI has the id 'nope'")


def test_status_updates_and_kpi_health_in_a_csv(okr, example, tmp_path):
    before = snapshot(example)
    path = csv_file(
        tmp_path,
        "id,at,value,confidence,note,health\n"
        "p99-latency,2026-11-21,,0.4,blocked on vendor,\n"
        "api-uptime,2026-11-21,,,incident review pending,red\n"
        "p99-latency,2026-11-21,610,,,red\n",
    )
    bad = okr("--root", str(example), "import", str(path))
    assert bad.exit_code == 1
    assert f"{path}:4: column 'health' is a person's judgement of a KPI" in bad.stderr
    good = csv_file(tmp_path, "\n".join(path.read_text().splitlines()[:3]) + "\n", "good.csv")
    result = okr("--root", str(example), "import", str(good))
    assert result.exit_code == 0, result
    records = added(example, NOV, before)
    assert "value" not in records[0] and records[0]["confidence"] == 0.4
    assert records[1]["health"] == "red" and "value" not in records[1]
