"""``okr history ID``: the values, forecast and definition changes of a KR or KPI."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load_report, report_exit
from okrcli.history import definition_audit, resolve
from okrcli.output import err, out, page


def history(
    root: str | None,
    id_: str,
    *,
    period: str | None = None,
    fmt: str = "table",
    as_of: date | None = None,
) -> int:
    from okrcli.render import history as render

    # every definition, but only the check-ins its figures are made of
    ws = load_report(root, as_of, only=id_)
    history = resolve(ws, id_, period, as_of or timeutil.today(ws.zone))
    if history.note:
        err(f"okr: {history.note}")
    if fmt != "csv":
        history.audit = definition_audit(ws, history)
    if fmt == "json":
        out(render.render_json(history))
    elif fmt == "csv":
        out(render.render_csv(history))
    else:
        page()
        render.print_table(history)
    return report_exit(ws)
