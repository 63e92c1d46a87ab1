"""What several commands share: loading the workspace, choosing the period and team."""

from __future__ import annotations

import gc
from datetime import date

from okrcli.errors import InvalidFiles, UsageError
from okrcli.output import err
from okrcli.periods import Period, parse_period
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
    # The workspace lives as long as the command: later collections need not scan it.
    # (Not in the library's load_workspace: a long-lived process would keep cycles.)
    gc.freeze()
    if ws.errors:
        raise InvalidFiles(ws.diagnostics)
    return ws


def choose_period(ws: Workspace, text: str | None, as_of: date) -> Period:
    """``--period`` if given (exit 2 when malformed), else the default of
    ``okrcli.views.default_period``, noting any fallback on stderr."""
    from okrcli.views import default_period

    if text is not None:
        period = parse_period(text, ws.fiscal_start)
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
