"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load, parse_date
from okrcli.errors import EXIT_OK, UsageError
from okrcli.output import console, err, out
from okrcli.periods import Period, parse_period
from okrcli.suggest import suggest
from okrcli.workspace import Workspace

FORMATS = ("table", "json", "markdown", "csv")


def choose_period(ws: Workspace, text: str | None, as_of: date) -> Period:
    """``--period`` if given (exit 2 when malformed), else the default of
    ``okrcli.views.default_period``, noting any fallback on stderr."""
    from okrcli.views import default_period

    if text is not None:
        period = parse_period(text, ws.fiscal_start)
        if period is None:
            raise UsageError(
                f"--period takes a quarter like 2026-Q4 or a year like 2026, not {text!r}"
            )
        return period
    period, note = default_period(ws, as_of)
    if note:
        err(f"okr: {note}")
    return period


def check_team(ws: Workspace, team: str | None) -> None:
    if team is not None and team not in ws.settings.teams:
        known = ", ".join(ws.settings.teams) or "none"
        hint = suggest(team, ws.settings.teams)
        raise UsageError(f"--team: no team '{team}' in okr.yaml{hint} (teams: {known})")


def run(
    root: str | None,
    *,
    period: str | None = None,
    team: str | None = None,
    as_of: str | None = None,
    fmt: str = "table",
) -> int:
    from okrcli.render import scorecard as render
    from okrcli.views import build_scorecard

    day = parse_date(as_of) or timeutil.today()
    if fmt not in FORMATS:
        raise UsageError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}")
    ws = load(root, day)
    check_team(ws, team)
    chosen = choose_period(ws, period, day)
    card = build_scorecard(ws, chosen, day, team)
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        out(render.render_json(card, pretty=sys.stdout.isatty()))
    elif fmt == "markdown":
        out(render.render_markdown(card))
    elif fmt == "csv":
        out(render.render_csv(card))
    else:
        con = console()
        for line in render.render_table(card, min(con.width, 100)):
            con.print(line, soft_wrap=True)
    return EXIT_OK
