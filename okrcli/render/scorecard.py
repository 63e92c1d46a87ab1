"""Renderers of the scorecard: a terminal table, JSON, Markdown and CSV.

All take the plain data of ``okrcli.viewdata.Scorecard`` and compute nothing.  The table is
laid out for the terminal's width (80 columns at least fit); status words always carry
the meaning, colour only repeats it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from okrcli.machine import dumps
from okrcli.render.sparkline import sparkline
from okrcli.render.text import (
    DASH,
    Line,
    band,
    csv_text,
    md_cell,
    names,
    num,
    pct,
    period_name,
    plural,
    shown,
    status_word,
    with_unit,
)

if TYPE_CHECKING:
    from okrcli.viewdata import KPIRow, KRRow, ObjectiveRow, Scorecard

STATUS_STYLES = {
    "done": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "no_data": "dim",
    "dropped": "dim",
    "green": "green",
    "yellow": "yellow",
    "red": "bold red",
}
BAR_FULL, BAR_EMPTY = "█", "░"


# --- shared formatting ----------------------------------------------------------------------


def bar(progress: float | None, width: int) -> str:
    if progress is None:
        return BAR_EMPTY * width
    filled = min(width, max(0, math.floor(progress * width + 0.5)))
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis when cut."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


NO_CHECKIN = "no check-in yet"


def kr_values(k: KRRow) -> str:
    """start → current → target, or what stands in for it for the KR's type; a KR that
    has never been measured says so."""
    if k.type == "milestone":
        return f"milestone {pct(k.current)}" if k.current is not None else NO_CHECKIN
    if k.type == "rollup":
        return (
            f"rolls up {plural(len(k.aligned), 'objective')}"
            if k.aligned
            else "rolls up nothing yet"
        )
    if k.type in ("keep_above", "keep_below", "keep_between"):
        if k.type == "keep_between":
            keep = f"keep {band(k.min, k.max, k.unit)}"
        else:
            sign = "≥" if k.type == "keep_above" else "≤"
            keep = f"keep {sign}{with_unit(k.target, k.unit)}"
        if k.current is None:
            return f"{NO_CHECKIN} ({keep})"
        return f"{with_unit(k.current, k.unit)} ({keep})"
    if k.start is None or k.current is None:
        return f"{NO_CHECKIN} → {with_unit(k.target, k.unit)}"
    return f"{num(k.start)} → {num(k.current)} → {with_unit(k.target, k.unit)}"


def dropped_note(dropped: bool | str) -> str:
    """``dropped, counted nowhere`` or ``dropped: the reason``."""
    return "dropped, counted nowhere" if dropped is True else f"dropped: {dropped}"


def kr_percent(k: KRRow) -> str:
    """Progress, or the attainment when a KR went beyond its target (e.g. 125%)."""
    if k.attainment is not None and k.attainment > 1 and k.type in ("increase", "decrease"):
        return pct(k.attainment)
    return pct(k.progress)


def kpi_target(k: KPIRow) -> str:
    if k.direction == "within" and k.min is not None and k.max is not None:
        return band(k.min, k.max, k.unit)
    if k.target is None:
        return DASH
    sign = "≥" if k.direction == "up" else "≤"
    return f"{sign}{with_unit(k.target, k.unit)}"


MANUAL = "*"  # marks a KPI status set by hand


def kpi_status(k: KPIRow) -> str:
    """The status word, with ``*`` when a person set it (``health:``)."""
    word = status_word(k.status)
    return word + MANUAL if k.status_source == "manual" else word


def expected_text(expected: float, ambition: str) -> str:
    """``expected 58%`` or ``expected 41% (aspirational)``."""
    text = f"expected {pct(expected)}"
    return text + " (aspirational)" if ambition == "aspirational" else text


def day(value: date | None) -> str:
    """The organisation's day of the latest update, or a dash."""
    return DASH if value is None else value.isoformat()


