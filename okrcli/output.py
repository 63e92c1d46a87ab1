"""Output policy: data to stdout, messages and diagnostics to stderr.

Colour follows the terminal and ``NO_COLOR`` (rich honours it); nothing here decides what
a command prints, only where and how.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def out(text: str) -> None:
    """Write data to stdout."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


_messages = 0


def err(text: str) -> None:
    """Write a message to stderr."""
    global _messages
    _messages += 1
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def messages() -> int:
    """How many messages ``err`` has written (a report that said something on stderr is
    not kept for replay)."""
    return _messages


def console(stderr: bool = False) -> Console:
    """A rich console for tables; width follows the terminal (80 when not a terminal)."""
    from rich.console import Console

    con = Console(stderr=stderr, highlight=False, soft_wrap=False)
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
