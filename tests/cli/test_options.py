"""Shared options: checked before anything is loaded, one message each, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import AS_OF, write_tree

BROKEN_PLAN = {"okrs/2026-Q4/broken.yaml": "team: nobody\nobjectives: 3\n"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scorecard", "--period", "2026-Q5"], "--period takes a quarter like 2026-Q4"),
        (["tree", "--period", "Q4"], "--period takes a quarter like 2026-Q4"),
        (["history", "p99-latency", "--period", "26"], "--period takes a quarter"),
        (["checkin", "p99-latency", "5", "--period", "x"], "--period takes a quarter"),
        (["scorecard", "--as-of", "22.11.2026"], "--as-of takes a date like 2026-11-22"),
        (["validate", "--as-of", "yesterday-ish"], "--as-of takes a date like 2026-11-22"),
        (["close", "2026-Q9"], "'2026-Q9' is not a period"),
        (["plan", "2027-Q1", "--from", "last"], "--from takes a quarter like 2026-Q4"),
        (["diff", "--as-of", "2026/11/22"], "--as-of takes a date"),
    ],
)
def test_malformed_options_exit_2_before_the_workspace_is_read(okr, example, args, message):
    # the workspace is broken (exit 1 if it were read): the option must be refused first
    write_tree(example, BROKEN_PLAN)
    result = okr("--root", str(example), *args)
    assert result.exit_code == 2, result
    assert message in result.stderr
    assert result.stdout == ""


def test_formats_are_forgiving_in_case(okr, example):
    result = okr("--root", str(example), "scorecard", "-f", "JSON", "--as-of", AS_OF)
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["period"] == "2026-Q4"


def test_the_global_root_and_the_command_root_agree(okr, example):
    a = okr("--root", str(example), "validate", "--as-of", AS_OF)
    b = okr("validate", "--root", str(example), "--as-of", AS_OF)
    assert (a.exit_code, a.stdout, a.stderr) == (b.exit_code, b.stdout, b.stderr) == (0, "", "")


def test_okr_root_from_the_environment(okr, example, tmp_path):
    result = okr("validate", "--as-of", AS_OF, env={"OKR_ROOT": str(example)})
    assert result.exit_code == 0, result
    missing = okr("validate", env={"OKR_ROOT": str(tmp_path / "nowhere")})
    assert missing.exit_code == 2
    assert "given by OKR_ROOT" in missing.stderr


def test_a_closed_pipe_is_not_an_error(example):
    # the reader is gone before okr writes a byte (``true`` reads nothing): okr must stop
    # quietly with 0, not with a traceback or "Exception ignored ... BrokenPipeError"
    script = (
        f"{sys.executable} -m okrcli --root {example} scorecard --as-of {AS_OF} | true; "
        "exit ${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env={"NO_COLOR": "1"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
