"""The journal's append machinery: whole lines, one write, a lock, nothing lost."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import write_tree

from okrcli import journal
from okrcli.journal import (
    append_files,
    append_lines,
    append_problem,
    format_record,
    group_records,
    journal_file,
)
from okrcli.loader import load_workspace
from okrcli.yamlsource import parse

KPI_WORKSPACE = {
    "okr.yaml": "version: 1\norg: T\nteams:\n  ops: {name: Ops}\n",
    "kpis/ops.yaml": (
        "kpis:\n  - id: load\n    title: Load\n    owner: ops\n    direction: down\n"
        "    cadence: daily\n"
    ),
}
TODAY = datetime(2026, 11, 22).date()


def line(n: int, who: str = "t") -> str:
    at = datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(seconds=n)
    return format_record({"at": at, "id": "load", "value": n, "by": who})


def test_format_record_is_one_json_line_in_a_fixed_key_order():
    text = format_record(
        {"note": "n", "value": 1.5, "id": "x", "at": "2026-11-20", "by": None, "period": "2026-Q4"}
    )
    assert (
        text
        == '- {"at": "2026-11-20", "id": "x", "period": "2026-Q4", "value": 1.5, "note": "n"}\n'
    )


def test_text_yaml_would_misread_is_escaped_and_reads_back_exactly():
    note = 'a\x85b\u2028c\u2029d\x7fe\x9f é ünïcode "quoted" #not-a-comment: {x}'
    text = format_record({"at": "2026-11-20", "id": "x", "value": 1, "note": note})
    assert text.count("\n") == 1 and "\u2028" not in text and "\x85" not in text
    doc = parse(text, "j.yaml")
    assert doc.diagnostics == []
    assert doc.data[0]["note"] == note


def test_journal_file_is_the_utc_month():
    east = datetime(2026, 12, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert journal_file(east) == "checkins/2026-11.yaml"
    assert journal_file(datetime(2026, 12, 1, tzinfo=timezone.utc)) == "checkins/2026-12.yaml"


def test_append_creates_the_folder_and_the_file(tmp_path):
    assert append_lines(tmp_path, "checkins/2026-11.yaml", [line(1), line(2)]) == (
        "checkins/2026-11.yaml"
    )
    assert (tmp_path / "checkins/2026-11.yaml").read_text() == line(1) + line(2)


def test_existing_bytes_are_kept_exactly_and_new_lines_follow(tmp_path):
    old = (
        b"# the November journal\n"
        b'- {"at": "2026-11-01", "id": "load", "value": 3}\n'
        b"- at: 2026-11-02   # hand-written, odd spacing kept\n"
        b"  id:    load\n"
        b"  value: 4\n"
        b"\n"
    )
    path = write_tree(tmp_path, {"checkins/2026-11.yaml": old.decode()}) / "checkins/2026-11.yaml"
    append_lines(tmp_path, "checkins/2026-11.yaml", [line(5)])
    data = path.read_bytes()
    assert data == old + line(5).encode()


def test_a_file_without_final_newline_gets_one_before_the_record(tmp_path):
    old = b'- {"at": "2026-11-01", "id": "load", "value": 3}\n# last words, no newline'
    path = tmp_path / "checkins" / "2026-11.yaml"
    path.parent.mkdir()
    path.write_bytes(old)
    append_lines(tmp_path, "checkins/2026-11.yaml", [line(7)])
    assert path.read_bytes() == old + b"\n" + line(7).encode()
    records = parse(path.read_text(), "j").data
    assert [r["value"] for r in records] == [3, 7]


def test_an_empty_file_gets_no_leading_newline(tmp_path):
    path = tmp_path / "checkins" / "2026-11.yaml"
    path.parent.mkdir()
    path.write_bytes(b"")
    append_lines(tmp_path, "checkins/2026-11.yaml", [line(1)])
    assert path.read_bytes() == line(1).encode()


@pytest.mark.parametrize("bad", ["no newline", "two\nlines\n", "carriage\r\n"])
def test_only_whole_lines_are_accepted(tmp_path, bad):
    with pytest.raises(ValueError):
        append_lines(tmp_path, "checkins/2026-11.yaml", [bad])
    assert not (tmp_path / "checkins" / "2026-11.yaml").exists()


def test_several_files_are_written_all_or_nothing(tmp_path, monkeypatch):
    write_tree(tmp_path, {"checkins/2026-10.yaml": "# october\n", "checkins/2026-11.yaml": ""})
    real_write = os.write
    calls = []

    def disk_fills_on_second_file(fd: int, data: bytes) -> int:
        calls.append(data)
        if len(calls) == 2:
            return real_write(fd, data[:5])  # a short write, as on a full disk
        return real_write(fd, data)

    monkeypatch.setattr(journal.os, "write", disk_fills_on_second_file)
    with pytest.raises(OSError):
        append_files(
            tmp_path, {"checkins/2026-11.yaml": [line(2)], "checkins/2026-10.yaml": [line(1)]}
        )
    assert len(calls) == 2  # October (first by name) was written, then cut back
    assert (tmp_path / "checkins/2026-10.yaml").read_text() == "# october\n"
    assert (tmp_path / "checkins/2026-11.yaml").read_text() == ""


def test_group_records_one_batch_per_month_in_order():
    records = [
        {"at": "2026-11-30T23:30:00-02:00", "id": "a", "value": 1},  # December in UTC
        {"at": "2026-11-02T00:00:00+00:00", "id": "b", "value": 2},
        {"at": datetime(2026, 12, 3, tzinfo=timezone.utc), "id": "c", "value": 3},
    ]
    batches = group_records(records)
    assert list(batches) == ["checkins/2026-12.yaml", "checkins/2026-11.yaml"]
    assert [len(v) for v in batches.values()] == [2, 1]
    assert '"id": "a"' in batches["checkins/2026-12.yaml"][0]
    assert '"id": "c"' in batches["checkins/2026-12.yaml"][1]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("", True),
        ("# only a comment", True),
        ('- {"at": "2026-11-01", "id": "load", "value": 3}', True),
        ("- at: 2026-11-01\n  id: load\n  value: 3\n", True),
        ("[]\n", False),
        ('[{"at": "2026-11-01", "id": "load", "value": 3}]\n', False),
        ("records: []\n", False),
    ],
)
def test_append_problem_refuses_files_an_append_would_break(tmp_path, text, ok):
    write_tree(tmp_path, {"checkins/2026-11.yaml": text})
    problem = append_problem(tmp_path, "checkins/2026-11.yaml", [line(1)])
    assert (problem is None) == ok
    if not ok:
        assert "checkins/2026-11.yaml is not a list of '- ...' lines" in problem


def test_append_problem_is_none_for_a_missing_file(tmp_path):
    assert append_problem(tmp_path, "checkins/2030-01.yaml", [line(1)]) is None


def _writer(root: str, who: str, count: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    for n in range(count):
        append_lines(Path(root), "checkins/2026-11.yaml", [line(n, who)])


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    root = write_tree(tmp_path, dict(KPI_WORKSPACE))
    # a file whose last line lacks its newline, to be fixed by whichever writer comes first
    write_tree(root, {"checkins/2026-11.yaml": '- {"at": "2026-11-01", "id": "load", "value": -1}'})
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=_writer, args=(str(root), w, 200, barrier)) for w in "ab"]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    lines = (root / "checkins/2026-11.yaml").read_text().splitlines()
    assert len(lines) == 401
    assert all(x.startswith('- {"at": ') and x.endswith("}") for x in lines)
    ws = load_workspace(root, today=TODAY)
    assert ws.errors == 0
    seen = sorted((c.by, int(c.value)) for c in ws.checkins if c.by)
    assert seen == sorted((w, n) for w in "ab" for n in range(200))
    for w in "ab":  # each writer's records are in its own order
        mine = [int(c.value) for c in ws.checkins if c.by == w]
        assert mine == list(range(200))
