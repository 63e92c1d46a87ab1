"""Shell completion: the values a workspace offers, through typer's protocol and real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import commit, git, git_init, write_tree
from typer.testing import CliRunner

from okrcli.cli import app
from okrcli.cli.completion import read_definitions

BIN = Path(sys.executable).parent
OKR = shutil.which("okr", path=str(BIN))
pytestmark = pytest.mark.skipif(OKR is None, reason="the okr executable is not installed")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_OKR", "OKR_ROOT"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _protocol(line: str, shell: str) -> dict[str, str]:
    """The environment a shell's completion script sets for ``line`` (cursor at its end)."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    if shell == "bash":
        return {
            "_OKR_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        }
    env = {"_OKR_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


def complete(line: str, cwd: Path, shell: str = "bash") -> list[str]:
    """What okr answers to the shell's completion request for ``line``, in this process
    (typer's protocol, as the real executable below)."""
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, [], env=_protocol(line, shell), prog_name="okr")
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def complete_with_the_executable(line: str, cwd: Path, **extra: str) -> list[str]:
    """The same through the installed ``okr`` executable, as a shell runs it."""
    env = environment(**_protocol(line, "bash"), **extra)
    done = subprocess.run([OKR], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]


# --- what is offered ----------------------------------------------------------------------------


def test_commands_and_options(example):
    assert complete("okr ch", example) == ["checkin"]
    assert complete("okr scorecard --te", example) == ["--team"]
    assert complete("okr --col", example) == ["--color"]


def test_kr_and_kpi_ids_for_checkin(example):
    assert complete("okr checkin p99", example) == ["p99-latency"]
    assert complete("okr checkin api-", example) == ["api-uptime", "api-p99"]
    # a KR that takes its values from a KPI is checked in through the KPI
    assert "uptime-held" not in complete("okr checkin ", example)


def test_checkin_ids_follow_the_period_given(example):
    q3 = complete("okr checkin --period 2026-Q3 ", example)
    assert "alert-noise" in q3  # a KR of 2026-Q3
    assert "p99-latency" not in q3  # 2026-Q4's
    assert "api-uptime" in q3  # KPIs have no period


def test_history_offers_every_period_and_the_kpis(example):
    ids = complete("okr history ", example)
    assert {"alert-noise", "p99-latency", "uptime-held", "api-uptime"} <= set(ids)
    assert len(ids) == len(set(ids))


def test_teams_periods_owners_and_choices(example):
    assert complete("okr scorecard --team ", example) == [
        "company",
        "engineering",
        "platform",
        "growth",
        "support",
    ]
    assert complete("okr tree --period 2026", example) == ["2026-Q4", "2026-Q3", "2026"]
    assert complete("okr plan 20", example)[0] == "2027-Q1"  # the quarter after the latest
    assert complete("okr checkin --owner ", example) == [
        "alice",
        "bob",
        "dana",
        "erin",
        "gus",
        "mia",
        "sam",
    ]
    assert complete("okr scorecard -f ", example) == ["table", "json", "markdown", "csv"]
    assert complete("okr schema ", example) == ["settings", "plan", "kpi", "journal"]
    assert complete("okr checkin runbooks ", example) == ["done", "false"]  # a milestone


def test_titles_are_descriptions_where_the_shell_shows_them(example):
    zsh = "\n".join(complete("okr checkin p99", example, "zsh"))
    assert '"p99-latency":"Cut API p99 latency · KR 2026-Q4"' in zsh
    fish = complete("okr scorecard --team plat", example, "fish")
    assert fish == ["platform\tPlatform"]


def test_revisions_for_diff(example):
    git_init(example)
    commit(example, "initial")
    git(example, "tag", "okr/2026-Q3")
    git(example, "branch", "plan-2027")
    offered = complete("okr diff ", example)
    assert offered[:2] == ["HEAD", "HEAD~1"]
    assert {"main", "plan-2027", "okr/2026-Q3"} <= set(offered)
    assert complete("okr diff HEAD okr/", example) == ["okr/2026-Q3"]


def test_the_real_executable_with_a_root_on_the_line_or_in_the_environment(example, tmp_path):
    assert complete_with_the_executable("okr ch", tmp_path) == ["checkin"]
    line = f"okr --root {example} checkin p99"
    assert complete_with_the_executable(line, tmp_path) == ["p99-latency"]
    line = "okr checkin p99"
    assert complete_with_the_executable(line, tmp_path, OKR_ROOT=str(example)) == ["p99-latency"]
    assert complete(f"okr scorecard --root {example} --team pl", tmp_path) == ["platform"]


def test_no_workspace_or_a_broken_one_offers_what_it_can_quietly(example, tmp_path):
    assert complete("okr checkin ", tmp_path) == []  # no okr.yaml anywhere: no error
    write_tree(example, {"okrs/2026-Q4/broken.yaml": "team: [unclosed\n"})
    assert complete("okr checkin p99", example) == ["p99-latency"]


# --- a real bash -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_completes_in_a_real_bash(example):
    script = subprocess.run(
        [OKR], env=environment(_OKR_COMPLETE="source_bash"), capture_output=True, text=True
    ).stdout
    assert "complete -o default -F _okr_completion okr" in script
    probe = (
        f"{script}\n"
        'ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _okr_completion okr; '
        'echo "${COMPREPLY[*]}"; }\n'
        "ask okr ch\n"
        "ask okr checkin p99\n"
        "ask okr checkin p99-latency 580ms -c 70% --a\n"
        "okr checkin p99-latency 580ms -c 70% --at 2026-11-21\n"
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", probe], cwd=example, env=environment(), capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["checkin", "p99-latency", "--at"]
    assert "p99-latency: 620 → 580 ms" in done.stdout


def test_show_completion_prints_the_script_for_each_shell(example):
    env = environment(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    for shell, marker in [
        ("bash", "complete -o default -F _okr_completion okr"),
        ("zsh", "compdef _okr_completion okr"),
        ("fish", "complete --command okr"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName okr"),
    ]:
        done = subprocess.run(
            [OKR, "--show-completion", shell], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert marker in done.stdout


# --- definitions only, from the parse cache -----------------------------------------------------

PROBE = """
import os, sys
sys.argv = ["okr"]
from okrcli.launch import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in ("okrcli.reader", "okrcli.journal", "okrcli.models", "git")
                          if m in sys.modules))
"""


def test_a_warm_completion_reads_no_journal_and_builds_no_models(example, tmp_path):
    env = environment(
        OKR_CACHE_DIR=str(tmp_path / "cache"), _OKR_COMPLETE="complete_bash",
        COMP_WORDS="okr checkin p99", COMP_CWORD="2",
    )  # fmt: skip
    runs = [
        subprocess.run(
            [sys.executable, "-c", PROBE], cwd=example, env=env, capture_output=True, text=True
        ).stdout.splitlines()
        for _ in range(2)
    ]
    cold, warm = runs
    assert cold[0] == warm[0] == "p99-latency"
    assert "okrcli.reader" in cold[-1]  # the first run reads the files and fills the cache
    assert warm[-1] == "LOADED:"  # the second reads the cache: no reader, journal or models


def test_definitions_of_the_example(example):
    defs = read_definitions(example)
    assert defs.teams["platform"] == "Platform"
    assert defs.periods == {"2026", "2026-Q3", "2026-Q4"}
    assert defs.kpis["api-uptime"] == "API uptime"
    p99 = [kr for kr in defs.key_results if kr.id == "p99-latency"]
    assert [(kr.period, kr.title) for kr in p99] == [("2026-Q4", "Cut API p99 latency")]
    assert "bob" in defs.owners


def test_install_completion_writes_the_script_and_sources_it(tmp_path):
    env = environment(HOME=str(tmp_path), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    done = subprocess.run(
        [OKR, "--install-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "okr.sh"
    assert "_OKR_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


def test_the_completion_page_is_current(example):
    from helpers import REPO

    text = (REPO / "docs" / "completion.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish", "PowerShell", "okr --install-completion"):
        assert shell in text
    block = text.split("here in the bundled example\n(`examples/acme`):\n\n```console\n")[1]
    block = block.split("```")[0]
    commands = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    assert len(commands) == 4
    shown = block
    for command in commands:
        done = subprocess.run(
            ["bash", "--norc", "-c", command], cwd=example, env=environment(),
            capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert f"$ {command}\n{done.stdout}" in shown, command
