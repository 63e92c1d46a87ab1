"""Options shared by the commands, declared once, and the parsers that check them.

Each parser runs before anything is loaded or written: a malformed option is a usage
error (exit 2) whatever the state of the workspace.  The global state (``--root``,
``--debug``) lives on typer's context, not in a module global.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any

import typer

import okrcli.cli.completion as completion
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
#
# One placeholder style: ID, VALUE, PERIOD, DATE, TEAM, NAME, FILE, DIR, FORMAT, REV, TEXT.
# Values a workspace knows are offered on <TAB> (``okrcli.cli.completion``).

Root = Annotated[
    str | None,
    typer.Option(
        "--root", metavar="DIR", help="Workspace root (same as the global --root option)."
    ),
]

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge as of this day: 2026-11-22, today, yesterday, monday, -3d (default: today).",
    ),
]

Period = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="PERIOD",
        help="A quarter like 2026-Q4 or a year like 2026 (default: the quarter of the as-of date).",
        autocompletion=completion.periods,
    ),
]

Owner = Annotated[
    str | None,
    typer.Option(
        "--owner",
        metavar="NAME",
        help="Only what this person owns.",
        autocompletion=completion.owners,
    ),
]

Status = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="LIST",
        help="Only these statuses, comma-separated: done, on_track, at_risk, off_track, "
        "no_data (KRs, objectives), green, yellow, red (KPIs).",
    ),
]

Team = Annotated[
    str | None,
    typer.Option(
        "--team",
        metavar="TEAM",
        help="Only this team and the teams under it.",
        autocompletion=completion.teams,
    ),
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


class ReportFormat(str, Enum):
    """The formats of the reports people paste into a pull request or meeting notes."""

    table = "table"
    json = "json"
    markdown = "markdown"


# okr diff, okr close and okr review read alike; each view keeps its own name
DiffFormat = CloseFormat = ReviewFormat = ReportFormat


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class SchemaKind(str, Enum):
    settings = "settings"
    plan = "plan"
    kpi = "kpi"
    journal = "journal"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


FORMAT_HELP = {
    "table": "for people (the default)",
    "text": "for people (the default)",
    "json": "for programs",
    "markdown": "for a pull request or a wiki",
    "csv": "for a spreadsheet",
    "github": "GitHub Actions annotations",
}


def format_option(kind: type[Enum]) -> Any:
    """``-f/--format FORMAT`` with ``kind``'s values (the first is the default), in any
    case; checked by ``check_choice`` when the command runs."""
    values = [str(m.value) for m in kind]
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"{', '.join(values[:-1])} or {values[-1]} (default: {values[0]}).",
        autocompletion=completion.choices(kind, FORMAT_HELP),
        show_default=False,
    )


# --- parsers --------------------------------------------------------------------------------


def parse_as_of(text: str | None, option: str = "--as-of") -> date | None:
    """``--as-of``: a date like 2026-11-22, or ``today``, ``yesterday``, ``monday``, ``-3d``
    (``okrcli.timeutil.parse_day_text``); None when not given."""
    from okrcli import timeutil
    from okrcli.timeutil import OutOfRange

    if text is None:
        return None
    try:
        return timeutil.parse_day_text(text, timeutil.today())
    except OutOfRange as e:
        raise UsageError(f"{option}: {e}") from None
    except ValueError:
        raise UsageError(
            f"{option} takes a date like 2026-11-22 (or today, yesterday, monday, -3d), "
            f"not {text!r}"
        ) from None


def check_period(text: str | None, option: str | None = "--period") -> str | None:
    """A period as written (``2026-Q4``, ``2026``, in any case: ``2026-q4``), upper-cased;
    its fiscal dates need the settings, so only its form is checked here.  ``option``
    None: the command's PERIOD argument."""
    from okrcli.periods import FORM as like
    from okrcli.periods import parse_period

    if text is None:
        return None
    text = text.strip().upper()
    if parse_period(text) is None:
        if option is None:
            raise UsageError(f"{text!r} is not a period; write {like}")
        raise UsageError(f"{option} takes {like}, not {text!r}")
    return text


def parse_statuses(text: str | None) -> frozenset[str] | None:
    """``--status at_risk,off_track``: a set of status words (``at risk`` and
    ``at-risk`` are read as ``at_risk``)."""
    from okrcli.scoring import STATUSES
    from okrcli.suggest import suggest

    if text is None:
        return None
    wanted = set()
    for part in text.split(","):
        word = part.strip().lower().replace(" ", "_").replace("-", "_")
        if not word:
            continue
        if word not in STATUSES:
            raise UsageError(
                f"--status: '{part.strip()}' is no status{suggest(word, STATUSES)} "
                f"(statuses: {', '.join(STATUSES)})"
            )
        wanted.add(word)
    if not wanted:
        raise UsageError("--status takes status words, like --status at_risk,off_track")
    return frozenset(wanted)


def check_choice(text: str, kind: type[Enum], option: str = "--format") -> str:
    """One of ``kind``'s values, in any case (``-f JSON``); a usage error that names the
    choices and the nearest one otherwise."""
    from okrcli.suggest import suggest

    choices = [str(member.value) for member in kind]
    word = text.strip().lower()
    if word in choices:
        return word
    raise UsageError(
        f"{option} takes {', '.join(choices[:-1])} or {choices[-1]}, not {text!r}"
        f"{suggest(word, choices)}"
    )
