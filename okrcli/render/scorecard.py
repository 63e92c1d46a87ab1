"""Renderers of the scorecard: a terminal table, JSON, Markdown and CSV.

All take the plain data of ``okrcli.views.Scorecard`` and compute nothing.  The table is
laid out for the terminal's width (80 columns at least fit); status words always carry
the meaning, colour only repeats it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from okrcli.machine import dumps
from okrcli.render.sparkline import sparkline
from okrcli.render.text import DASH, csv_text, md_cell, num, pct, shown, status_word, with_unit

if TYPE_CHECKING:
    from rich.text import Text

    from okrcli.views import KPIRow, KRRow, ObjectiveRow, Scorecard

STATUS_STYLES = {
    "done": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "no_data": "dim",
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


def kr_values(k: KRRow) -> str:
    """start → current → target, or what stands in for it for the KR's type."""
    if k.type == "milestone":
        return f"milestone {pct(k.current)}"
    if k.type in ("keep_above", "keep_below"):
        sign = "≥" if k.type == "keep_above" else "≤"
        keep = f"keep {sign}{with_unit(k.target, k.unit)}"
        if k.current is None:
            return f"no value ({keep})"
        return f"{with_unit(k.current, k.unit)} ({keep})"
    if k.start is None or k.current is None:
        return f"no value yet → {with_unit(k.target, k.unit)}"
    return f"{num(k.start)} → {num(k.current)} → {with_unit(k.target, k.unit)}"


def kr_percent(k: KRRow) -> str:
    """Progress, or the attainment when a KR went beyond its target (e.g. 125%)."""
    if k.attainment is not None and k.attainment > 1 and k.type in ("increase", "decrease"):
        return pct(k.attainment)
    return pct(k.progress)


def kpi_target(k: KPIRow) -> str:
    if k.target is None:
        return DASH
    sign = "≥" if k.direction == "up" else "≤"
    return f"{sign}{with_unit(k.target, k.unit)}"


def day(moment: object) -> str:
    from datetime import datetime, timezone

    if not isinstance(moment, datetime):
        return DASH
    return moment.astimezone(timezone.utc).date().isoformat()


def header_lines(card: Scorecard) -> list[str]:
    title = f"{shown(card.org)} · OKR scorecard · {card.period}"
    if card.team is not None:
        title += f" · team {card.team} and below"
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


def render_table(card: Scorecard, width: int = 80) -> list[Text]:
    """The scorecard as lines of styled text, each at most ``width`` characters."""
    from rich.text import Text

    width = max(width, 60)
    lines: list[Text] = []
    for i, head in enumerate(header_lines(card)):
        lines += [Text(chunk, style="bold" if i == 0 else "") for chunk in wrap(head, width)]
    if not card.teams:
        lines += [Text(""), Text(f"No objectives planned for {card.period}.")]
    for group in card.teams:
        lines.append(Text(""))
        lines.append(rule(f"{shown(group.name)} ({group.id})", width))
        for o in group.objectives:
            lines += objective_lines(o, width)
    lines.append(Text(""))
    lines.append(rule("KPIs", width))
    lines += kpi_lines(card, width)
    return lines


def rule(title: str, width: int) -> Text:
    from rich.text import Text

    head = f"── {fit(title, width - 4)} "
    return Text(head + "─" * max(0, width - len(head)), style="bold")


def left_right(left: str, right: str, width: int) -> str:
    """``left`` cut to leave room for ``right`` at the right edge of ``width``."""
    room = width - len(right) - 1 if right else width
    left = fit(left, room)
    if not right:
        return left
    return left + " " * (width - len(left) - len(right)) + right


def styled(parts: Sequence[tuple[str, str | None]]) -> Text:
    from rich.text import Text

    text = Text()
    for chunk, style in parts:
        text.append(chunk, style=style or "")
    return text


def objective_lines(o: ObjectiveRow, width: int) -> list[Text]:
    from rich.text import Text

    owner = f"owner {shown(o.owner)}" if o.owner else ""
    lines = [
        Text(""),
        Text(left_right(f"  {o.id} · {shown(o.title)}", owner, width), style="bold"),
        styled(
            [
                ("  ", None),
                (bar(o.progress, 20), STATUS_STYLES.get(o.status)),
                (f"  {pct(o.progress):>4}  expected {pct(o.expected)}  ", None),
                (status_word(o.status), STATUS_STYLES.get(o.status)),
            ]
        ),
    ]
    if not o.key_results:
        source = ", ".join(o.rolled_up_from) if o.rolled_up_from else "nothing aligned to it yet"
        lines.append(Text(fit(f"    no key results: rolls up from {source}", width), style="dim"))
    for k in o.key_results:
        lines += kr_lines(k, width)
    return lines


def kr_lines(k: KRRow, width: int) -> list[Text]:
    from rich.text import Text

    title = Text(left_right(f"    {k.id} · {shown(k.title)}", shown(k.owner or ""), width))
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
        parts.append((f"  {conf:<8}  {day(k.updated):<10}", None))
    detail = styled(parts)
    detail.rstrip()
    if not narrow:
        return [title, detail]
    more = " · ".join(x for x in (conf, f"updated {day(k.updated)}") if x)
    return [title, detail, Text(fit(f"      {more}", width))]