def header_lines(card: Scorecard) -> list[str]:
    title = f"{shown(card.org)} · OKR scorecard · {period_name(card.period)}"
    if card.team is not None:
        title += f" · team {card.team} and below"
    if card.only:
        title += f" · only {card.only}"
    return [title, f"{span(card)} · as of {card.as_of} · {progress_of_period(card)}"]


def span(card: Scorecard) -> str:
    return f"{card.period.first_day} to {card.period.last_day}"


def progress_of_period(card: Scorecard) -> str:
    """How far the period has run: 'day 53 of 92 (58% elapsed)'."""
    p = card.period
    if card.as_of < p.first_day:
        return "not started yet (0% elapsed)"
    if card.as_of > p.last_day:
        return "ended (100% elapsed)"
    return f"day {card.days_run} of {p.total_days} ({pct(card.elapsed)} elapsed)"


def attention_note(card: Scorecard) -> str | None:
    ids = [k.id for k in card.kpis if k.needs_attention]
    if not ids:
        return None
    return f"Needs attention, and no KR of {kr_scope(card)} addresses it: " + ", ".join(ids)


def kr_scope(card: Scorecard) -> str:
    """Whose KRs address a KPI: those of the period and of the year around it."""
    p = card.period
    return str(p) if p.is_year else f"{p} or {p.year_period}"


# --- table --------------------------------------------------------------------------------


def render_table(card: Scorecard, width: int = 80) -> list[Line]:
    """The scorecard as lines of styled text, each at most ``width`` characters."""
    width = max(width, 60)
    lines: list[Line] = []
    for i, head in enumerate(header_lines(card)):
        lines += [Line(chunk, style="bold" if i == 0 else "") for chunk in wrap(head, width)]
    if not card.teams:
        missing = "match the filter" if card.only else f"planned for {card.period}"
        lines += [Line(""), Line(f"No objectives {missing}.")]
    for group in card.teams:
        lines.append(Line(""))
        lines.append(rule(f"{shown(group.name)} ({group.id})", width))
        for o in group.objectives:
            lines += objective_lines(o, width)
    lines.append(Line(""))
    lines.append(rule("KPIs", width))
    lines += kpi_lines(card, width)
    return lines


def rule(title: str, width: int) -> Line:
    head = f"── {fit(title, width - 4)} "
    return Line(head + "─" * max(0, width - len(head)), style="bold")


def left_right(left: str, right: str, width: int) -> str:
    """``left`` cut to leave room for ``right`` at the right edge of ``width``."""
    room = width - len(right) - 1 if right else width
    left = fit(left, room)
    if not right:
        return left
    return left + " " * (width - len(left) - len(right)) + right


def styled(parts: Sequence[tuple[str, str | None]]) -> Line:
    return Line.of(parts)


def objective_lines(o: ObjectiveRow, width: int) -> list[Line]:
    owner = f"owner {shown(names(o.owners))}" if o.owners else ""
    lines = [
        Line(""),
        Line(left_right(f"  {o.id} · {shown(o.title)}", owner, width), style="bold"),
        styled(
            [
                ("  ", None),
                (bar(o.progress, 20), STATUS_STYLES.get(o.status)),
                (f"  {pct(o.progress):>4}  {expected_text(o.expected, o.ambition)}  ", None),
                (status_word(o.status), STATUS_STYLES.get(o.status)),
            ]
        ),
    ]
    if o.dropped:
        lines.append(Line(fit(f"    {dropped_note(o.dropped)}", width), style="dim"))
    if not o.key_results:
        source = ", ".join(o.rolled_up_from) if o.rolled_up_from else "nothing aligned to it yet"
        lines.append(Line(fit(f"    no key results: rolls up from {source}", width), style="dim"))
    for k in o.key_results:
        lines += kr_lines(k, width)
    return lines


