"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

from okrcli import timeutil
from okrcli.commands.common import (
    check_owner,
    check_team,
    choose_period,
    finish,
    kept_or_worked_out,
    load_report,
    page_lines,
)
from okrcli.errors import UsageError
from okrcli.output import out
from okrcli.viewdata import Scorecard

if TYPE_CHECKING:
    from okrcli.kept import Question
    from okrcli.workspace import Workspace

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
    from okrcli import kept
    from okrcli.layout import find_root
    from okrcli.render import scorecard as render

    if fmt not in FORMATS:
        raise UsageError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}")
    found = find_root(explicit=root)
    options = {"period": period, "team": team, "owner": owner, "statuses": sorted(statuses or ())}
    question = kept.ask(found, "scorecard", options, as_of)
    card, ws = kept_or_worked_out(
        question, Scorecard, lambda: _work_out(question, period, team, owner, statuses)
    )
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        out(render.render_json(card, pretty=sys.stdout.isatty()))
    elif fmt == "markdown":
        out(render.render_markdown(card))
    elif fmt == "csv":
        out(render.render_csv(card))
    else:
        page_lines(lambda width: render.render_table(card, width))
    return finish(ws)


def _work_out(
    question: Question,
    period: str | None,
    team: str | None,
    owner: str | None,
    statuses: frozenset[str] | None,
) -> tuple[Scorecard, Workspace]:
    """The scorecard from the loaded workspace (kept when the files have no errors)."""
    from okrcli import kept
    from okrcli.views import Only, build_scorecard

    ws = load_report(str(question.root), question.as_of)
    day = question.as_of or timeutil.today(ws.zone)
    team = check_team(ws, team)
    check_owner(ws, owner)
    notes: list[str] = []
    chosen = choose_period(ws, period, day, notes)
    card = build_scorecard(ws, chosen, day, team, Only(owner, statuses))
    if not ws.errors:
        kept.keep(question, card, notes, ws.settings.timezone, day)
    return card, ws
