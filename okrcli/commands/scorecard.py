"""``okr scorecard``: where the period's OKRs and the KPIs stand, as of a date."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrcli import timeutil
from okrcli.commands.common import (
    check_owner,
    check_team,
    choose_period,
    load_report,
    report_exit,
)
from okrcli.errors import EXIT_OK, UsageError
from okrcli.output import console, messages, out, page, print_lines

if TYPE_CHECKING:
    from okrcli.checked import Scan

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
    keep: tuple[Path, Scan, str] | None = None
    if fmt != "table" and not sys.stdout.isatty():
        # for a program: answered again for unchanged files (okrcli.checked)
        question = json.dumps(["scorecard", fmt, period, team, owner, sorted(statuses or ())])
        kept, keep = _kept(root, as_of, question)
        if kept is not None:
            out(kept)
            return EXIT_OK
    said = messages()
    ws = load_report(root, as_of)
    day = as_of or timeutil.today(ws.zone)
    team = check_team(ws, team)
    check_owner(ws, owner)
    chosen = choose_period(ws, period, day)
    card = build_scorecard(ws, chosen, day, team, Only(owner, statuses))
    text = None
    if fmt == "json":
        # indented on a terminal; one line when piped to a program (faster at scale)
        text = render.render_json(card, pretty=sys.stdout.isatty())
    elif fmt == "markdown":
        text = render.render_markdown(card)
    elif fmt == "csv":
        text = render.render_csv(card)
    if text is not None:
        out(text)
        if keep is not None and not ws.errors and messages() == said:
            from okrcli import checked

            checked.keep_output(*keep, day, ws.settings.timezone, text)
    else:
        page()
        con = console()
        print_lines(con, render.render_table(card, min(con.width, 100)))
    return report_exit(ws)


def _kept(
    root: str | None, as_of: date | None, question: str
) -> tuple[str | None, tuple[Path, Scan, str] | None]:
    """The kept answer to ``question``, or what keeping this run's answer needs (the
    workspace's folder, its scan and the question; None when nothing can be kept)."""
    from okrcli import checked
    from okrcli.layout import find_root

    found = find_root(explicit=root)
    now = checked.scan(found)
    if now is None:
        return None, None
    text = checked.kept_output(found, now, as_of, question)
    return text, (found, now, question)