def kr_lines(k: KRRow, width: int) -> list[Line]:
    due = f" · due {k.due}" if k.due is not None else ""
    title = Line(left_right(f"    {k.id} · {shown(k.title)}{due}", shown(names(k.owners)), width))
    # indent 6 + values + 2 + bar 10 + 1 + pct 4 + 2 + status 9, then conf 8 and date 10
    fixed, tail_width = 34, 22
    values_width = width - fixed - tail_width
    narrow = values_width < 22  # no room for one line: confidence and date go below
    if narrow:
        values_width = width - fixed
    conf = f"conf {num(k.confidence)}" if k.confidence is not None else ""
    parts: list[tuple[str, str | None]] = [
        ("      ", None),
        (f"{fit(kr_values(k), values_width):<{values_width}}  ", None),
        (bar(k.progress, 10), STATUS_STYLES.get(k.status)),
        (f" {kr_percent(k):>4}  ", None),
        (f"{status_word(k.status):<9}", STATUS_STYLES.get(k.status)),
    ]
    if not narrow:
        parts.append((f"  {conf:<8}  {day(k.updated_day):<10}", None))
    detail = styled(parts)
    detail.rstrip()
    lines = [title, detail]
    if narrow:
        more = " · ".join(x for x in (conf, f"updated {day(k.updated_day)}") if x)
        lines.append(Line(fit(f"      {more}", width)))
    if k.dropped:
        lines.append(Line(fit(f"      {dropped_note(k.dropped)}", width), style="dim"))
    return lines


KPI_HEAD = ("value", "target", "status", "last value", "trend", "addressed")
# how wide a column may grow before its cells are cut (value and target: long units)
KPI_CAPS = {0: 16, 1: 16}
# the columns given up, in this order, when the terminal is too narrow (a note says so)
KPI_OPTIONAL = (5, 4, 3)
KPI_INDENT = "    "


def kpi_last(k: KPIRow, as_of: date) -> str:
    """When the latest value was taken, on the organisation's calendar: ``11-16, 6d ago``;
    ``stale`` when overdue."""
    from datetime import datetime, timezone

    if not isinstance(k.updated, datetime):
        return "no value"
    taken = k.updated_day or k.updated.astimezone(timezone.utc).date()
    ago = (as_of - taken).days
    text = f"{taken:%m-%d}, {ago}d ago" if ago >= 0 else f"{taken:%m-%d}"
    return text + (", stale" if k.stale else "")


def kpi_trend(k: KPIRow) -> str:
    """The sparkline and which way is good: ``▁▃▅█ ↑``."""
    arrow = {"up": "↑", "down": "↓"}.get(k.direction or "", "")
    line = sparkline(k.trend)
    return f"{line} {arrow}".strip() if line else DASH


