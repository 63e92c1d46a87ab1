"""The ``okr`` typer application: global options and one thin function per command.

Each function declares its options (the shared ones come from ``okrcli.cli.options``),
checks their form, and hands over to ``okrcli.commands.<name>``, imported only when that
command runs, so ``okr --help`` and ``okr --version`` stay light.  ``boundary``
(``okrcli.cli.errors``) turns whatever happens into the exit code.  How help reads
(groups, examples, placeholders) is ``okrcli.cli.help``; what <TAB> offers is
``okrcli.cli.completion``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
import typer.models

import okrcli.cli.completion as completion
from okrcli._version import __version__
from okrcli.cli.errors import boundary, report_error
from okrcli.cli.help import PANELS, OkrCommand, OkrGroup, epilog, main_epilog
from okrcli.cli.options import (
    AsOf,
    CloseFormat,
    Color,
    DiffFormat,
    HistoryFormat,
    Owner,
    Period,
    ReviewFormat,
    Root,
    SchemaKind,
    ScorecardFormat,
    State,
    Status,
    Team,
    TreeFormat,
    ValidateFormat,
    check_choice,
    check_period,
    format_option,
    parse_as_of,
    parse_statuses,
    root_of,
)
from okrcli.errors import OkrError

RECORD, LOOK, QUARTER, SETUP = PANELS
LOADS = "OKR_ROOT, OKR_CACHE_DIR, OKR_NO_CACHE, OKR_DEBUG"
PRINTS = "NO_COLOR, FORCE_COLOR, OKR_PAGER, PAGER"

app = typer.Typer(
    name="okr",
    cls=OkrGroup,
    help="A goal tracker over plain files: OKRs and KPIs as YAML in git.",
    epilog=main_epilog(),
    add_completion=True,
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
    color: Annotated[
        str,
        typer.Option(
            "--color",
            metavar="WHEN",
            help="auto (the terminal, NO_COLOR, FORCE_COLOR decide), always or never.",
            autocompletion=completion.choices(Color),
            show_default=False,
        ),
    ] = "auto",
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Never page long output (default: page on a terminal)."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    from okrcli import output

    ctx.obj = State(root=root, debug=debug)
    try:
        chosen = check_choice(color, Color, "--color")
    except OkrError as e:  # outside any command's boundary: say it the same way
        report_error(e)
        raise typer.Exit(e.exit_code) from None
    output.configure(color=chosen, pager=not no_pager)


# --- record progress -----------------------------------------------------------------------


@app.command(
    cls=OkrCommand,
    rich_help_panel=RECORD,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    epilog=epilog(
        [
            ("okr checkin p99-latency 580ms -c 70%", "a value, with your confidence"),
            ('okr checkin runbooks done -m "all tier-1 done"', "a milestone, with a note"),
            ("okr checkin api-uptime 99.97 --at yesterday", "a KPI, measured yesterday"),
            ("okr checkin --team platform", "on a terminal: asked KR by KR"),
        ],
        LOADS,
        "docs/checkins.md",
    ),
)
@boundary
def checkin(
    ctx: typer.Context,
    id_: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="The KR or KPI (leave out to be asked on a terminal).",
            autocompletion=completion.checkin_ids,
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="VALUE",
            help="The new value, with or without its unit: 580, 580ms, 70%, 1,200; "
            "a milestone also takes done/true/false.",
            autocompletion=completion.checkin_values,
            show_default=False,
        ),
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option(
            "--confidence", "-c", metavar="CONFIDENCE", help="0 to 1, or a percentage: 70%."
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-m", metavar="TEXT", help="A short note.")
    ] = None,
    health: Annotated[
        str | None,
        typer.Option(
            "--health", metavar="H", help="KPIs: green, yellow or red, set by hand (with --note)."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help="When it was measured: 2026-11-21, 2026-11-21T10:30:00+01:00, yesterday, "
            "monday, -3d (default: now; a day alone is 00:00 UTC).",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Who (default: git user.name, else login)."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The plan the KR belongs to (or the period to ask about).",
            autocompletion=completion.periods,
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            "--team",
            metavar="TEAM",
            help="Ask about this team's KRs and KPIs (with sub-teams).",
            autocompletion=completion.teams,
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help="Ask about the KRs this person owns.",
            autocompletion=completion.owners,
        ),
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
        health=health,
        at=at,
        by=by,
        period=check_period(period),
        team=team,
        owner=owner,
        commit_it=commit,
        extra=list(ctx.args),
    )


@app.command(
    "import",
    cls=OkrCommand,
    rich_help_panel=RECORD,
    epilog=epilog(
        [
            ("okr import values.csv", "header row: id,at,value[,confidence,by,note,period]"),
            ("okr import values.csv --commit", "and commit the journal files written"),
        ],
        LOADS,
        "docs/checkins.md",
    ),
)
@boundary
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A CSV file (comma, semicolon or tab separated) with a header row: "
            "id,at,value and optionally confidence,by,note,period,health; - reads stdin.",
            show_default=False,
        ),
    ],
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the journal file(s) written, nothing else.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be appended; write nothing.")
    ] = False,
    root: Root = None,
) -> int:
    """Append check-ins from a CSV file: every row is checked first, all or nothing;
    records already in the journal are skipped."""
    from okrcli.commands.import_ import import_checkins as command

    return command(root_of(ctx, root), file, commit_it=commit, dry_run=dry_run)


# --- see where you stand -------------------------------------------------------------------


@app.command(
    cls=OkrCommand,
    rich_help_panel=LOOK,
    epilog=epilog(
        [
            ("okr scorecard", "the current quarter, every team"),
            ("okr scorecard --team platform --as-of monday", "one team, as of Monday"),
            ("okr scorecard --period 2026-Q3 -f markdown", "for a pull request or a wiki"),
            ("okr scorecard --status at_risk,off_track,red", "what the meeting discusses"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/scorecard.md, docs/scoring.md",
    ),
)
@boundary
def scorecard(
    ctx: typer.Context,
    period: Period = None,
    team: Team = None,
    owner: Owner = None,
    status: Status = None,
    fmt: Annotated[str, format_option(ScorecardFormat)] = "table",
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Where the period's OKRs and the KPIs stand: progress, pace, status, trend."""
    from okrcli.commands.scorecard import scorecard as command

    fmt = check_choice(fmt, ScorecardFormat)
    return command(
        root_of(ctx, root),
        period=check_period(period),
        team=team,
        owner=owner,
        statuses=parse_statuses(status),
        as_of=parse_as_of(as_of),
        fmt=fmt,
    )


