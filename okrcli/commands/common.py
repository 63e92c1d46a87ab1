"""What several commands share: loading the workspace, choosing the period and team."""

from __future__ import annotations

import gc
import sys
from datetime import date
from pathlib import Path

from okrcli.errors import InvalidFiles, UsageError
from okrcli.output import err, messages
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


class Kept:
    """A report's text kept for an unchanged workspace: keyed by every file's digest (one
    hash pass, ``okrcli.quickcheck``), the day, and everything that shapes the text
    (``what``: the command and its options).  Only text written to a pipe is kept (a
    terminal's output depends on the terminal), and only when the report said nothing
    on stderr.  ``OKR_NO_CACHE=1`` turns it off."""

    def __init__(self, root: Path, day: date, *what: str) -> None:
        self.name: str | None = None
        self.key = b""
        self.said = messages()
        if sys.stdout.isatty():
            return
        from okrcli import resultcache
        from okrcli.quickcheck import Check

        check = Check(root, day)
        if check.enabled:
            self.name = resultcache.slot("output", str(root), what[0])
            self.key = resultcache.digest("output", check.whole_key, *what)

    def text(self) -> str | None:
        """The kept text, or None."""
        if self.name is None:
            return None
        from okrcli import resultcache

        found = resultcache.get(self.name, self.key)
        return found if isinstance(found, str) else None

    def keep(self, text: str) -> None:
        if self.name is None or messages() != self.said:
            return
        from okrcli import resultcache

        resultcache.put(self.name, self.key, text)