def kpi_lines(card: Scorecard, width: int) -> list[Line]:
    """The KPI table, never wider than ``width``: per KPI a line with its id, title and
    owner (the title shortens, the id never vanishes), then its figures in columns; a
    column given up for lack of room is named in a note."""
    if not card.kpis:
        return [Line("No KPIs match the filter." if card.only else "No KPIs defined.")]
    rows = [
        (
            with_unit(k.value, k.unit),
            kpi_target(k),
            kpi_status(k),
            kpi_last(k, card.as_of),
            kpi_trend(k),
            "yes" if k.addressed else "no",
        )
        for k in card.kpis
    ]
    n = len(KPI_HEAD)
    widths = [max(len(r[i]) for r in [KPI_HEAD, *rows]) for i in range(n)]
    for i, cap in KPI_CAPS.items():
        widths[i] = min(widths[i], max(cap, len(KPI_HEAD[i])))
    dropped: list[str] = []

    def total() -> int:
        shown = [w for w in widths if w]
        return len(KPI_INDENT) + sum(shown) + 2 * (len(shown) - 1)

    for i in KPI_OPTIONAL:  # give up columns, last resort first, until the rest fits
        if total() <= width:
            break
        dropped.append(KPI_HEAD[i])
        widths[i] = 0
    excess = total() - width
    for i in (1, 0):  # still too wide: values and targets are cut
        if excess > 0:
            cut = max(0, min(excess, widths[i] - 6))
            widths[i] -= cut
            excess -= cut

    def cells(row: Sequence[str], styles: Sequence[str | None] | None = None) -> Line:
        parts: list[tuple[str, str | None]] = [(KPI_INDENT, None)]
        for i, cell in enumerate(row):
            if widths[i] == 0:
                continue
            shown = fit(cell, widths[i])
            shown = shown.rjust(widths[i]) if i == 0 else shown.ljust(widths[i])
            parts.append((shown + "  ", styles[i] if styles else None))
        text = styled(parts)
        text.rstrip()
        return text

    lines = [cells(KPI_HEAD, ["dim"] * n)]
    for k, row in zip(card.kpis, rows, strict=True):
        style = STATUS_STYLES.get(k.status or "")
        flag = "! " if k.needs_attention else "  "
        head = left_right(f"{flag}{k.id} · {shown(k.title)}", shown(k.owner or ""), width)
        lines.append(styled([(head[:2], "bold red"), (head[2:], "bold")]))
        stale = "yellow" if k.stale else None
        lines.append(cells(row, [None, None, style, stale, style, None]))
    lines.append(Line(""))
    legend = []
    if any(k.needs_attention for k in card.kpis):
        legend.append(
            "! needs attention: red, or worse three values running, and no KR of "
            f"{kr_scope(card)} is linked to it"
        )
    if any(k.status_source == "manual" for k in card.kpis):
        legend.append(f"{MANUAL} status set by hand (health): " + "; ".join(
            f"{k.id}: {shown(k.status_note)}" if k.status_note else k.id
            for k in card.kpis
            if k.status_source == "manual"
        ))  # fmt: skip
    legend.append(
        f"addressed: a KR of {kr_scope(card)} is linked to it · trend: the last 8 values, "
        "the arrow shows which way is good"
    )
    if any(k.stale for k in card.kpis):
        legend.append("stale: no value for over 1.5 × its cadence")
    if dropped:
        legend.append(
            f"not shown for lack of width: {', '.join(dropped)} (widen the terminal, or use "
            "--format markdown or json)"
        )
    for line in legend:
        lines += [Line(chunk, style="dim") for chunk in wrap(line, width)]
    return lines


def wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, subsequent_indent="  ") or [""]


# --- JSON ---------------------------------------------------------------------------------


def render_json(card: Scorecard, *, pretty: bool = True) -> str:
    """SPEC §7's object; indented for people, or on one line (much faster at scale)."""
    indent = 2 if pretty else None
    return dumps(card.to_json(), indent=indent)


# --- Markdown -------------------------------------------------------------------------------


