"""The ``okr`` command line: global options, one error boundary, thin commands.

Each command parses its options here and hands over to ``okrcli.commands.<name>.run``,
imported only when that command runs, so ``okr --help`` and ``okr --version`` stay light.
"""

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from okrcli import __version__
from okrcli.errors import EXIT_ERRORS, OkrError

app = typer.Typer(
    name="okr",
    help="A goal tracker over plain files: OKRs and KPIs as YAML in git.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class State:
    root: str | None = None
    debug: bool = False


state = State()


def _debug_enabled() -> bool:
    return state.debug or bool(os.environ.get("OKR_DEBUG"))


def boundary(func: F) -> F:
    """The error boundary: OkrError -> its message and exit code; anything else -> a bug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
        except OkrError as e:
            from okrcli.output import report_error

            report_error(e)
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:
            if _debug_enabled():
                raise
            sys.stderr.write(
                f"okr: internal error: {type(e).__name__}: {e}\n"
                "This is a bug in okr. Please report it with the command you ran; "
                "set OKR_DEBUG=1 (or pass --debug) to see the traceback.\n"
            )
            raise typer.Exit(EXIT_ERRORS) from None
        raise typer.Exit(code or 0)

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"okr {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        str | None,
        typer.Option(
            "--root",
            metavar="DIR",
            help="Workspace root (default: nearest folder with okr.yaml; or $OKR_ROOT).",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    state.root = root
    state.debug = debug


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


Root = Annotated[
    str | None,
    typer.Option(
        "--root", metavar="DIR", help="Workspace root (same as the global --root option)."
    ),
]


def root_of(local: str | None) -> str | None:
    """The workspace root given on the command, else the global option."""
    return local if local is not None else state.root


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="Judge as of this date (default: today)."),
]


@app.command()
@boundary
def validate(
    fmt: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Check every goal file; silent with exit 0 when all is well."""
    from okrcli.commands import validate as cmd

    return cmd.run(root_of(root), fmt.value, strict=strict, as_of=as_of)


@app.command()
@boundary
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the workspace (default: here).")
    ] = Path("."),
    example: Annotated[
        bool, typer.Option("--example", help="Write the complete worked example organisation.")
    ] = False,
) -> int:
    """Scaffold a workspace; never overwrites an existing file."""
    import okrcli.commands.init as cmd

    return cmd.run(directory, example=example)


class SchemaKind(str, Enum):
    settings = "settings"
    plan = "plan"
    kpi = "kpi"
    journal = "journal"


@app.command()
@boundary
def schema(
    kind: Annotated[
        SchemaKind | None,
        typer.Argument(help="Which file's schema (default: all four, keyed by kind)."),
    ] = None,
) -> int:
    """Print the JSON Schema of okr's files (for editors and CI)."""
    from okrcli.commands import schema as cmd

    return cmd.run(kind.value if kind else None)


class ScorecardFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


@app.command()
@boundary
def scorecard(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="2026-Q4 or 2026 (default: the quarter of the as-of date).",
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", metavar="TEAM", help="Only this team and the teams under it."),
    ] = None,
    fmt: Annotated[
        ScorecardFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScorecardFormat.table,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Where the period's OKRs and the KPIs stand: progress, pace, status, trend."""
    from okrcli.commands import scorecard as cmd

    return cmd.run(root_of(root), period=period, team=team, as_of=as_of, fmt=fmt.value)


class TreeFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
@boundary
def tree(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="2026-Q4 or 2026 (default: the quarter of the as-of date).",
        ),
    ] = None,
    fmt: Annotated[TreeFormat, typer.Option("--format", "-f", help="Output format.")] = (
        TreeFormat.text
    ),
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """The alignment tree: objectives under the ones they align to, with roll-up progress."""
    from okrcli.commands import tree as cmd

    return cmd.run(root_of(root), period=period, as_of=as_of, fmt=fmt.value)


