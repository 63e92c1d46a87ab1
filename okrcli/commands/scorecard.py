"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import (
    check_owner,
    check_team,
    choose_period,
    load_report,
    report_exit,
)
from okrcli.errors import UsageError
from okrcli.output import console, out, page, print_lines

FORMATS = ("table", "json", "markdown", "csv")


def scorecard(
    root: str | None,
    *,
    period: str | None = None,
    team: str | None = None,
    owner: str | None = None,
    statuses: frozenset[str] | None = None,
    as_of: date | None = None,
    fmt: str = "table",
) -> int:
    from okrcli.render import scorecard as render
    from okrcli.views import Only, build_scorecard

    if fmt not in FORMATS:
        raise UsageError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}")
    ws = load_report(root, as_of)
    day = as_of or timeutil.today(ws.zone)
    team = check_team(ws, team)
    check_owner(ws, owner)
    chosen = choose_period(ws, period, day)
    card = build_scorecard(ws, chosen, day, team, Only(owner, statuses))
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        out(render.render_json(card, pretty=sys.stdout.isatty()))
    elif fmt == "markdown":
        out(render.render_markdown(card))
    elif fmt == "csv":
        out(render.render_csv(card))
    else:
        page()
        con = console()
        print_lines(con, render.render_table(card, min(con.width, 100)))
    return report_exit(ws)
