"""Output policy: data to stdout, messages and diagnostics to stderr; colour, pager, progress.

- Colour: ``--color auto`` (the default) follows the terminal, ``NO_COLOR`` and
  ``FORCE_COLOR`` (rich honours both); ``--color always`` and ``--color never`` decide
  whatever the environment says.
- Pager: long reports on a terminal go through a pager the way git's do: ``$OKR_PAGER``,
  else ``$PAGER``, else ``less`` with ``LESS=FRX`` (quit when the text fits on one screen,
  keep colours, leave the text on the screen).  Never when stdout is not a terminal, nor
  with ``--no-pager`` or a pager of ``cat`` or an empty string.
- Progress: a transient status line on stderr while a large workspace loads, only when
  stderr is a terminal.

Nothing here decides what a command prints, only where and how.  ``configure`` is called
once per command line by the global options (``okrcli.cli.app``).

Rich never reads markup or emoji codes in what it prints (``[/]`` or ``[link=…]`` in a
title is text), and a stream that cannot encode okr's glyphs (a Windows console,
``PYTHONIOENCODING=cp1252``) gets plain ASCII ones instead of an error (``plain_streams``).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

    from rich.console import Console

COLOR_CHOICES = ("auto", "always", "never")


@dataclass
class Policy:
    color: str = "auto"  # auto | always | never
    pager: bool = True
    # set while a pager reads stdout: what the terminal behind it is like
    paged_width: int | None = None


_policy = Policy()
_pager: subprocess.Popen[bytes] | None = None


def configure(*, color: str = "auto", pager: bool = True) -> None:
    """The output policy of this command line (``--color``, ``--no-pager``)."""
    global _policy
    _policy = Policy(color=color, pager=pager)


def out(text: str) -> None:
    """Write data to stdout."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def err(text: str) -> None:
    """Write a message to stderr."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def stderr_is_terminal() -> bool:
    """Whether messages go to a person's terminal (progress is shown only then)."""
    return _is_terminal(sys.stderr)


def console(stderr: bool = False) -> Console:
    """A rich console for tables; width follows the terminal (80 when not a terminal)."""
    from rich.console import Console

    options: dict[str, Any] = {}
    if _policy.color == "always":
        options.update(force_terminal=True, no_color=False)
    elif _policy.color == "never":
        options.update(no_color=True, color_system=None)
    elif os.environ.get("FORCE_COLOR") and not os.environ.get("NO_COLOR"):
        # FORCE_COLOR by okr itself: rich honours it only from version 12 on
        options.update(force_terminal=True)
    if not stderr and _policy.paged_width is not None:
        # stdout is the pager's pipe, the terminal is behind it
        options.setdefault("force_terminal", _policy.color != "never")
        options["width"] = _policy.paged_width
    con = Console(
        stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False, **options
    )
    con.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
    return con


def print_lines(con: Console, lines: Sequence[Any]) -> None:
    """Print laid-out lines (each already fitted to the width; ``okrcli.render.text.Line``
    or rich ``Text``) in one pass: one text of many lines costs rich far less than many
    one-line prints."""
    from rich.text import Text

    if con.color_system is None:  # nothing to style: the text itself, as rich would write it
        raw = (line.parts if hasattr(line, "parts") else ((line.plain, ""),) for line in lines)
        con.file.write(strip_controls("".join(_joined(parts) for parts in raw)))
        return
    made = (line.to_text() if hasattr(line, "to_text") else line for line in lines)
    con.print(Text("\n").join(made), soft_wrap=True)


@functools.cache
def _controls() -> re.Pattern[str]:
    from rich.control import STRIP_CONTROL_CODES

    return re.compile("[" + "".join(re.escape(chr(c)) for c in STRIP_CONTROL_CODES) + "]")


def strip_controls(text: str) -> str:
    """``text`` without the control characters rich drops from a text (bell, backspace,
    vertical tab, form feed, carriage return; okr's own escaping, ``shown``, has made
    everything else a user wrote visible), in one scan."""
    return _controls().sub("", text)


