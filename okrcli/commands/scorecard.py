"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import check_team, choose_period, load
from okrcli.errors import EXIT_OK, UsageError
from okrcli.output import console, out

FORMATS = ("table", "json", "markdown", "csv")


def scorecard(
    root: str | None,
    *,
    period: str | None = None,
    team: str | None = None,
    as_of: date | None = None,
    fmt: str = "table",
) -> int:
    from okrcli.render import scorecard as render
    from okrcli.views import build_scorecard

    day = as_of or timeutil.today()
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
        with con:  # one write at the end, not one per line
            for line in render.render_table(card, min(con.width, 100)):
                con.print(line, soft_wrap=True)
    return EXIT_OK
