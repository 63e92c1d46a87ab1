"""``okr validate``: check every file, report every problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from okrcli import checked
from okrcli.diagnostics import Diagnostic, count
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.layout import find_root
from okrcli.output import err, out
from okrcli.render import diagnostics as render


def validate(root: str | None, fmt: str, *, strict: bool = False, as_of: date | None = None) -> int:
    found = find_root(explicit=root)
    # an unchanged workspace is answered from one pass over its bytes (okrcli.checked)
    now = checked.scan(found)
    kept = None if now is None else checked.recall(found, now, as_of)
    diagnostics = kept if kept is not None else _check(found, as_of, now)
    if fmt == "json":
        out(render.render_json(diagnostics))
    elif fmt == "github":
        if diagnostics:
            from okrcli.gitrepo import prefix_in_repository

            # annotations attach to paths from the repository's root (SPEC §8)
            out(render.render_github(diagnostics, prefix_in_repository(found)))
    elif diagnostics:
        err(render.render_text(diagnostics))
    errors, warnings = count(diagnostics)
    failed = errors > 0 or (strict and warnings > 0)
    return EXIT_ERRORS if failed else EXIT_OK


def _check(root: Path, as_of: date | None, now: checked.Scan | None) -> list[Diagnostic]:
    """Load and check every file; keep the answer for the next run."""
    from okrcli import timeutil
    from okrcli.commands.common import loading
    from okrcli.loader import load_workspace

    with loading(root):
        ws = load_workspace(root, today=as_of)
    if now is not None:
        checked.keep(root, now, ws, as_of or timeutil.today(ws.zone))
    return ws.diagnostics
