"""Colour (--color, NO_COLOR, FORCE_COLOR), the pager on a terminal, progress while a large
workspace loads: each only where a person is looking."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from helpers import AS_OF, REPO, Terminal

ESC = "\x1b["


def scorecard(okr, example, *options: str, env: dict[str, str] | None = None):
    return okr(*options, "--root", str(example), "scorecard", "--as-of", AS_OF, env=env)


# --- colour ----------------------------------------------------------------------------------


def test_colour_follows_the_terminal_by_default(okr, example):
    result = scorecard(okr, example, env={"NO_COLOR": ""})  # not a terminal: no colour
    assert result.exit_code == 0
    assert ESC not in result.stdout


def test_color_always_and_force_color_colour_a_pipe(okr, example):
    always = scorecard(okr, example, "--color", "always")  # NO_COLOR is set by the fixture
    assert ESC in always.stdout
    forced = scorecard(okr, example, env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert ESC in forced.stdout
    # the words are the same, colour aside
    plain = scorecard(okr, example)
    assert ESC not in plain.stdout
    assert "reliable-platform" in always.stdout and "reliable-platform" in plain.stdout


def test_color_never_wins_over_force_color(okr, example):
    result = scorecard(okr, example, "--color", "never", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert ESC not in result.stdout


def test_color_in_any_case(okr, example):
    assert ESC in scorecard(okr, example, "--color", "ALWAYS").stdout


# --- the pager -----------------------------------------------------------------------------

needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
PAGER = {"OKR_PAGER": "sed s/^/PAGED:/", "PAGER": None}


@needs_pty
def test_a_report_on_a_terminal_goes_through_the_pager(example):
    t = Terminal("--root", str(example), "scorecard", "--as-of", AS_OF, env=PAGER)
    code, text = t.finish()
    assert code == 0, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and all(line.startswith("PAGED:") for line in lines), text
    assert any("reliable-platform" in line for line in lines)


@needs_pty
def test_no_pager_and_a_cat_pager_write_to_the_terminal(example):
    for options, env in [(["--no-pager"], PAGER), ([], {"OKR_PAGER": "cat"})]:
        t = Terminal(*options, "--root", str(example), "tree", "--as-of", AS_OF, env=env)
        code, text = t.finish()
        assert code == 0, text
        assert "PAGED:" not in text
        assert "reliable-platform" in text


@needs_pty
def test_pager_falls_back_to_pager_then_less(example):
    t = Terminal(
        "--root", str(example), "history", "p99-latency", "--as-of", AS_OF,
        env={"OKR_PAGER": None, "PAGER": "sed s/^/FROM-PAGER:/"},
    )  # fmt: skip
    code, text = t.finish()
    assert code == 0, text
    assert "FROM-PAGER:" in text


@needs_pty
@pytest.mark.skipif(shutil.which("less") is None, reason="needs less")
def test_the_default_pager_is_less_that_quits_when_the_text_fits(example):
    # 200 rows: the scorecard fits, so less -F shows it and quits without a keypress
    t = Terminal(
        "--root", str(example), "scorecard", "--as-of", AS_OF,
        env={"OKR_PAGER": None, "PAGER": None, "LESS": None}, rows=200,
    )  # fmt: skip
    code, text = t.finish()
    assert code == 0, text
    assert "reliable-platform" in text


def test_never_a_pager_when_piped(example):
    env = dict(os.environ, PYTHONPATH=str(REPO), OKR_PAGER="sed s/^/PAGED:/", NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", "--root", str(example), "scorecard", "--as-of", AS_OF],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0
    assert "PAGED:" not in done.stdout
    assert "reliable-platform" in done.stdout


@needs_pty
def test_machine_formats_are_never_paged(example):
    t = Terminal("--root", str(example), "scorecard", "-f", "json", "--as-of", AS_OF, env=PAGER)
    code, text = t.finish()
    assert code == 0
    assert "PAGED:" not in text


# --- progress ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("large") / "ws"
    generate(root, scale=0.2, seed=5)
    return root


@needs_pty
def test_a_large_workspace_shows_a_transient_status_line_on_a_terminal(large):
    t = Terminal("--root", str(large), "validate", "--as-of", AS_OF, env={"OKR_PAGER": "cat"})
    code, text = t.finish()
    assert code == 0, text
    assert "reading " in text and " goal files" in text
    assert "\x1b[2K" in text or "\r" in text  # the line is erased when done


def test_no_status_line_when_stderr_is_not_a_terminal(large):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", "--root", str(large), "validate", "--as-of", AS_OF],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stderr == ""


@needs_pty
def test_a_small_workspace_shows_none(example):
    t = Terminal("--root", str(example), "validate", "--as-of", AS_OF)
    code, text = t.finish()
    assert code == 0
    assert text == ""


# --- laid-out lines --------------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["truecolor", None])
def test_lines_print_as_rich_text_would(colour):
    """``render.text.Line`` (the reports' lines) prints exactly as the rich ``Text`` of the
    same parts: the same styles on a colour terminal, the same text (rich's control
    characters dropped) without colour."""
    import io

    from rich.console import Console
    from rich.text import Text

    from okrcli.output import print_lines
    from okrcli.render.text import Line

    parts = [
        [("  ", ""), ("██░░", "green"), (" 40%  ", ""), ("on track", "green"), ("   ", "")],
        [("bell\x07 back\x08space\r tab\x0b feed\x0c esc\x1b[31m", "bold")],
        [],
        [("   ", "dim")],
    ]
    printed = []
    for kind in (Line, Text):
        lines = []
        for line_parts in parts:
            line = kind()
            for text, style in line_parts:
                line.append(text, style=style)
            line.rstrip()
            lines.append(line)
        sink = io.StringIO()
        con = Console(file=sink, color_system=colour, force_terminal=colour is not None, width=80)
        print_lines(con, lines)
        printed.append(sink.getvalue())
    assert printed[0] == printed[1]
    assert ("\x1b[32m" in printed[0]) == (colour is not None)  # green, when in colour
    from rich.control import STRIP_CONTROL_CODES  # which ones depends on rich's version

    assert not any(chr(code) in printed[0] for code in STRIP_CONTROL_CODES)
    assert "\r" not in printed[0]
