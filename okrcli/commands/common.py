"""What several commands share: finding and loading the workspace, reading dates."""

from __future__ import annotations

from datetime import date

from okrcli.errors import InvalidFiles, UsageError
from okrcli.timeutil import parse_day
from okrcli.workspace import Workspace


def parse_date(text: str | None, option: str = "--as-of") -> date | None:
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise UsageError(f"{option} takes a date like 2026-11-22, not {text!r}") from None


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
