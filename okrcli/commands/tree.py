"""``okr tree``: the alignment tree, from the top team's objectives down."""

from __future__ import annotations

import sys
from datetime import date

from okrcli import timeutil
from okrcli.commands.common import Kept, choose_period, load
from okrcli.errors import EXIT_OK
from okrcli.layout import find_root
from okrcli.output import console, out


def tree(
    root: str | None,
    *,
    period: str | None = None,
    as_of: date | None = None,
    fmt: str = "text",
) -> int:
    day = as_of or timeutil.today()
    kept = None
    if fmt == "json":  # text for programs: kept for an unchanged workspace
        where = find_root(explicit=root)
        kept = Kept(where, day, "tree", fmt, period or "")
        text = kept.text()
        if text is not None:
            out(text)
            return EXIT_OK
        root = str(where)

    from okrcli.render import tree as render
    from okrcli.views import build_tree

    ws = load(root, day)
    chosen = choose_period(ws, period, day)
    tree = build_tree(ws, chosen, day)
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        text = render.render_json(tree, pretty=sys.stdout.isatty())
        out(text)
        if kept is not None:
            kept.keep(text)
        return EXIT_OK
    con = console()
    with con:  # one write at the end, not one per line
        for line in render.render_tree(tree, min(con.width, 100)):
            con.print(line, soft_wrap=True)
    return EXIT_OK
