"""``okr history ID``: the values, forecast and definition changes of a KR or KPI."""

from __future__ import annotations

from okrcli import timeutil
from okrcli.commands.common import load, parse_date
from okrcli.errors import EXIT_OK
from okrcli.history import definition_audit, resolve
from okrcli.output import err, out


def run(
    root: str | None,
    id_: str,
    *,
    period: str | None = None,
    fmt: str = "table",
    as_of: str | None = None,
) -> int:
    from okrcli.render import history as render

    day = parse_date(as_of)
    ws = load(root, day)
    history = resolve(ws, id_, period, day or timeutil.today())
    if history.note:
        err(f"okr: {history.note}")
    if fmt != "csv":
        history.audit = definition_audit(ws, history)
    if fmt == "json":
        out(render.render_json(history))
    elif fmt == "csv":
        out(render.render_csv(history))
    else:
        render.print_table(history)
    return EXIT_OK
