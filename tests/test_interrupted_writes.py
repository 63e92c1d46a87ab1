"""Interrupted writes: a real SIGKILL at each point of an append leaves every journal file
parseable and the append all or nothing across files (issue #12: a kill mid-write left a
truncated record that blocked the journal; a kill between files left a partial import).

The kill points are named in ``okrcli.journal._test_kill`` (``OKR_TEST_KILL_AT``, for
tests only).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

AS_OF = "2027-03-01"
POINTS = ["intent-written", "mid-write", "first-file-written", "before-finish"]


def _okr(root: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("OKR_TEST_KILL_AT", None)
    if kill_at is not None:
        env["OKR_TEST_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "okrcli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _journal(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "checkins").glob("*.yaml"))}


def _mrr_values(root: Path) -> list[float]:
    done = _okr(root, "history", "mrr", "--as-of", AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    return [v["value"] for v in json.loads(done.stdout)["values"]]


def _assert_clean(root: Path) -> None:
    done = _okr(root, "validate", "--format", "json", "--as-of", AS_OF)
    doc = json.loads(done.stdout)
    assert doc["errors"] == 0, doc["diagnostics"]


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    """An import over three months (two existing journal files and a new one), with a long
    note so that the write is large."""
    note = "n" * 20000
    lines = ["id,at,value,note"]
    for day, value in (("2026-10-15", 1300), ("2026-11-15", 1350), ("2026-12-15", 1400)):
        lines += [f"mrr,{day}T0{i}:00:00+00:00,{value + i},{note}" for i in range(5)]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("point", POINTS)
def test_an_import_killed_at_any_point_is_undone_in_every_file(example, rows, point):
    before_files = _journal(example)
    before_values = _mrr_values(example)
    killed = _okr(example, "import", str(rows), kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # something was left behind: the intent, and (past the first points) new bytes
    assert list((example / "checkins").glob(".okr-append-*.json"))
    # every reader sees the journal as it was: parseable, and none of the import
    _assert_clean(example)
    assert _mrr_values(example) == before_values
    # the next append undoes what the killed one left, then appends whole lines
    again = _okr(example, "import", str(rows))
    assert again.returncode == 0, again.stderr
    assert not list((example / "checkins").glob(".okr-append-*.json"))
    after = _journal(example)
    for name, old in before_files.items():
        assert after[name].startswith(old)  # nothing before was lost or rewritten
    imported = [v + i for v in (1300, 1350, 1400) for i in range(5)]
    assert sorted(_mrr_values(example)) == sorted(before_values + imported)  # each once
    _assert_clean(example)


@pytest.mark.parametrize("point", ["mid-write", "first-file-written", "before-finish"])
def test_a_large_checkin_killed_mid_append_is_undone(example, point):
    journal = example / "checkins" / "2026-11.yaml"
    old = journal.read_bytes()
    note = "x" * 100_000
    killed = _okr(
        example, "checkin", "mrr", "1400", "--at", "2026-11-21", "--note", note, kill_at=point
    )
    assert killed.returncode == -signal.SIGKILL
    assert journal.read_bytes() != old or point == "intent-written"  # bytes were written
    _assert_clean(example)
    assert 1400 not in _mrr_values(example)
    done = _okr(example, "checkin", "mrr", "1410", "--at", "2026-11-21")
    assert done.returncode == 0, done.stderr
    new = journal.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :].count(b"\n") == 1 and b'"value": 1410' in new[len(old) :]


def test_a_torn_last_line_without_an_intent_is_located_and_refused(example):
    journal = example / "checkins" / "2026-11.yaml"
    lines = journal.read_text(encoding="utf-8").count("\n")
    with journal.open("a", encoding="utf-8") as f:
        f.write('- {"at": "2026-11-21T10:00:00+00:00", "id": "mr')  # cut off, no newline
    done = _okr(example, "validate", "--format", "json", "--as-of", AS_OF)
    assert done.returncode == 1
    (d,) = [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]
    assert (d["code"], d["file"], d["line"]) == ("yaml-syntax", "checkins/2026-11.yaml", lines + 1)
    before = journal.read_bytes()
    refused = _okr(example, "checkin", "mrr", "1400", "--at", "2026-11-21")
    assert refused.returncode == 1
    assert f"checkins/2026-11.yaml:{lines + 1}:" in refused.stderr  # the torn line, located
    assert journal.read_bytes() == before


def test_an_append_to_a_file_with_a_torn_last_line_says_so(tmp_path):
    from okrcli.journal import append_problem

    (tmp_path / "checkins").mkdir()
    torn = tmp_path / "checkins" / "2026-11.yaml"
    torn.write_text('- {"at": "2026-11-20", "id": "a", "value": 1}\n- {"at": "2026-1')
    problem = append_problem(tmp_path, "checkins/2026-11.yaml", ['- {"x": 1}\n'])
    assert problem is not None
    assert problem.startswith("checkins/2026-11.yaml:2: the last line is incomplete")


def test_a_planted_intent_hides_and_removes_nothing_but_its_own_bytes(example):
    """A hostile pull request adds an intent that claims the journal's records."""
    journal = example / "checkins" / "2026-11.yaml"
    old = journal.read_bytes()
    values = _mrr_values(example)
    planted = {
        "files": {
            "checkins/2026-11.yaml": [0, "something else entirely\n"],
            "okr.yaml": [0, ""],  # not a journal file: never touched
            "checkins/../okr.yaml": [0, ""],
        }
    }
    (example / "checkins" / ".okr-append-0000.json").write_text(json.dumps(planted))
    (example / "checkins" / ".okr-append-0001.json").write_text("not json")
    _assert_clean(example)
    assert _mrr_values(example) == values
    done = _okr(example, "checkin", "mrr", "1400", "--at", "2026-11-21")
    assert done.returncode == 0, done.stderr
    assert journal.read_bytes().startswith(old)
    assert (example / "okr.yaml").stat().st_size > 0