def render_markdown(card: Scorecard) -> str:
    p = card.period
    out = [f"# {md_cell(card.org)} · OKR scorecard {period_name(p)}", ""]
    scope = f" · team {card.team} and below" if card.team is not None else ""
    if card.only:
        scope += f" · only {card.only}"
    out.append(f"{span(card)} · as of {card.as_of} · {progress_of_period(card)}{scope}")
    if not card.teams:
        out += [
            "",
            "No objectives match the filter." if card.only else f"No objectives planned for {p}.",
        ]
    for group in card.teams:
        out += ["", f"## {md_cell(group.name)} ({group.id})"]
        for o in group.objectives:
            out += ["", f"### {o.id} · {md_cell(o.title)}", ""]
            owner = f"owner {md_cell(names(o.owners))} · " if o.owners else ""
            out.append(
                f"{owner}progress **{pct(o.progress)}** ({expected_text(o.expected, o.ambition)})"
                f" · **{status_word(o.status)}**"
            )
            if o.dropped:
                out += ["", md_cell(dropped_note(o.dropped)) + "."]
            if not o.key_results:
                source = ", ".join(o.rolled_up_from) or "nothing aligned to it yet"
                out += ["", f"No key results of its own: rolls up from {source}."]
                continue
            out += [
                "",
                "| Key result | Start → current → target | Progress | Status | Confidence "
                "| Updated | Owner |",
                "|---|---|---:|---|---:|---|---|",
            ]
            for k in o.key_results:
                status = status_word(k.status)
                if k.dropped and k.dropped is not True:
                    status += f" ({k.dropped})"
                due = f" (due {k.due})" if k.due is not None else ""
                out.append(
                    f"| `{k.id}` {md_cell(k.title)}{due} | {md_cell(kr_values(k))} | "
                    f"{kr_percent(k)} | {md_cell(status)} | {num(k.confidence)} | "
                    f"{day(k.updated_day)} | {md_cell(names(k.owners) or DASH)} |"
                )
    out += ["", "## KPIs", ""]
    if not card.kpis:
        out.append("No KPIs match the filter." if card.only else "No KPIs defined.")
    else:
        out += [
            "| KPI | Value | Target | Status | Last value | Trend | Addressed | Owner |",
            "|---|---:|---|---|---|---|---|---|",
        ]
        for kpi in card.kpis:
            flag = "⚠ " if kpi.needs_attention else ""
            out.append(
                f"| {flag}`{kpi.id}` {md_cell(kpi.title)} | "
                f"{md_cell(with_unit(kpi.value, kpi.unit))} | {md_cell(kpi_target(kpi))} | "
                f"{md_cell(kpi_status_md(kpi))} | {kpi_last(kpi, card.as_of)} | {kpi_trend(kpi)} | "
                f"{'yes' if kpi.addressed else 'no'} | {md_cell(kpi.owner or DASH)} |"
            )
        note = attention_note(card)
        if note:
            out += ["", f"⚠ {note} (red, or worse three values running)."]
    return "\n".join(out) + "\n"


def kpi_status_md(k: KPIRow) -> str:
    """``red (set by hand: the reason)`` or the status word."""
    word = status_word(k.status)
    if k.status_source != "manual":
        return word
    return (
        f"{word} (set by hand: {shown(k.status_note)})"
        if k.status_note
        else f"{word} (set by hand)"
    )


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "kind",
    "team",
    "objective",
    "id",
    "title",
    "type",
    "owner",
    "unit",
    "start",
    "current",
    "target",
    "red",
    "direction",
    "progress",
    "attainment",
    "expected",
    "status",
    "confidence",
    "updated",
    "kpi",
    "weight",
    "stale",
    "trend",
    "addressed",
    "declining",
    "needs_attention",
    "dropped",
    "owners",
    "ambition",
    "due",
    "min",
    "max",
    "aligned",
    "status_source",
)


def render_csv(card: Scorecard) -> str:
    """One row per KR (kind ``kr``) and per KPI (kind ``kpi``); empty cells for absent values."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for o in card.objectives:
        for k in o.key_results:
            row = k.to_json()
            row.update(kind="kr", team=o.team, objective=o.id)
            writer.writerow(cells(row))
    for kpi in card.kpis:
        row = kpi.to_json()
        row.update(
            kind="kpi", current=row.pop("value"), trend=" ".join(str(v) for v in row["trend"])
        )
        writer.writerow(cells(row))
    return buffer.getvalue()


# the columns that hold text users wrote (ids are checked, numbers written by machine)
CSV_TEXT_COLUMNS = frozenset({"title", "owner", "owners", "unit", "dropped", "status_note"})


def cells(row: dict[str, object]) -> dict[str, str]:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return " ".join(str(v) for v in value)
        return str(value)

    return {
        k: csv_text(cell(row.get(k))) if k in CSV_TEXT_COLUMNS else cell(row.get(k))
        for k in CSV_COLUMNS
    }
