"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import Kept, check_team, choose_period, load
from okrcli.errors import EXIT_OK, UsageError
from okrcli.layout import find_root
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
    day = as_of or timeutil.today()
    if fmt not in FORMATS:
        raise UsageError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}")
    kept = None
    if fmt != "table":  # text for programs: kept for an unchanged workspace
        where = find_root(explicit=root)
        kept = Kept(where, day, "scorecard", fmt, period or "", team or "")
        text = kept.text()
        if text is not None:
            out(text)
            return EXIT_OK
        root = str(where)

    from okrcli.render import scorecard as render
    from okrcli.views import build_scorecard

    ws = load(root, day)
    check_team(ws, team)
    chosen = choose_period(ws, period, day)
    card = build_scorecard(ws, chosen, day, team)
    if fmt == "table":
        con = console()
        with con:  # one write at the end, not one per line
            for line in render.render_table(card, min(con.width, 100)):
                con.print(line, soft_wrap=True)
        return EXIT_OK
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        text = render.render_json(card, pretty=sys.stdout.isatty())
    elif fmt == "markdown":
        text = render.render_markdown(card)
    else:
        text = render.render_csv(card)
    out(text)
    if kept is not None:
        kept.keep(text)
    return EXIT_OK
