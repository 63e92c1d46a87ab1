"""Loading a workspace: read (``okrcli.reader``) -> link (``okrcli.link``) -> check
(``okrcli.rules``), composed by ``load_workspace``."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from okrcli import timeutil
from okrcli.diagnostics import Diagnostic
from okrcli.link import link
from okrcli.reader import read_workspace
from okrcli.rules import RULES, apply_ignore, kr_type_problems
from okrcli.workspace import Workspace


def load_workspace(root: Path, *, today: date | None = None, only: str | None = None) -> Workspace:
    """Read, validate and cross-check every file of the workspace at ``root``.

    ``today`` is the date lint rules (stale KPIs, future check-ins) are judged against.
    ``only`` reads just the check-ins the figures of that id are made of
    (``reader.ids_for``: its old ids, the KPI a KR of that id takes its values from, the
    KRs a rollup KR is made of): every definition is read and checked, the journal only
    in part.  ``okr checkin`` and ``okr history`` use it to stay quick in a large
    workspace.
    """
    # Reading creates millions of small objects and no cycles; the cyclic garbage
    # collector would otherwise rescan the growing heap again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(root), today, only)
    finally:
        if paused:
            gc.enable()


def _load(root: Path, today: date | None, only: str | None) -> Workspace:
    ws = read_workspace(root, only=only)
    day = today or timeutil.today(ws.zone)
    link(ws, day)
    for rule in RULES:
        ws.diagnostics.extend(rule(ws, day))
    if ws.errors:  # a KR whose definition does not fit together is left out of the figures
        for k in ws.key_results:
            k.broken = next(kr_type_problems(k), None) is not None
    apply_ignore(ws)
    ws.diagnostics.sort(key=Diagnostic.sort_key)
    return ws
