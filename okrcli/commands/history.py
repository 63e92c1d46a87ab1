"""``okr history ID``: the values, forecast and definition changes of a KR or KPI."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load
from okrcli.errors import EXIT_OK
from okrcli.history import definition_audit, resolve
from okrcli.output import err, out


def history(
    root: str | None,
    id_: str,
    *,
    period: str | None = None,
    fmt: str = "table",
    as_of: date | None = None,
) -> int:
    from okrcli.render import history as render

    day = as_of
    ws = load(root, day, only=id_)  # every definition, but only this id's check-ins
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
