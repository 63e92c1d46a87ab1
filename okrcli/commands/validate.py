"""``okr validate``: check every file, report every problem."""

from __future__ import annotations

from datetime import date

from okrcli.commands.common import loading
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.layout import find_root
from okrcli.loader import load_workspace
from okrcli.output import err, out
from okrcli.render import diagnostics as render


def validate(root: str | None, fmt: str, *, strict: bool = False, as_of: date | None = None) -> int:
    found = find_root(explicit=root)
    with loading(found):
        ws = load_workspace(found, today=as_of)
    diagnostics = ws.diagnostics
    if fmt == "json":
        out(render.render_json(diagnostics))
    elif fmt == "github":
        if diagnostics:
            out(render.render_github(diagnostics))
    elif diagnostics:
        err(render.render_text(diagnostics))
    failed = ws.errors > 0 or (strict and ws.warnings > 0)
    return EXIT_ERRORS if failed else EXIT_OK
