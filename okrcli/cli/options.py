"""Options shared by the commands, declared once, and the parsers that check them.

Each parser runs before anything is loaded or written: a malformed option is a usage
error (exit 2) whatever the state of the workspace.  The global state (``--root``,
``--debug``) lives on typer's context, not in a module global.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated

import typer

from okrcli.errors import UsageError

# --- global state ------------------------------------------------------------------------


@dataclass
class State:
    root: str | None = None  # --root given on the command line (OKR_ROOT is read later)
    debug: bool = False


def state_of(ctx: typer.Context | None) -> State:
    """The state of the command line ``ctx`` belongs to (set by the global options)."""
    obj = ctx.obj if ctx is not None else None
    return obj if isinstance(obj, State) else State()


def root_of(ctx: typer.Context, local: str | None) -> str | None:
    """The workspace root given on the command, else the global ``--root``."""
    return local if local is not None else state_of(ctx).root


# --- option types ---------------------------------------------------------------------------

Root = Annotated[
    str | None,
    typer.Option(
        "--root", metavar="DIR", help="Workspace root (same as the global --root option)."
    ),
]

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Judge as of this date (default: today)."),
]

Period = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="PERIOD",
        help="A quarter like 2026-Q4 or a year like 2026 (default: the quarter of the as-of date).",
    ),
]

Team = Annotated[
    str | None,
    typer.Option("--team", metavar="TEAM", help="Only this team and the teams under it."),
]


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class ScorecardFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


class TreeFormat(str, Enum):
    text = "text"
    json = "json"


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class CloseFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class SchemaKind(str, Enum):
    settings = "settings"
    plan = "plan"
    kpi = "kpi"
    journal = "journal"


# --- parsers --------------------------------------------------------------------------------


def parse_as_of(text: str | None, option: str = "--as-of") -> date | None:
    """``--as-of``: a date like 2026-11-22; None when not given."""
    from okrcli.timeutil import OutOfRange, parse_day

    if text is None:
        return None
    try:
        return parse_day(text)
    except OutOfRange as e:
        raise UsageError(f"{option}: {e}") from None
    except ValueError:
        raise UsageError(f"{option} takes a date like 2026-11-22, not {text!r}") from None


def check_period(text: str | None, option: str | None = "--period") -> str | None:
    """A period as written (``2026-Q4``, ``2026``); its fiscal dates need the settings, so
    only its form is checked here.  ``option`` None: the command's PERIOD argument."""
    from okrcli.periods import FORM as like
    from okrcli.periods import parse_period

    if text is None:
        return None
    text = text.strip()
    if parse_period(text) is None:
        if option is None:
            raise UsageError(f"{text!r} is not a period; write {like}")
        raise UsageError(f"{option} takes {like}, not {text!r}")
    return text