def _joined(parts: Any) -> str:
    return "".join(text for text, _ in parts) + "\n"


def _closed_pipe() -> None:
    # rich would exit 1 here; a closed pipe is the error boundary's to handle (exit 0)
    raise BrokenPipeError


def trimmed(draw: Callable[[Console], None]) -> str:
    """What ``draw`` prints on a console as wide as the terminal, without the trailing
    spaces rich pads table lines with."""
    con = console()
    with con.capture() as capture:
        draw(con)
    return "\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n"


# --- the pager ------------------------------------------------------------------------------------


def pager_command() -> list[str] | None:
    """The pager to run (``OKR_PAGER``, ``PAGER``, else ``less``), split into words; None
    for no pager (``cat``, an empty value, or a program that is not installed)."""
    import shlex
    import shutil

    for name in ("OKR_PAGER", "PAGER"):
        given = os.environ.get(name)
        if given is not None:
            break
    else:
        given = "less"
    try:
        words = shlex.split(given)
    except ValueError:
        return None
    if not words or words[0] == "cat" or shutil.which(words[0]) is None:
        return None
    return words


def page() -> None:
    """From here on, stdout goes through the pager, when on a terminal (see the module).

    Like git, okr starts the pager and points its own stdout at it; at exit it closes the
    pipe and waits for the pager to finish."""
    global _pager
    if _pager is not None or not _policy.pager or not _is_terminal(sys.stdout):
        return
    command = pager_command()
    if command is None:
        return
    import atexit
    import shutil
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    width = shutil.get_terminal_size().columns
    try:
        sys.stdout.flush()
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
        assert proc.stdin is not None
        os.dup2(proc.stdin.fileno(), sys.stdout.fileno())
        proc.stdin.close()
    except (OSError, ValueError):
        return  # no pager after all: write to the terminal
    _pager = proc
    _policy.paged_width = width
    atexit.register(_wait_for_pager)


def _wait_for_pager() -> None:
    global _pager
    proc, _pager = _pager, None
    if proc is None:
        return
    with suppress(OSError, ValueError):
        sys.stdout.flush()
    try:  # close okr's end of the pipe: the pager sees the end of the text
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    while True:
        try:
            proc.wait()
            return
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue


# --- progress -------------------------------------------------------------------------------------


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A transient status line on stderr while the block runs, when stderr is a terminal."""
    if not _is_terminal(sys.stderr):
        yield
        return
    con = console(stderr=True)
    with con.status(message, spinner="dots"):
        yield


# okr's own glyphs, and what stands in for them where the output cannot encode them
PLAIN_GLYPHS = {
    "█": "#", "░": ".", "▁": "_", "▂": "_", "▃": "-", "▄": "-", "▅": "=", "▆": "=",
    "▇": "#", "→": "->", "←": "<-", "↳": "->", "—": "-", "–": "-", "·": "-", "…": "...",
    "≥": ">=", "≤": "<=", "✓": "v", "⚠": "!", "×": "x", "─": "-", "━": "-", "│": "|",
    "┃": "|", "├": "|", "└": "`", "┌": "+", "┐": "+", "┘": "+", "┼": "+", "╇": "+",
    "┡": "+", "┩": "+", "╍": "-", "\ufe0f": "",
}  # fmt: skip
_PROBE = "█░▁→—·✓⚠…≥─│"


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(PLAIN_GLYPHS.get(c, "?") for c in bad), error.end


codecs.register_error("okr-plain", _plain)


def plain_streams() -> None:
    """Let stdout and stderr write what their encoding cannot: okr's glyphs as ASCII
    (``█`` -> ``#``, ``→`` -> ``->``), anything else as ``?``.  Streams that can encode
    the glyphs (UTF-8) are left alone."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if not encoding or reconfigure is None:
            continue
        try:
            _PROBE.encode(encoding)
            continue
        except UnicodeEncodeError:
            pass
        except LookupError:
            continue
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="okr-plain")
