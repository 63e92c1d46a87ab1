"""Renderers of ``okr history``: a terminal view, JSON and CSV (the values only)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timezone
from typing import TYPE_CHECKING, Any

from okrcli.machine import number, timestamp
from okrcli.machine import ratio as ratio_
from okrcli.machine import text as fmt_value
from okrcli.output import trimmed
from okrcli.render.sparkline import sparkline
from okrcli.render.text import (
    DASH,
    STATUS_WORDS,
    band,
    num,
    pct,
    plural,
    status_word,
    when,
    with_unit,
    zone_name,
)

if TYPE_CHECKING:
    from rich.console import Console

    from okrcli.history import History


def period_over(h: History) -> bool:
    """Whether the KR's period ended before the as-of day: then there is nothing left to
    forecast."""
    return h.kr is not None and h.as_of > h.kr.ref.period.last_day


def summary_lines(h: History) -> list[str]:
    lines = []
    if h.kr is not None:
        r = h.kr
        kr = r.ref.kr
        lines.append(f"{h.id}: {kr.title}  (key result of {h.period}, team {r.ref.objective.team})")
        if r.type in ("increase", "decrease"):
            goal = f"{r.type} from {with_unit(r.start, h.unit)} to {with_unit(r.target, h.unit)}"
        elif r.type in ("keep_above", "keep_below"):
            goal = f"{r.type.replace('_', ' ')} {with_unit(r.target, h.unit)}"
        elif r.type == "keep_between":
            goal = f"keep between {band(kr.min, kr.max, h.unit)}"
        elif r.type == "rollup":
            aligned = ", ".join(o.id for o in r.ref.aligned) or "nothing yet"
            goal = f"rollup of the objectives aligned to it ({aligned})"
        else:
            goal = "milestone (0 … 1)"
        if kr.due is not None:
            goal += f"; due {kr.due}"
        if r.ref.ambition == "aspirational":
            goal += "; aspirational"
        if kr.kpi:
            goal += f"; values from KPI {kr.kpi}"
        lines.append(f"goal: {goal}")
        if r.ref.dropped:
            why = "" if r.ref.dropped is True else f": {r.ref.dropped}"
            lines.append(f"dropped{why} (shown, counted in no roll-up or grade)")
        status = STATUS_WORDS.get(r.status, r.status)
        confidence = f", confidence {num(r.confidence)}" if r.confidence is not None else ""
        last_day = r.ref.period.last_day
        if r.current is None and r.type != "rollup":
            lines.append(f"as of {h.as_of}: no check-in yet, no data (expected {pct(r.expected)})")
        elif period_over(h):
            lines.append(
                f"{h.period} is over (it ended {last_day}): final value "
                f"{with_unit(r.current, h.unit, missing='none')}, progress {pct(r.progress)}, "
                f"{status}{confidence}"
            )
            lines.append("forecast: none, the period is over")
            return lines
        else:
            lines.append(
                f"as of {h.as_of}: current {with_unit(r.current, h.unit, missing='none')}, "
                f"progress {pct(r.progress)} (expected {pct(r.expected)}), {status}{confidence}"
            )
        if r.forecast is not None:
            lines.append(
                f"forecast: {with_unit(r.forecast, h.unit)} by {last_day}, which would be "
                f"progress {pct(r.forecast_progress)}"
            )
        else:
            lines.append(
                "forecast: none yet (it takes two values, counting the start at the period's "
                "first day)"
            )
    else:
        assert h.kpi is not None
        k = h.kpi
        kpi = k.ref.kpi
        scope = f" in {h.period}" if h.period is not None else ""
        lines.append(f"{h.id}: {kpi.title}  (KPI, owner {kpi.owner or DASH}){scope}")
        cadence = f"measured {kpi.cadence}" if kpi.cadence else "no cadence (never stale)"
        if kpi.direction == "within":
            tolerance = f", yellow within {num(kpi.tolerance)}" if kpi.tolerance else ""
            lines.append(f"goal: within {band(kpi.min, kpi.max, h.unit)}{tolerance}; {cadence}")
        elif kpi.direction is None:
            lines.append(f"goal: no target; {cadence}")
        else:
            better = "higher" if kpi.direction == "up" else "lower"
            goal = f"{better} is better"
            if kpi.target is not None:
                goal += f"; target {with_unit(kpi.target, h.unit)}"
            if kpi.red is not None:
                goal += f", red {with_unit(kpi.red, h.unit)}"
            lines.append(f"goal: {goal}; {cadence}")
        status = status_word(k.status) if k.status else "no target"
        if k.status_source == "manual":
            status += " (set by hand" + (f": {k.status_note})" if k.status_note else ")")
        stale = ", stale" if k.stale else ""
        lines.append(f"as of {h.as_of}: latest {with_unit(k.value, h.unit)}, {status}{stale}")
    return lines


def audit_rows(h: History) -> list[tuple[str, str, str, str, bool]]:
    rows = []
    for e in h.audit.entries:
        if e.action == "changed":
            change = f"{e.field}: {fmt_value(e.old)} → {fmt_value(e.new)}"
        elif e.action == "renamed":
            change = f"renamed: {fmt_value(e.old)} → {fmt_value(e.new)}"
        else:
            change = e.action
        stamp = (
            str(e.when.astimezone(timezone.utc).date())
            if e.sha == "working tree" and e.when
            else when(e.when, h.zone)
        )
        rows.append((e.sha, stamp, e.who or DASH, change, e.goalposts))
    return rows


def print_table(h: History) -> None:
    from okrcli.output import out

    out(trimmed(lambda con: _draw(con, h)))


def _draw(con: Console, h: History) -> None:
    from rich.table import Table
    from rich.text import Text

    for line in summary_lines(h):
        con.print(line)
    values = [p.value for p in h.points]
    con.print()
    if not h.points and not h.updates:
        con.print("no values yet")
    else:
        head = f"{len(values)} values  {sparkline(values)}" if values else "no values yet"
        if h.updates:
            head += f" · {plural(len(h.updates), 'status update')} (— : no new value)"
        con.print(head)
        table = Table(show_edge=False, pad_edge=False)
        table.add_column(f"when ({zone_name(h.zone)})", no_wrap=True)
        table.add_column("value", justify="right", no_wrap=True)
        table.add_column("by", no_wrap=True)
        table.add_column("conf.", justify="right", no_wrap=True)
        table.add_column("note", overflow="fold")
        rows: list[tuple[Any, str, str, str, str]] = [
            (p.at, num(p.value), p.by or "", num(p.confidence, missing=""), p.note or "")
            for p in h.points
        ]
        rows += [
            (u.at, DASH, u.by or "", num(u.confidence, missing=""), u.note or "") for u in h.updates
        ]
        for at, *cells in sorted(rows, key=lambda r: r[0]):
            table.add_row(when(at, h.zone), *cells)
        con.print(table)
    con.print()
    audit = h.audit
    if not audit.available:
        con.print(f"definition changes: not available ({audit.note})")
        return
    if audit.note:
        con.print(f"note: {audit.note}")
    if not audit.entries:
        con.print("definition changes: none in git")
        return
    con.print("definition changes (git):")
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("commit", no_wrap=True)
    table.add_column(f"when ({zone_name(h.zone)})", no_wrap=True)
    table.add_column("who", no_wrap=True)
    table.add_column("change", overflow="fold")
    for sha, stamp, who, change, flag in audit_rows(h):
        text = Text(change)
        if flag:
            text.append("  ⚠ goal posts moved", style="bold red")
        table.add_row(sha, stamp, who, text)
    con.print(table)


def _point(p: Any) -> dict[str, Any]:
    return {
        "at": timestamp(p.at),
        "value": number(p.value),
        "by": p.by,
        "confidence": p.confidence,
        "note": p.note,
    }


def render_json(h: History) -> str:
    doc: dict[str, Any] = {
        "id": h.id,
        "kind": h.kind,
        "period": str(h.period) if h.period is not None else None,
        "as_of": h.as_of.isoformat(),
        "title": h.title,
        "unit": h.unit,
    }
    if h.kr is not None:
        r = h.kr
        doc.update(
            {
                "team": r.ref.objective.team,
                "type": r.type,
                "kpi": r.ref.kr.kpi,
                "start": number(r.start),
                "target": number(r.target),
                "current": number(r.current),
                "progress": ratio_(r.progress),
                "expected": ratio_(r.expected),
                "status": r.status,
                "confidence": r.confidence,
                "period_over": period_over(h),
                "forecast": None
                if r.forecast is None or period_over(h)
                else {
                    "at": r.ref.period.last_day.isoformat(),
                    "value": round(r.forecast, 4),
                    "progress": ratio_(r.forecast_progress),
                },
            }
        )
    elif h.kpi is not None:
        k = h.kpi
        kpi = k.ref.kpi
        doc.update(
            {
                "direction": kpi.direction,
                "cadence": kpi.cadence,
                "target": number(kpi.target),
                "red": number(kpi.red),
                "value": number(k.value),
                "status": k.status,
                "stale": k.stale,
            }
        )
    doc["values"] = [_point(p) for p in h.points]
    doc["updates"] = [
        {
            "at": timestamp(u.at),
            "by": u.by,
            "confidence": u.confidence,
            "note": u.note,
            "health": u.health,
        }
        for u in h.updates
    ]
    doc["sparkline"] = sparkline([p.value for p in h.points])
    audit = h.audit
    doc["definition_changes"] = (
        [
            {**e.as_dict(), "old": number(e.old), "new": number(e.new)}
            if isinstance(e.old, float) or isinstance(e.new, float)
            else e.as_dict()
            for e in audit.entries
        ]
        if audit.available
        else None
    )
    doc["git"] = {"available": audit.available, "shallow": audit.shallow, "note": audit.note}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_csv(h: History) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["at", "value", "by", "confidence", "note"])
    for p in h.points:
        writer.writerow(
            [
                timestamp(p.at),
                number(p.value),
                p.by or "",
                "" if p.confidence is None else p.confidence,
                p.note or "",
            ]
        )
    return buffer.getvalue()
