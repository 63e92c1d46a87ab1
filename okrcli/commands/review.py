"""``okr review``: the weekly review of a window of time (``okrcli.review``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from okrcli import timeutil
from okrcli.commands.common import check_owner, check_team, load
from okrcli.errors import EXIT_OK, UsageError
from okrcli.output import console, out, print_lines

_SPAN = re.compile(r"([1-9][0-9]{0,3})([dw])", re.ASCII)


def since_day(text: str, as_of: date) -> date | None:
    """``7d``/``2w`` (back from the as-of date), or a day as ``--as-of`` takes it
    (``2026-11-15``, ``monday``, ``yesterday``, ``-3d``: from today); None when ``text``
    is none of these (then it names a git revision)."""
    span = _SPAN.fullmatch(text.strip())
    if span is not None:
        n = int(span.group(1)) * (7 if span.group(2) == "w" else 1)
        return as_of - timedelta(days=n)
    try:
        return timeutil.parse_day_text(text, timeutil.today())
    except ValueError:
        return None


def review(
    root: str | None,
    *,
    since: str | None = None,
    as_of: date | None = None,
    team: str | None = None,
    owner: str | None = None,
    fmt: str = "table",
) -> int:
    from okrcli.render import review as render
    from okrcli.review import Before, build_review
    from okrcli.revisions import definition_changes, revision_workspace

    today = timeutil.today()
    end = as_of or today
    day = since_day(since, end) if since is not None else end - timedelta(days=7)
    if day is not None and day > end:
        raise UsageError(f"--since {since} is after --as-of {end}; the window would be empty")
    ws = load(root, end)
    team = check_team(ws, team)
    check_owner(ws, owner)
    if day is not None:
        before = Before(ws, day, timeutil.end_of_day(day), day.isoformat())
    else:
        assert since is not None
        old, info = revision_workspace(ws.root, since, end)
        if info.day > end:
            raise UsageError(f"--since {since} was committed {info.day}, after --as-of {end}")
        before = Before(old, info.day, info.when, f"{since} ({info.short[:7]})")
    changes, why = definition_changes(
        ws.root, before.moment, timeutil.end_of_day(end), worktree=end >= today
    )
    result = build_review(ws, before, end, team=team, owner=owner, goalposts=changes)
    if why is not None:
        result.notes.append(f"goal posts moved are not shown: {why}")
    if fmt == "json":
        out(render.render_json(result))
    elif fmt == "markdown":
        out(render.render_markdown(result))
    else:
        con = console()
        print_lines(con, render.render_table(result, min(con.width, 100)))
    return EXIT_OK
