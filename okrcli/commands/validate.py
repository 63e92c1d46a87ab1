"""``okr validate``: check every file, report every problem."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.layout import find_root
from okrcli.output import err, out
from okrcli.render import diagnostics as render


def validate(root: str | None, fmt: str, *, strict: bool = False, as_of: date | None = None) -> int:
    from okrcli.diagnostics import count
    from okrcli.quickcheck import Check

    where = find_root(explicit=root)
    today = as_of or timeutil.today()
    check = Check(where, today)  # earlier results, when the files allow (the result cache)
    diagnostics = check.cached()
    if diagnostics is None:
        from okrcli.loader import load_workspace

        ws = load_workspace(where, today=today)
        check.store(ws)
        diagnostics = ws.diagnostics
    if fmt == "json":
        out(render.render_json(diagnostics))
    elif fmt == "github":
        if diagnostics:
            out(render.render_github(diagnostics))
    elif diagnostics:
        err(render.render_text(diagnostics))
    errors, warnings = count(diagnostics)
    failed = errors > 0 or (strict and warnings > 0)
    return EXIT_ERRORS if failed else EXIT_OK
