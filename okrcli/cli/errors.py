"""The error boundary: every outcome of a command becomes an exit code here, and only here.

SPEC §6: 0 success; 1 the files have errors (``InvalidFiles`` and other ``OkrError`` s that
are not usage errors); 2 a usage error or no workspace; 3 an internal error (a bug); 130
interrupted.  A closed output pipe (``okr scorecard | head -1``) is not an error: okr stops
quietly with 0.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from okrcli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, InvalidFiles, OkrError

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled(ctx: typer.Context | None) -> bool:
    """Whether internal errors show their traceback (``--debug`` or ``OKR_DEBUG``)."""
    from okrcli.cli.options import state_of

    return state_of(ctx).debug or bool(os.environ.get("OKR_DEBUG"))


def report_error(error: OkrError) -> None:
    """Say what went wrong on stderr: the diagnostics of invalid files, else one line."""
    from okrcli.output import err
    from okrcli.render.text import shown

    if isinstance(error, InvalidFiles):
        from okrcli.render.diagnostics import render_text

        err(render_text(error.diagnostics))
        return
    err(f"okr: error: {shown(str(error))}")  # one line, whatever the user typed


def closed_pipe() -> None:
    """stdout was closed by the reader: stop quietly, and keep Python from complaining
    about the unflushed rest when it exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (captured in tests)
        pass


def boundary(func: F) -> F:
    """Run a command: its exit code, or the code of what it raised (see the module)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, where it can be handled
        except OkrError as e:
            report_error(e)
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            sys.stderr.write("\nokr: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            closed_pipe()
            raise typer.Exit(0) from None
        except Exception as e:
            ctx = next((a for a in (*args, *kwargs.values()) if isinstance(a, typer.Context)), None)
            if debug_enabled(ctx):
                raise
            from okrcli.render.text import shown

            sys.stderr.write(
                f"okr: internal error: {type(e).__name__}: {shown(str(e))}\n"
                "This is a bug in okr. Please report it with the command you ran; "
                "set OKR_DEBUG=1 (or pass --debug) to see the traceback.\n"
            )
            raise typer.Exit(EXIT_INTERNAL) from None
        raise typer.Exit(code or 0)

    return wrapper  # type: ignore[return-value]
