"""What a command does not need, it does not import: okr checkin reads git's user.name
without gitpython; validate answered from the result cache loads neither okr's models nor
YAML.  (typer itself imports pydantic to check every command's options.)"""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import git

PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['okr', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('okrcli', run_name='__main__')\n"
    "except SystemExit as e:\n    code = e.code\n"
    "mods = ('git', 'okrcli.models', 'okrcli.loader', 'yaml')\n"
    "print('LOADED:' + ','.join(m for m in mods if m in sys.modules))\n"
)


def _loaded(*args: str, cache: str) -> tuple[set[str], str]:
    env = {**os.environ, "OKR_CACHE_DIR": cache, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env
    )
    marked = [line for line in done.stdout.splitlines() if line.startswith("LOADED:")]
    assert marked, done.stderr
    return {m for m in marked[-1][len("LOADED:") :].split(",") if m}, done.stdout


def test_checkin_takes_git_user_name_without_gitpython(example, git_repo, tmp_path):
    git_repo(example)
    git(example, "config", "user.name", "Grace Hopper")
    loaded, _ = _loaded(
        "--root", str(example), "checkin", "api-uptime", "99.97", "--at", "2026-11-21",
        cache=str(tmp_path / "cache"),
    )  # fmt: skip
    assert "git" not in loaded
    assert '"by": "Grace Hopper"' in (example / "checkins/2026-11.yaml").read_text()


def test_validate_answered_from_the_kept_result_imports_no_pydantic(example, tmp_path):
    """The options are plain strings (``okrcli.cli.coercion``): no command-line adapter
    pulls in pydantic, and a run that validates nothing needs none of it."""
    cache = str(tmp_path / "cache")
    probe = PROBE.replace("'yaml')", "'yaml', 'pydantic', 'typer._adapters')")
    env = {**os.environ, "OKR_CACHE_DIR": cache, "NO_COLOR": "1"}
    args = [sys.executable, "-c", probe, "--root", str(example), "validate"]
    first = subprocess.run(args, capture_output=True, text=True, env=env)
    assert "pydantic" in first.stdout  # the first run checks the files with the models
    again = subprocess.run(args, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.strip() == "LOADED:"


def test_a_command_builds_only_its_own_options():
    """``okr`` builds each command when it is asked for (``OkrGroup.defer``)."""
    from okrcli.cli.app import command_group

    group = command_group()
    assert group.commands == {}
    assert group.main(["validate", "--help"], prog_name="okr", standalone_mode=False) == 0
    assert list(group.commands) == ["validate"]
