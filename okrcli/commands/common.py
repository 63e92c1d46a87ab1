"""What several commands share: loading the workspace, choosing the period and team."""

from __future__ import annotations

from datetime import date

from okrcli.errors import EXIT_ERRORS, EXIT_OK, InvalidFiles, UsageError
from okrcli.output import err
from okrcli.periods import Period
from okrcli.suggest import suggest
from okrcli.workspace import Workspace


def load(root: str | None, as_of: date | None = None, *, only: str | None = None) -> Workspace:
    """The workspace, loaded and checked; ``InvalidFiles`` if it has errors.

    Warnings do not stop a command (``okr validate`` is where they are shown).
    ``only``: read the check-ins of that id alone (see ``load_workspace``).
    """
    from okrcli.layout import find_root
    from okrcli.loader import load_workspace

    ws = load_workspace(find_root(explicit=root), today=as_of, only=only)
    if ws.errors:
        raise InvalidFiles(ws.diagnostics)
    return ws


def load_report(root: str | None, as_of: date | None = None) -> Workspace:
    """The workspace for a report (scorecard, tree, history, close): errors in the files
    do not stop it.  They are listed on stderr now, the report shows everything they do
    not touch, and ``report_exit`` says so and gives exit 1 (SPEC §6)."""
    from okrcli.layout import find_root
    from okrcli.loader import load_workspace

    ws = load_workspace(find_root(explicit=root), today=as_of)
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


def choose_period(ws: Workspace, text: str | None, as_of: date) -> Period:
    """``--period`` if given (exit 2 when malformed), else the default of
    ``okrcli.views.default_period``, noting any fallback on stderr."""
    from okrcli.views import default_period

    if text is not None:
        period = ws.period(text)
        if period is None:
            raise UsageError(
                f"--period takes a quarter like 2026-Q4 or a year like 2026, not {text!r}"
            )
        return period
    period, note = default_period(ws, as_of)
    if note:
        err(f"okr: {note}")
    return period


def check_team(ws: Workspace, team: str | None) -> None:
    if team is not None and team not in ws.settings.teams:
        known = ", ".join(ws.settings.teams) or "none"
        hint = suggest(team, ws.settings.teams)
        raise UsageError(f"--team: no team '{team}' in okr.yaml{hint} (teams: {known})")
