"""Output policy: data to stdout, messages and diagnostics to stderr.

Colour follows the terminal and ``NO_COLOR`` (rich honours it); nothing here decides what
a command prints, only where and how.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from okrcli.errors import InvalidFiles, OkrError

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

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def report_error(error: OkrError) -> None:
    if isinstance(error, InvalidFiles):
        from okrcli.render.diagnostics import render_text

        err(render_text(error.diagnostics))
        return
    err(f"okr: error: {error}")
