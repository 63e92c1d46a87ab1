"""Start-up stays light: --version and --help load neither gitpython nor pydantic."""

from __future__ import annotations

import os
import subprocess
import sys

from okrcli import __version__

PROBE = (
    "import sys\n"
    "sys.argv = ['okr', {arg!r}]\n"
    "from okrcli.launch import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('LOADED:' + ','.join(m for m in ('typer', 'pydantic', 'git') if m in sys.modules))\n"
)


def _loaded(arg: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(arg=arg)], capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    return "\n".join(lines[:-1]), lines[-1].removeprefix("LOADED:")


def test_version_answers_without_the_cli_framework():
    shown, loaded = _loaded("--version")
    assert shown == f"okr {__version__}"
    assert loaded == ""


def test_help_loads_typer_only():
    shown, loaded = _loaded("--help")
    assert "Usage: okr" in shown
    assert loaded == "typer"


def test_version_is_the_same_through_the_cli(okr):
    result = okr("--version")
    assert result.stdout == f"okr {__version__}\n"


def test_python_dash_m():
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", "--version"], capture_output=True, text=True
    )
    assert done.stdout == f"okr {__version__}\n"


def test_help_from_unbuilt_commands_reads_as_the_whole_application():
    """``okr --help`` lists the commands from their definitions without building them
    (``OkrGroup.defer``); it reads exactly as the application built whole."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    eager = "import sys; from okrcli.cli.app import app; sys.argv[0] = 'okr'; app()"
    shown, whole = (
        subprocess.run([*command, "--help"], capture_output=True, text=True, env=env).stdout
        for command in ([sys.executable, "-m", "okrcli"], [sys.executable, "-c", eager])
    )
    assert "checkin" in shown and shown.splitlines()[1:] == whole.splitlines()[1:]