KPI_HEAD = ("", "KPI", "value", "target", "status", "trend", "", "KR", "owner")


def kpi_lines(card: Scorecard, width: int) -> list[Text]:
    from rich.text import Text

    if not card.kpis:
        return [Text("No KPIs defined.")]
    rows = [
        (
            "!" if k.needs_attention else "",
            k.id,
            with_unit(k.value, k.unit),
            kpi_target(k),
            status_word(k.status),
            sparkline(k.trend),
            "stale" if k.stale else "",
            "✓" if k.addressed else "",
            shown(k.owner or ""),
        )
        for k in card.kpis
    ]
    widths = [max(len(r[i]) for r in [KPI_HEAD, *rows]) for i in range(len(KPI_HEAD))]
    widths[0] = 1
    right_aligned = {2}
    total = sum(widths) + len(widths) - 1
    if total > width:  # drop the owner column, then cut the KPI ids
        total -= widths[8] + 1
        widths[8] = 0
        widths[1] -= max(0, total - width)

    def cells(row: Sequence[str], styles: Sequence[str | None] | None = None) -> Text:
        parts: list[tuple[str, str | None]] = []
        for i, cell in enumerate(row):
            if widths[i] == 0 and i:
                continue
            shown = fit(cell, widths[i])
            shown = shown.rjust(widths[i]) if i in right_aligned else shown.ljust(widths[i])
            parts.append((shown + (" " if i < len(row) - 1 else ""), styles[i] if styles else None))
        text = styled(parts)
        text.rstrip()
        return text

    lines = [cells(KPI_HEAD, ["dim"] * len(KPI_HEAD))]
    for k, row in zip(card.kpis, rows, strict=True):
        style = STATUS_STYLES.get(k.status or "")
        lines.append(cells(row, ["bold red", None, None, None, style, style, "yellow", None, None]))
    lines.append(Text(""))
    legend = []
    if any(k.needs_attention for k in card.kpis):
        legend.append(
            "! needs attention: red, or worse three values running, and no KR of "
            f"{kr_scope(card)} is linked to it"
        )
    legend += [
        f"✓ a KR of {kr_scope(card)} is linked to it",
        "stale: no value for over 1.5 × its cadence · trend: the last 8 values",
    ]
    for line in legend:
        lines += [Text(chunk, style="dim") for chunk in wrap(line, width)]
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
    out = [f"# {md_cell(card.org)} · OKR scorecard {p}", ""]
    scope = f" · team {card.team} and below" if card.team is not None else ""
    out.append(f"{span(card)} · as of {card.as_of} · {progress_of_period(card)}{scope}")
    if not card.teams:
        out += ["", f"No objectives planned for {p}."]
    for group in card.teams:
        out += ["", f"## {md_cell(group.name)} ({group.id})"]
        for o in group.objectives:
            out += ["", f"### {o.id} · {md_cell(o.title)}", ""]
            owner = f"owner {md_cell(o.owner)} · " if o.owner else ""
            out.append(
                f"{owner}progress **{pct(o.progress)}** (expected {pct(o.expected)}) · "
                f"**{status_word(o.status)}**"
            )
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
                out.append(
                    f"| `{k.id}` {md_cell(k.title)} | {md_cell(kr_values(k))} | {kr_percent(k)} | "
                    f"{status_word(k.status)} | {num(k.confidence)} | {day(k.updated)} | "
                    f"{md_cell(k.owner or DASH)} |"
                )
    out += ["", "## KPIs", ""]
    if not card.kpis:
        out.append("No KPIs defined.")
    else:
        out += [
            "| KPI | Value | Target | Status | Trend | Stale | Addressed | Owner |",
            "|---|---:|---|---|---|---|---|---|",
        ]
        for kpi in card.kpis:
            flag = "⚠ " if kpi.needs_attention else ""
            out.append(
                f"| {flag}`{kpi.id}` {md_cell(kpi.title)} | "
                f"{md_cell(with_unit(kpi.value, kpi.unit))} | {md_cell(kpi_target(kpi))} | "
                f"{status_word(kpi.status)} | {sparkline(kpi.trend)} | "
                f"{'stale' if kpi.stale else 'no'} | {'yes' if kpi.addressed else 'no'} | "
                f"{md_cell(kpi.owner or DASH)} |"
            )
        note = attention_note(card)
        if note:
            out += ["", f"⚠ {note} (red, or worse three values running)."]
    return "\n".join(out) + "\n"


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
CSV_TEXT_COLUMNS = frozenset({"title", "owner", "unit"})


def cells(row: dict[str, object]) -> dict[str, str]:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return {
        k: csv_text(cell(row.get(k))) if k in CSV_TEXT_COLUMNS else cell(row.get(k))
        for k in CSV_COLUMNS
    }
