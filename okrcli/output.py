"""Output policy: data to stdout, messages and diagnostics to stderr.

Colour follows the terminal and ``NO_COLOR`` (rich honours it); nothing here decides what
a command prints, only where and how.  Rich never reads markup or emoji codes in what it
prints (``[/]`` or ``[link=…]`` in a title is text), and a stream that cannot encode
okr's glyphs (a Windows console, ``PYTHONIOENCODING=cp1252``) gets plain ASCII ones
instead of an error (``plain_streams``).
"""

from __future__ import annotations

import codecs
import contextlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def out(text: str) -> None:
    """Write data to stdout."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def err(text: str) -> None:
    """Write a message to stderr."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def console(stderr: bool = False) -> Console:
    """A rich console for tables; width follows the terminal (80 when not a terminal)."""
    from rich.console import Console

    con = Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False)
    con.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
    return con


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
