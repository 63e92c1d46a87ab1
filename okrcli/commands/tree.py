"""``okr tree``: the alignment tree, from the top team's objectives down."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

from okrcli import timeutil
from okrcli.commands.common import (
    check_owner,
    choose_period,
    finish,
    kept_or_worked_out,
    load_report,
    page_lines,
)
from okrcli.output import out
from okrcli.viewdata import AlignmentTree

if TYPE_CHECKING:
    from okrcli.kept import Question
    from okrcli.workspace import Workspace


def tree(
    root: str | None,
    *,
    period: str | None = None,
    owner: str | None = None,
    statuses: frozenset[str] | None = None,
    as_of: date | None = None,
    fmt: str = "text",
) -> int:
    from okrcli import kept
    from okrcli.layout import find_root
    from okrcli.render import tree as render

    found = find_root(explicit=root)
    options = {"period": period, "owner": owner, "statuses": sorted(statuses or ())}
    question = kept.ask(found, "tree", options, as_of)
    view, ws = kept_or_worked_out(
        question, AlignmentTree, lambda: _work_out(question, period, owner, statuses)
    )
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        out(render.render_json(view, pretty=sys.stdout.isatty()))
    else:
        page_lines(lambda width: render.render_tree(view, width))
    return finish(ws)


def _work_out(
    question: Question, period: str | None, owner: str | None, statuses: frozenset[str] | None
) -> tuple[AlignmentTree, Workspace]:
    """The tree from the loaded workspace (kept when the files have no errors)."""
    from okrcli import kept
    from okrcli.views import Only, build_tree

    ws = load_report(str(question.root), question.as_of)
    day = question.as_of or timeutil.today(ws.zone)
    check_owner(ws, owner)
    notes: list[str] = []
    chosen = choose_period(ws, period, day, notes)
    view = build_tree(ws, chosen, day, Only(owner, statuses))
    if not ws.errors:
        kept.keep(question, view, notes, ws.settings.timezone, day)
    return view, ws
