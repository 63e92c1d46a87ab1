"""What several commands share: loading the workspace, choosing the period and team."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from okrcli.errors import EXIT_ERRORS, EXIT_OK, InvalidFiles, UsageError
from okrcli.output import err
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import Period
from okrcli.suggest import suggest

if TYPE_CHECKING:
    from okrcli.kept import Question
    from okrcli.workspace import Workspace

V = TypeVar("V")


def load(root: str | None, as_of: date | None = None, *, only: str | None = None) -> Workspace:
    """The workspace, loaded and checked; ``InvalidFiles`` if it has errors.

    Warnings do not stop a command (``okr validate`` is where they are shown).
    ``only``: read the check-ins of that id alone (see ``load_workspace``).
    """
    from okrcli.layout import find_root
    from okrcli.loader import load_workspace

    found = find_root(explicit=root)
    with loading(found):
        ws = load_workspace(found, today=as_of, only=only)
    _settle()
    if ws.errors:
        raise InvalidFiles(ws.diagnostics)
    return ws


def _settle() -> None:
    """The loaded workspace lives until the command ends: move it out of the cyclic
    garbage collector's sight, which would otherwise rescan it again and again while the
    report is built (a fifth of a scorecard's time at scale)."""
    import gc

    gc.freeze()


#: From this many bytes of goal files on, loading shows a status line on a terminal.
LARGE_WORKSPACE = 2_000_000


def loading(root: Path) -> AbstractContextManager[None]:
    """A transient status line on stderr while a large workspace loads (a terminal only:
    ``okrcli.output.progress``); nothing for a small one."""
    from okrcli.layout import goal_files
    from okrcli.output import progress, stderr_is_terminal
    from okrcli.render.text import plural

    if not stderr_is_terminal():
        return nullcontext()
    files = goal_files(root)
    size = 0
    for _, full in files:
        try:
            size += full.stat().st_size
        except OSError:
            continue
    if size < LARGE_WORKSPACE:
        return nullcontext()
    return progress(f"reading {plural(len(files), 'goal file')}…")


def load_report(
    root: str | None, as_of: date | None = None, *, only: str | None = None
) -> Workspace:
    """The workspace for a report (scorecard, tree, history, close): errors in the files
    do not stop it.  They are listed on stderr now, the report shows everything they do
    not touch, and ``report_exit`` says so and gives exit 1 (SPEC §6).  ``only``: read
    just the check-ins the figures of that id are made of (see ``load_workspace``)."""
    from okrcli.layout import find_root
    from okrcli.loader import load_workspace

    found = find_root(explicit=root)
    with loading(found):
        ws = load_workspace(found, today=as_of, only=only)
    _settle()
    if ws.errors:
        err("\n".join(str(d) for d in ws.diagnostics if d.severity == "error"))
    return ws


def report_exit(ws: Workspace) -> int:
    """0, or 1 with a word on stderr when the files have errors the report left out."""
    from okrcli.render.text import plural

    if not ws.errors:
        return EXIT_OK
    err(
        f"okr: {plural(ws.errors, 'error')} in the goal files (listed above): the figures "
        "leave out what they affect; fix them and run again"
    )
    return EXIT_ERRORS


def choose_period(
    ws: Workspace, text: str | None, as_of: date, notes: list[str] | None = None
) -> Period:
    """``--period`` if given (exit 2 when malformed), else the default of
    ``okrcli.views.default_period``, noting any fallback on stderr (and in ``notes``)."""
    from okrcli.views import default_period

    def note(line: str) -> None:
        err(line)
        if notes is not None:
            notes.append(line)

    if text is not None:
        period = ws.period(text)
        if period is None:
            raise UsageError(f"--period takes {PERIOD_FORM}, not {text!r}")
        planned = [str(p) for p in ws.periods()]
        if planned and str(period) not in planned:
            note(
                f"okr: nothing is planned for {period}{suggest(str(period), planned)} "
                f"(periods with plans: {', '.join(planned)})"
            )
        return period
    period, fallback = default_period(ws, as_of)
    if fallback:
        note(f"okr: {fallback}")
    return period


def check_team(ws: Workspace, team: str | None) -> str | None:
    """The team id ``--team`` names, in any case (``Platform`` is ``platform``); a usage
    error with the nearest ids when there is no such team."""
    if team is None or team in ws.settings.teams:
        return team
    same = [t for t in ws.settings.teams if t.casefold() == team.strip().casefold()]
    if len(same) == 1:
        return same[0]
    known = ", ".join(ws.settings.teams) or "none"
    hint = suggest(team, ws.settings.teams)
    raise UsageError(f"--team: no team '{team}' in okr.yaml{hint} (teams: {known})")


def check_owner(ws: Workspace, owner: str | None) -> None:
    """``--owner``: someone who owns an objective or KR, or leads a team (whose KPIs they
    answer for); else a usage error with the nearest names."""
    from okrcli.views import owners_of

    if owner is None:
        return
    names = owners_of(ws)
    if owner not in names:
        known = ", ".join(sorted(names)) or "none"
        raise UsageError(
            f"--owner: nobody called '{owner}' owns a goal{suggest(owner, names)} (owners: {known})"
        )


# --- reports kept between runs (okrcli.kept) --------------------------------------------------


def kept_or_worked_out(
    question: Question, kind: type[V], work: Callable[[], tuple[V, Workspace]]
) -> tuple[V, Workspace | None]:
    """The view kept for ``question`` (its notes written again on stderr) and no
    workspace; else ``work()``: the view and the workspace it was built from."""
    from okrcli import kept

    hit = kept.recall(question)
    if hit is not None and isinstance(hit[0], kind):
        for line in hit[1]:
            err(line)
        return hit[0], None
    return work()


def finish(ws: Workspace | None) -> int:
    """The exit code of a report: ``report_exit`` of the workspace it was built from; 0 for
    a kept view (only views of workspaces without errors are kept)."""
    return EXIT_OK if ws is None else report_exit(ws)


def page_lines(draw: Callable[[int], Sequence[Any]]) -> None:
    """A report's lines, laid out for the terminal's width (at most 100), through the
    pager on a terminal."""
    from okrcli.output import console, page, print_lines

    page()
    con = console()
    print_lines(con, draw(min(con.width, 100)))