@app.command(
    cls=OkrCommand,
    rich_help_panel=LOOK,
    epilog=epilog(
        [
            ("okr tree", "the current quarter under its year"),
            ("okr tree --period 2026 -f json", "the year, for programs"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/scorecard.md",
    ),
)
@boundary
def tree(
    ctx: typer.Context,
    period: Period = None,
    owner: Owner = None,
    status: Status = None,
    fmt: Annotated[str, format_option(TreeFormat)] = "text",
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """The alignment tree: objectives under the ones they align to, with roll-up progress."""
    from okrcli.commands.tree import tree as command

    fmt = check_choice(fmt, TreeFormat)
    return command(
        root_of(ctx, root),
        period=check_period(period),
        owner=owner,
        statuses=parse_statuses(status),
        as_of=parse_as_of(as_of),
        fmt=fmt,
    )


@app.command(
    cls=OkrCommand,
    rich_help_panel=LOOK,
    epilog=epilog(
        [
            ("okr review", "the last 7 days, every team"),
            ("okr review --team platform -f markdown", "to paste into the meeting notes"),
            ("okr review --since HEAD~3", "everything since a commit"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/review.md",
    ),
)
@boundary
def review(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Start of the window: a date, 7d, 2w, or a git revision (default: 7 days "
            "before the as-of date).",
        ),
    ] = None,
    as_of: AsOf = None,
    team: Team = None,
    owner: Owner = None,
    fmt: Annotated[str, format_option(ReviewFormat)] = "table",
    root: Root = None,
) -> int:
    """The weekly review: check-ins, status changes, KPIs that need attention, goal posts
    moved, and who owes a check-in."""
    from okrcli.commands.review import review as command

    fmt = check_choice(fmt, ReviewFormat)
    return command(
        root_of(ctx, root),
        since=since,
        as_of=parse_as_of(as_of),
        team=team,
        owner=owner,
        fmt=fmt,
    )


@app.command(
    cls=OkrCommand,
    rich_help_panel=LOOK,
    epilog=epilog(
        [
            ("okr report", "the dashboard of the current quarter, in okr-report/"),
            ("okr report --out site --period 2026-Q3", "an ended quarter, with its grades"),
        ],
        LOADS,
        "docs/report.md",
    ),
)
@boundary
def report(
    ctx: typer.Context,
    out: Annotated[
        str,
        typer.Option(
            "--out", "-o", metavar="DIR", help="The folder to write the site to (made if missing)."
        ),
    ] = "okr-report",
    period: Period = None,
    team: Team = None,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Write the period's dashboard as a static HTML site that works offline."""
    from okrcli.commands.report import report as command

    return command(
        root_of(ctx, root),
        out=out,
        period=check_period(period),
        team=team,
        as_of=parse_as_of(as_of),
    )


@app.command(
    cls=OkrCommand,
    rich_help_panel=LOOK,
    epilog=epilog(
        [
            ("okr history p99-latency", "every value, the forecast, definition changes"),
            ("okr history api-uptime -f csv", "a KPI's values for a spreadsheet"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/plans-in-git.md",
    ),
)
@boundary
def history(
    ctx: typer.Context,
    id_: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A key result or KPI id.",
            autocompletion=completion.history_ids,
            show_default=False,
        ),
    ],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The key result's period.",
            autocompletion=completion.periods,
        ),
    ] = None,
    fmt: Annotated[str, format_option(HistoryFormat)] = "table",
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Every value of a key result or KPI over time, its forecast and, in git, every change
    of its definition."""
    from okrcli.commands.history import history as command

    fmt = check_choice(fmt, HistoryFormat)
    return command(
        root_of(ctx, root),
        id_,
        period=check_period(period),
        fmt=fmt,
        as_of=parse_as_of(as_of),
    )


# --- plan and close a period ---------------------------------------------------------------


@app.command(
    cls=OkrCommand,
    rich_help_panel=QUARTER,
    epilog=epilog(
        [
            ("okr plan 2027-Q1 --dry-run", "print the next quarter's drafts"),
            ("okr plan 2027-Q1", "write them (never over an existing file)"),
        ],
        LOADS,
        "docs/plans-in-git.md",
    ),
)
@boundary
def plan(
    ctx: typer.Context,
    period: Annotated[
        str,
        typer.Argument(
            metavar="PERIOD",
            help="The period to plan, like 2027-Q1.",
            autocompletion=completion.new_periods,
            show_default=False,
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="PERIOD",
            help="Carry over from this period (default: the one before).",
            autocompletion=completion.periods,
        ),
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


@app.command(
    cls=OkrCommand,
    rich_help_panel=QUARTER,
    epilog=epilog(
        [
            ("okr diff", "the working tree against HEAD"),
            ("okr diff okr/2026-Q3 HEAD -f markdown", "since a closed period's tag"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/plans-in-git.md",
    ),
)
@boundary
def diff(
    ctx: typer.Context,
    rev_a: Annotated[
        str | None,
        typer.Argument(
            metavar="REV_A",
            help="Older revision, anything git rev-parse takes (default: HEAD).",
            autocompletion=completion.revisions,
            show_default=False,
        ),
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(
            metavar="REV_B",
            help="Newer revision (default: the working tree).",
            autocompletion=completion.revisions,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[str, format_option(DiffFormat)] = "table",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Date of the working tree's changes, for goal-post checks (default: today).",
        ),
    ] = None,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when the plans changed (like git diff)."),
    ] = False,
    fail_on_goalposts: Annotated[
        bool,
        typer.Option(
            "--fail-on-goalposts",
            help="Exit 1 when a start or target moved after its period began.",
        ),
    ] = False,
    root: Root = None,
) -> int:
    """What changed in plans and KPIs between two revisions (default: HEAD and the working
    tree)."""
    from okrcli.commands.diff import diff as command

    fmt = check_choice(fmt, DiffFormat)
    return command(
        root_of(ctx, root),
        rev_a,
        rev_b,
        fmt,
        as_of=parse_as_of(as_of),
        exit_code=exit_code,
        fail_on_goalposts=fail_on_goalposts,
    )


@app.command(
    cls=OkrCommand,
    rich_help_panel=QUARTER,
    epilog=epilog(
        [
            ("okr close 2026-Q3", "the grades, per KR, objective and team"),
            ("okr close 2026-Q3 --write --tag", "save grades/2026-Q3.yaml, tag okr/2026-Q3"),
        ],
        f"{LOADS}, {PRINTS}",
        "docs/plans-in-git.md",
    ),
)
@boundary
def close(
    ctx: typer.Context,
    period: Annotated[
        str,
        typer.Argument(
            metavar="PERIOD",
            help="The period to grade, like 2026-Q3.",
            autocompletion=completion.periods,
            show_default=False,
        ),
    ],
    fmt: Annotated[str, format_option(CloseFormat)] = "table",
    tag: Annotated[
        bool, typer.Option("--tag", help="Tag HEAD as okr/PERIOD (annotated; never moved).")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Save the grades as grades/PERIOD.yaml.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="--tag or --write before the period has ended."),
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Grade a period as of a date (default today; late records that name the period
    count): per key result, objective and team."""
    from okrcli.commands.close import close as command

    fmt = check_choice(fmt, CloseFormat)
    return command(
        root_of(ctx, root),
        check_period(period, None) or period,
        fmt,
        tag=tag,
        write=write,
        force=force,
        as_of=parse_as_of(as_of),
    )


# --- set up and check ----------------------------------------------------------------------


@app.command(
    cls=OkrCommand,
    rich_help_panel=SETUP,
    epilog=epilog(
        [
            ("okr init goals", "a starter workspace in goals/"),
            ("okr init --example acme", "the complete worked example, in acme/"),
        ],
        "none",
        "README.md",
    ),
)
@boundary
def init(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Where to create the workspace (default: here).", show_default=False
        ),
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


@app.command(
    cls=OkrCommand,
    rich_help_panel=SETUP,
    epilog=epilog(
        [
            ("okr validate", "silent when all is well"),
            ("okr validate --strict -f github", "in CI: annotations, warnings fail too"),
        ],
        f"{LOADS}, NO_COLOR, FORCE_COLOR",
        "docs/ci.md, docs/diagnostics.md",
    ),
)
@boundary
def validate(
    ctx: typer.Context,
    fmt: Annotated[str, format_option(ValidateFormat)] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> int:
    """Check every goal file; silent with exit 0 when all is well."""
    from okrcli.commands.validate import validate as command

    fmt = check_choice(fmt, ValidateFormat)
    return command(root_of(ctx, root), fmt, strict=strict, as_of=parse_as_of(as_of))


@app.command(
    cls=OkrCommand,
    rich_help_panel=SETUP,
    epilog=epilog(
        [
            ("okr schema plan > plan.schema.json", "for an editor's YAML language server"),
            ("okr schema", "all four, keyed by kind"),
        ],
        "none",
        "docs/editors.md",
    ),
)
@boundary
def schema(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            help="settings, plan, kpi or journal (default: all four, keyed by kind).",
            autocompletion=completion.choices(SchemaKind),
            show_default=False,
        ),
    ] = None,
) -> int:
    """Print the JSON Schema of okr's files (for editors and CI)."""
    from okrcli.commands.schema import schema as command

    return command(check_choice(kind, SchemaKind, "KIND") if kind is not None else None)


def command_group() -> OkrGroup:
    """``app`` as the framework builds it, except that each command is built only when it
    is asked for (``OkrGroup.defer``): a run pays for its own command's options alone."""
    shell = copy.copy(app)
    shell.registered_commands = []
    group = typer.main.get_command(shell)
    assert isinstance(group, OkrGroup)
    definitions = {
        info.name or typer.main.get_command_name(info.callback.__name__): info
        for info in app.registered_commands
        if info.callback is not None
    }
    group.defer(definitions, _build)
    return group


def _build(definition: typer.models.CommandInfo) -> Any:
    return typer.main.get_command_from_info(
        definition,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def main() -> None:
    command_group()()
