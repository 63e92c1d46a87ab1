"""``okr report``: the period's dashboard as a static HTML site (``okrcli.render.html``)."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from okrcli import timeutil
from okrcli.commands.common import check_team, choose_period, load_report, report_exit
from okrcli.errors import InputError
from okrcli.output import err

DEFAULT_OUT = "okr-report"
INSTALL = 'pip install "okrcli[html]"'


def report(
    root: str | None,
    *,
    out: str = DEFAULT_OUT,
    period: str | None = None,
    team: str | None = None,
    as_of: date | None = None,
) -> int:
    day = as_of or timeutil.today()
    try:
        from okrcli.render import html as site
    except ImportError as e:  # the HTML dependencies are an extra
        if (e.name or "").split(".")[0] not in ("jinja2", "markupsafe"):
            raise
        raise InputError(f"okr report needs Jinja2, which is not installed: {INSTALL}") from None
    from okrcli.dashboard import build_dashboard

    out_dir = Path(out)
    site.prepare_out_dir(out_dir)  # refuse a folder that is not ours before loading anything
    ws = load_report(root, day)  # errors in the files do not stop it (SPEC §6)
    team = check_team(ws, team)
    chosen = choose_period(ws, period, day)
    data = build_dashboard(ws, chosen, day, team)
    # all the data is made: the collector need not walk it again and again while the pages
    # are made (nor touch every page of its memory in the processes that help)
    gc.freeze()
    try:
        files = site.write_site(data, out_dir)
    finally:
        gc.unfreeze()
    pages = sum(1 for f in files if f.suffix == ".html")
    size = sum(f.stat().st_size for f in files)
    err(f"okr: wrote {pages} pages to {out_dir}/ ({_size(size)}); open {out_dir / 'index.html'}")
    return report_exit(ws)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