@app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@boundary
def checkin(
    ctx: typer.Context,
    id_: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="The KR or KPI (leave out to be asked on a terminal)."),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="VALUE", help="The new value; a milestone also takes done/true/false."
        ),
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option("--confidence", "-c", metavar="C", help="0 to 1, or a percentage: 70%."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-m", help="A short note.")] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="WHEN", help="ISO date or date-time (default: now, UTC)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="WHO", help="Who (default: git user.name, else login)."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The plan the KR belongs to (or the period to ask about).",
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="Ask about this team's KRs and KPIs (with sub-teams)."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Ask about the KRs this person owns.")
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the journal file(s) written, nothing else.")
    ] = False,
    root: Root = None,
) -> int:
    """Record a new value of a KR or KPI; with no ID on a terminal, ask for each."""
    from okrcli.commands import checkin as cmd

    return cmd.run(
        root_of(root),
        id_,
        value,
        confidence=confidence,
        note=note,
        at=at,
        by=by,
        period=period,
        team=team,
        owner=owner,
        commit_it=commit,
        extra=list(ctx.args),
    )


@app.command("import")
@boundary
def import_(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE.csv", help="Columns id,at,value[,confidence,by,note,period]."),
    ],
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the journal file(s) written, nothing else.")
    ] = False,
    root: Root = None,
) -> int:
    """Append check-ins from a CSV file: every row is checked first, all or nothing."""
    from okrcli.commands import import_ as cmd

    return cmd.run(root_of(root), file, commit_it=commit)


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
@boundary
def diff(
    rev_a: Annotated[
        str | None, typer.Argument(metavar="REV_A", help="Older revision (default: HEAD).")
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(metavar="REV_B", help="Newer revision (default: the working tree)."),
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = (
        DiffFormat.table
    ),
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Date of the working tree's changes, for goal-post checks (default: today).",
        ),
    ] = None,
    root: Root = None,
) -> int:
    """What changed in plans and KPIs between two revisions (default: HEAD and the working
    tree)."""
    from okrcli.commands import diff as cmd

    return cmd.run(root_of(root), rev_a, rev_b, fmt.value, as_of=as_of)


@app.command()
@boundary
def plan(
    period: Annotated[str, typer.Argument(help="The period to plan, like 2027-Q1.")],
    source: Annotated[
        str | None,
        typer.Option("--from", metavar="PERIOD", help="Carry over from this period."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files instead of writing them.")
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Start a period's plan files with the unfinished objectives and KRs of the one before;
    never overwrites a file."""
    from okrcli.commands import plan as cmd

    return cmd.run(root_of(root), period, from_text=source, dry_run=dry_run, as_of=as_of)


@app.command()
@boundary
def close(
    period: Annotated[str, typer.Argument(help="The period to grade, like 2026-Q3.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = (
        DiffFormat.table
    ),
    tag: Annotated[
        bool, typer.Option("--tag", help="Tag HEAD as okr/PERIOD (annotated; never moved).")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Save the grades as grades/PERIOD.yaml.")
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Grade a period as of its last day: per key result, objective and team."""
    from okrcli.commands import close as cmd

    return cmd.run(root_of(root), period, fmt.value, tag=tag, write=write, as_of=as_of)


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
@boundary
def history(
    id_: Annotated[str, typer.Argument(metavar="ID", help="A key result or KPI id.")],
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help="The key result's period."),
    ] = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = (
        HistoryFormat.table
    ),
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Every value of a key result or KPI over time, its forecast and, in git, every change
    of its definition."""
    from okrcli.commands import history as cmd

    return cmd.run(root_of(root), id_, period=period, fmt=fmt.value, as_of=as_of)


def main() -> None:
    app()


# --- okr report ----------------------------------------------------------------------------


@app.command()
@boundary
def report(
    out: Annotated[
        str,
        typer.Option(
            "--out", "-o", metavar="DIR", help="The folder to write the site to (made if missing)."
        ),
    ] = "okr-report",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="2026-Q4 or 2026 (default: the quarter of the as-of date).",
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", metavar="TEAM", help="Only this team and the teams under it."),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Write the period's dashboard as a static HTML site that works offline."""
    from okrcli.commands import report as cmd

    return cmd.run(root_of(root), out=out, period=period, team=team, as_of=as_of)
