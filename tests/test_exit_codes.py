"""Exit codes per SPEC §6 in every command, and git revisions as git understands them.

0 success, 1 errors in the files, 2 a usage error before anything is loaded or written,
3 an internal error; a closed output pipe is 0 and silent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, commit, git, git_init

COMMANDS_WITH_OUTPUT = [
    ["--version"],
    ["--help"],
    ["scorecard", "--as-of", AS_OF],
    ["scorecard", "--as-of", AS_OF, "--format", "json"],
    ["scorecard", "--as-of", AS_OF, "--format", "markdown"],
    ["scorecard", "--as-of", AS_OF, "--format", "csv"],
    ["tree", "--as-of", AS_OF],
    ["tree", "--as-of", AS_OF, "--format", "json"],
    ["history", "p99-latency", "--as-of", AS_OF],
    ["history", "p99-latency", "--as-of", AS_OF, "--format", "csv"],
    ["close", "2026-Q3", "--as-of", AS_OF],
    ["close", "2026-Q3", "--as-of", AS_OF, "--format", "markdown"],
    ["plan", "2027-Q1", "--from", "2026-Q4", "--dry-run", "--as-of", AS_OF],
    ["schema"],
    ["validate", "--format", "json", "--as-of", AS_OF],
    ["diff", "HEAD", "HEAD", "--format", "json"],
    ["checkin", "mrr", "1400", "--at", "2026-11-21"],
]


@pytest.mark.parametrize(
    "args", COMMANDS_WITH_OUTPUT, ids=[" ".join(a) for a in COMMANDS_WITH_OUTPUT]
)
def test_a_closed_pipe_is_0_and_silent_in_every_command(example, args):
    git_init(example)
    commit(example, "goals")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before okr writes a byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "okrcli", "--root", str(example), *args]
            if args[0] not in ("--version", "--help")
            else [sys.executable, "-m", "okrcli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "NO_COLOR": "1"},
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "BrokenPipe" not in done.stderr


MALFORMED = [
    ["scorecard", "--format", "yaml"],
    ["tree", "--format", "table"],
    ["history", "mrr", "--format", "markdown"],
    ["close", "2026-Q3", "--format", "csv"],
    ["diff", "--format", "csv"],
    ["validate", "--format", "sarif"],
    ["checkin", "mrr", "1", "--at", "tomorrow"],
    ["checkin", "mrr", "1", "--confidence", "lots"],
    ["import", "rows.csv", "--bogus"],
    ["plan", "2027-Q5"],
    ["scorecard", "--as-of", "2026-02-30"],
    ["tree", "--period", "2026-Q0"],
    ["diff", "-HEAD"],
    ["diff", "no-such-rev"],
    ["diff", "HEAD@{no such thing}"],
]


@pytest.mark.parametrize("args", MALFORMED, ids=[" ".join(a) for a in MALFORMED])
def test_malformed_options_are_2_before_anything_is_loaded_or_written(okr, example, args):
    git_init(example)
    commit(example, "goals")
    (example / "okrs" / "2026-Q4" / "broken.yaml").write_text("team: [\n")  # would be exit 1
    before = {
        p: p.read_bytes() for p in example.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    result = okr("--root", str(example), *args)
    assert result.exit_code == 2, result
    assert "internal error" not in result.stderr
    after = {p: p.read_bytes() for p in example.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before


def _history(root: Path) -> list[str]:
    """Three commits a day apart, each moving a target; the reflog too."""
    git_init(root)
    shas = []
    plan = root / "okrs" / "2026-Q4" / "platform.yaml"
    for n, (when, target) in enumerate(
        [("2026-11-01T10:00:00", "300"), ("2026-11-10T10:00:00", "350"), (None, "400")]
    ):
        text = plan.read_text(encoding="utf-8")
        plan.write_text(text.replace("target: 300", f"target: {target}", 1) if n else text)
        shas.append(commit(root, f"step {n}", when=when))
        if n:
            plan.write_text(text, encoding="utf-8")
    return shas


@pytest.mark.parametrize(
    "rev", ["HEAD@{1 week ago}", "main@{yesterday}", "HEAD@{1}", "main~1", "HEAD^{commit}"]
)
def test_any_revision_git_understands_works_in_diff(okr, example, rev):
    _history(example)
    result = okr("diff", rev, "HEAD", "--root", str(example), "--format", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["from"]["commit"] == git(example, "rev-parse", "--verify", rev).strip()


def test_a_tag_and_a_full_sha_work_in_diff(okr, example):
    shas = _history(example)
    git(example, "tag", "okr/start", shas[0])
    result = okr("diff", "okr/start", shas[-1], "--root", str(example), "--format", "json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["from"]["commit"] == shas[0]


def test_github_paths_are_relative_to_the_repository_root(okr, example, tmp_path):
    repo = tmp_path / "repo"
    git_init(repo)
    example.rename(repo / "goals")
    root = repo / "goals"
    (root / "kpis" / "bad.yaml").write_text("kpis: [\n", encoding="utf-8")
    github = okr("validate", "--root", str(root), "--format", "github", "--as-of", AS_OF)
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=goals/kpis/bad.yaml,line=")
    text = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert text.stderr.startswith("kpis/bad.yaml:")
    as_json = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert json.loads(as_json.stdout)["diagnostics"][0]["file"] == "kpis/bad.yaml"
    # outside any repository, the workspace-relative path
    outside = tmp_path / "plain"
    root.rename(outside)
    plain = okr("validate", "--root", str(outside), "--format", "github", "--as-of", AS_OF)
    assert plain.stdout.startswith("::error file=kpis/bad.yaml,line=")
