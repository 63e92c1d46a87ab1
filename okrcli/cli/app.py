"""The ``okr`` typer application: global options and one thin function per command.

Each function declares its options (the shared ones come from ``okrcli.cli.options``),
checks their form, and hands over to ``okrcli.commands.<name>``, imported only when that
command runs, so ``okr --help`` and ``okr --version`` stay light.  ``boundary``
(``okrcli.cli.errors``) turns whatever happens into the exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from okrcli._version import __version__
from okrcli.cli.errors import boundary
from okrcli.cli.options import (
    AsOf,
    CloseFormat,
    DiffFormat,
    HistoryFormat,
    Period,
    Root,
    SchemaKind,
    ScorecardFormat,
    State,
    Team,
    TreeFormat,
    ValidateFormat,
    check_period,
    parse_as_of,
    root_of,
)

app = typer.Typer(
    name="okr",
    help="A goal tracker over plain files: OKRs and KPIs as YAML in git.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"okr {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
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
    ctx.obj = State(root=root, debug=debug)


@app.command()
@boundary
def validate(
    ctx: typer.Context,
    fmt: Annotated[
        ValidateFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Check every goal file; silent with exit 0 when all is well."""
    from okrcli.commands.validate import validate as command

    return command(root_of(ctx, root), fmt.value, strict=strict, as_of=parse_as_of(as_of))


@app.command()
@boundary
def init(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to create the workspace (default: here).")
    ] = Path("."),
    example: Annotated[
        bool, typer.Option("--example", help="Write the complete worked example organisation.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a folder that is already in a workspace (never overwrites)."
        ),
    ] = False,
) -> int:
    """Scaffold a workspace; never overwrites an existing file."""
    from okrcli.commands.init import init as command

    return command(directory, example=example, force=force)


@app.command()
@boundary
def schema(
    ctx: typer.Context,
    kind: Annotated[
        SchemaKind | None,
        typer.Argument(
            metavar="KIND",
            case_sensitive=False,
            help="settings, plan, kpi or journal (default: all four, keyed by kind).",
        ),
    ] = None,
) -> int:
    """Print the JSON Schema of okr's files (for editors and CI)."""
    from okrcli.commands.schema import schema as command

    return command(kind.value if kind else None)


@app.command()
@boundary
def scorecard(
    ctx: typer.Context,
    period: Period = None,
    team: Team = None,
    fmt: Annotated[
        ScorecardFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = ScorecardFormat.table,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Where the period's OKRs and the KPIs stand: progress, pace, status, trend."""
    from okrcli.commands.scorecard import scorecard as command

    return command(
        root_of(ctx, root),
        period=check_period(period),
        team=team,
        as_of=parse_as_of(as_of),
        fmt=fmt.value,
    )


@app.command()
@boundary
def tree(
    ctx: typer.Context,
    period: Period = None,
    fmt: Annotated[
        TreeFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = TreeFormat.text,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """The alignment tree: objectives under the ones they align to, with roll-up progress."""
    from okrcli.commands.tree import tree as command

    return command(
        root_of(ctx, root), period=check_period(period), as_of=parse_as_of(as_of), fmt=fmt.value
    )


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
    note: Annotated[
        str | None, typer.Option("--note", "-m", metavar="TEXT", help="A short note.")
    ] = None,
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
        typer.Option(
            "--team", metavar="TEAM", help="Ask about this team's KRs and KPIs (with sub-teams)."
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", metavar="NAME", help="Ask about the KRs this person owns."),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the journal file(s) written, nothing else.")
    ] = False,
    root: Root = None,
) -> int:
    """Record a new value of a KR or KPI; with no ID on a terminal, ask for each."""
    from okrcli.commands.checkin import checkin as command

    return command(
        root_of(ctx, root),
        id_,
        value,
        confidence=confidence,
        note=note,
        at=at,
        by=by,
        period=check_period(period),
        team=team,
        owner=owner,
        commit_it=commit,
        extra=list(ctx.args),
    )


@app.command("import")
@boundary
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A CSV file: id,at,value[,confidence,by,note,period]."),
    ],
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the journal file(s) written, nothing else.")
    ] = False,
    root: Root = None,
) -> int:
    """Append check-ins from a CSV file: every row is checked first, all or nothing."""
    from okrcli.commands.import_ import import_checkins as command

    return command(root_of(ctx, root), file, commit_it=commit)


@app.command()
@boundary
def diff(
    ctx: typer.Context,
    rev_a: Annotated[
        str | None, typer.Argument(metavar="REV_A", help="Older revision (default: HEAD).")
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(metavar="REV_B", help="Newer revision (default: the working tree)."),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = DiffFormat.table,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Date of the working tree's changes, for goal-post checks (default: today).",
        ),
    ] = None,
    root: Root = None,
) -> int:
    """What changed in plans and KPIs between two revisions (default: HEAD and the working
    tree)."""
    from okrcli.commands.diff import diff as command

    return command(root_of(ctx, root), rev_a, rev_b, fmt.value, as_of=parse_as_of(as_of))


@app.command()
@boundary
def plan(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Argument(metavar="PERIOD", help="The period to plan, like 2027-Q1.")
    ],
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
    from okrcli.commands.plan import plan as command

    return command(
        root_of(ctx, root),
        check_period(period, None) or period,
        from_text=check_period(source, "--from"),
        dry_run=dry_run,
        as_of=parse_as_of(as_of),
    )


@app.command()
@boundary
def close(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Argument(metavar="PERIOD", help="The period to grade, like 2026-Q3.")
    ],
    fmt: Annotated[
        CloseFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = CloseFormat.table,
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
    from okrcli.commands.close import close as command

    return command(
        root_of(ctx, root),
        check_period(period, None) or period,
        fmt.value,
        tag=tag,
        write=write,
        as_of=parse_as_of(as_of),
    )


@app.command()
@boundary
def history(
    ctx: typer.Context,
    id_: Annotated[str, typer.Argument(metavar="ID", help="A key result or KPI id.")],
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help="The key result's period."),
    ] = None,
    fmt: Annotated[
        HistoryFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = HistoryFormat.table,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Every value of a key result or KPI over time, its forecast and, in git, every change
    of its definition."""
    from okrcli.commands.history import history as command

    return command(
        root_of(ctx, root),
        id_,
        period=check_period(period),
        fmt=fmt.value,
        as_of=parse_as_of(as_of),
    )


def main() -> None:
    app()
