"""``okr tree``: the alignment tree, from the top team's objectives down."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import check_owner, choose_period, load_report, report_exit
from okrcli.output import console, out, page, print_lines


def tree(
    root: str | None,
    *,
    period: str | None = None,
    owner: str | None = None,
    statuses: frozenset[str] | None = None,
    as_of: date | None = None,
    fmt: str = "text",
) -> int:
    from okrcli.render import tree as render
    from okrcli.views import Only, build_tree

    ws = load_report(root, as_of)
    day = as_of or timeutil.today(ws.zone)
    check_owner(ws, owner)
    chosen = choose_period(ws, period, day)
    tree = build_tree(ws, chosen, day, Only(owner, statuses))
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        out(render.render_json(tree, pretty=sys.stdout.isatty()))
        return report_exit(ws)
    page()
    con = console()
    print_lines(con, render.render_tree(tree, min(con.width, 100)))
    return report_exit(ws)
